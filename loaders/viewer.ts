import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { TeamRole, UserRow } from '../src/db/schema';
import type { Loaders } from './createLoaders';
import type { Membership } from './rows';

export interface ViewerRecord {
  user: UserRow;
  /** Active memberships, by team id. */
  memberships: Map<number, Membership>;
}

/** One row of the viewer query; the camel-case plugin turns its snake_case aliases into these names. */
interface ViewerJoinRow {
  viewerId: number;
  viewerEmail: string;
  viewerFullName: string;
  viewerPasswordHash: string;
  viewerCreatedAt: Date;
  teamId: number | null;
  teamName: string | null;
  teamDescription: string | null;
  teamCreatedBy: number | null;
  teamCreatedAt: Date | null;
  role: TeamRole | null;
}

/**
 * The signed-in user and their active memberships (with the teams' rows) in ONE statement,
 * loaded once per request; primes `userById` and `teamById`. Null when the user no longer exists.
 * ```sql
 * SELECT u.…, t.…, m.role FROM users u
 * LEFT JOIN (SELECT tm.team_id, tm.role FROM teams k STRAIGHT_JOIN team_members tm
 *              ON tm.team_id = k.id WHERE tm.user_id = ? AND tm.is_active = 1) m ON TRUE
 * LEFT JOIN teams t ON t.id = m.team_id
 * WHERE u.id = ?
 * ```
 * team_members has no index on user_id (DESIGN.md "Data model" keeps the index set), so a
 * viewer's teams are found by probing UNIQUE(team_id, user_id) once per team. Walking the teams'
 * primary key for those probes, with no ORDER BY (memberships are sorted here), spares MariaDB
 * the temporary table and filesort of the plain join: this statement runs on every signed-in
 * request.
 */
export async function loadViewer(db: Db, loaders: Loaders, userId: number): Promise<ViewerRecord | null> {
  const result = await sql<ViewerJoinRow>`SELECT
      u.id AS viewer_id, u.email AS viewer_email, u.full_name AS viewer_full_name,
      u.password_hash AS viewer_password_hash, u.created_at AS viewer_created_at,
      t.id AS team_id, t.name AS team_name, t.description AS team_description,
      t.created_by AS team_created_by, t.created_at AS team_created_at, m.role AS role
    FROM users u
    LEFT JOIN (
      SELECT tm.team_id, tm.role FROM teams k STRAIGHT_JOIN team_members tm ON tm.team_id = k.id
      WHERE tm.user_id = ${userId} AND tm.is_active = 1
    ) m ON TRUE
    LEFT JOIN teams t ON t.id = m.team_id
    WHERE u.id = ${userId}`.execute(db);
  const [first] = result.rows;
  if (!first) return null;
  const user: UserRow = {
    id: first.viewerId,
    email: first.viewerEmail,
    fullName: first.viewerFullName,
    passwordHash: first.viewerPasswordHash,
    createdAt: first.viewerCreatedAt,
  };
  loaders.userById.prime(user.id, user);
  const memberships = new Map<number, Membership>();
  const rows = result.rows.filter((row) => row.teamId !== null && row.role !== null).sort((a, b) => (a.teamId as number) - (b.teamId as number));
  for (const row of rows) {
    const team = {
      id: row.teamId as number,
      name: row.teamName as string,
      description: row.teamDescription,
      createdBy: row.teamCreatedBy as number,
      createdAt: row.teamCreatedAt as Date,
    };
    loaders.teamById.prime(team.id, team);
    memberships.set(team.id, { ...team, role: row.role as TeamRole });
  }
  return { user, memberships };
}
