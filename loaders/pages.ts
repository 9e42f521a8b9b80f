import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { InvitationRow, InvitationStatus, ProjectRow, ProjectStatus } from '../src/db/schema';
import { invitationStatusCondition } from './createLoaders';
import type { KeysetPosition } from './rows';

/**
 * Root lists: the queries behind Query fields that start from the viewer rather than from a
 * parent object. Each is one statement; each page fetches one row more than asked, so the
 * caller knows whether a next page exists.
 */

/**
 * ```sql
 * SELECT * FROM projects WHERE team_id IN (…) [AND status = ?]
 *   [AND (created_at < ? OR (created_at = ? AND id < ?))]
 * ORDER BY created_at DESC, id DESC LIMIT first + 1
 * ```
 */
export function projectsPage(
  db: Db,
  args: { teamIds: readonly number[]; status: ProjectStatus | null; first: number; after: KeysetPosition | null },
): Promise<ProjectRow[]> {
  if (args.teamIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('projects').selectAll().where('teamId', 'in', args.teamIds);
  if (args.status) query = query.where('status', '=', args.status);
  if (args.after) {
    const { time, id } = args.after;
    query = query.where((eb) =>
      eb.or([eb('createdAt', '<', time), eb.and([eb('createdAt', '=', time), eb('id', '<', id)])]),
    );
  }
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(args.first + 1)
    .execute();
}

/**
 * Invitations addressed to an email, newest first:
 * ```sql
 * SELECT t.* FROM invitations t WHERE t.email = ? AND <status condition>
 * ORDER BY t.created_at DESC, t.id DESC LIMIT ?
 * ```
 */
export async function invitationsForEmail(
  db: Db,
  args: { email: string; status: InvitationStatus | null; first: number },
): Promise<InvitationRow[]> {
  const condition = args.status ? sql`AND ${invitationStatusCondition(args.status)}` : sql``;
  const result = await sql<InvitationRow>`SELECT t.* FROM invitations t
    WHERE t.email = ${args.email} ${condition}
    ORDER BY t.created_at DESC, t.id DESC LIMIT ${args.first}`.execute(db);
  return result.rows;
}
