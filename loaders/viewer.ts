import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { TeamRole, TeamRow, UserRow } from '../src/db/schema';
import type { Membership } from './rows';

/** A signed-in user as every request needs them; shared by requests (src/auth/viewerCache.ts), so never changed. */
export interface ViewerRecord {
  readonly user: UserRow;
  /** Active memberships, by team id, in team id order. */
  readonly memberships: ReadonlyMap<number, Membership>;
  /** The teams of those memberships, as teamById returns them. */
  readonly teams: readonly TeamRow[];
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
 * The signed-in user and their active memberships (with the teams' rows) in ONE statement.
 * Null when the user no longer exists.
 * ```sql
 * SELECT u.…, t.…, m.role FROM users u
 * LEFT JOIN team_members m ON m.user_id = u.id AND m.is_active = 1
 * LEFT JOIN teams t ON t.id = m.team_id
 * WHERE u.id = ?
 * ```
 * The memberships are an ix_team_members_user_id range (no ORDER BY: they are sorted here).
 * Every signed-in request needs this record; the viewer cache (src/auth/viewerCache.ts) keeps it
 * between requests, so the statement runs when a viewer is first seen or their memberships change.
 */
export async function loadViewer(db: Db, userId: number): Promise<ViewerRecord | null> {
  const result = await sql<ViewerJoinRow>`SELECT
      u.id AS viewer_id, u.email AS viewer_email, u.full_name AS viewer_full_name,
      u.password_hash AS viewer_password_hash, u.created_at AS viewer_created_at,
      t.id AS team_id, t.name AS team_name, t.description AS team_description,
      t.created_by AS team_created_by, t.created_at AS team_created_at, m.role AS role
    FROM users u
    LEFT JOIN team_members m ON m.user_id = u.id AND m.is_active = 1
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
  const memberships = new Map<number, Membership>();
  const rows = result.rows.filter((row) => row.teamId !== null && row.role !== null).sort((a, b) => (a.teamId as number) - (b.teamId as number));
  const teams: TeamRow[] = [];
  for (const row of rows) {
    const team = {
      id: row.teamId as number,
      name: row.teamName as string,
      description: row.teamDescription,
      createdBy: row.teamCreatedBy as number,
      createdAt: row.teamCreatedAt as Date,
    };
    teams.push(team);
    memberships.set(team.id, { ...team, role: row.role as TeamRole });
  }
  return { user, memberships, teams };
}
