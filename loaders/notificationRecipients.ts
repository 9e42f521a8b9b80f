import type { Db } from '../src/db/database';

/**
 * Who a notification goes to: user ids only, active members of the team the subject belongs
 * to (nobody hears about a team they left), never the user who acted. Each function is ONE
 * selective statement through uq_team_members_team_user (team_id, user_id) — and
 * ix_comments_crs_id for commenters — so its cost does not grow with the size of the team
 * beyond the rows it returns.
 */

/**
 * Every active member of `teamId` but `exceptUserId`:
 * ```sql
 * SELECT user_id FROM team_members WHERE team_id = ? AND is_active = 1 AND user_id <> ?
 * ```
 */
export async function otherActiveMemberIds(db: Db, teamId: number, exceptUserId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', teamId)
    .where('isActive', '=', 1)
    .where('userId', '<>', exceptUserId)
    .orderBy('userId')
    .execute();
  return rows.map((row) => row.userId);
}

/**
 * `userId` when it is an active member of `teamId` and not `exceptUserId`, else nobody; no
 * statement when `userId` is the one who acted:
 * ```sql
 * SELECT user_id FROM team_members WHERE team_id = ? AND user_id = ? AND is_active = 1
 * ```
 */
export async function activeMemberUnlessActor(db: Db, teamId: number, userId: number, exceptUserId: number): Promise<number[]> {
  if (userId === exceptUserId) return [];
  const rows = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', teamId)
    .where('userId', '=', userId)
    .where('isActive', '=', 1)
    .execute();
  return rows.map((row) => row.userId);
}

/**
 * The people in a CRS document's discussion — its creator and everyone who commented on it —
 * who are still active members of `teamId`, each once, without `exceptUserId`:
 * ```sql
 * SELECT tm.user_id FROM team_members tm
 * WHERE tm.team_id = ? AND tm.is_active = 1 AND tm.user_id <> ?
 *   AND (tm.user_id = ? OR tm.user_id IN (SELECT c.author_id FROM comments c WHERE c.crs_id = ?))
 * ```
 */
export async function crsDiscussionMemberIds(
  db: Db,
  args: { teamId: number; crsId: number; creatorId: number; exceptUserId: number },
): Promise<number[]> {
  const rows = await db
    .selectFrom('teamMembers as tm')
    .select('tm.userId')
    .where('tm.teamId', '=', args.teamId)
    .where('tm.isActive', '=', 1)
    .where('tm.userId', '<>', args.exceptUserId)
    .where((eb) =>
      eb.or([
        eb('tm.userId', '=', args.creatorId),
        eb('tm.userId', 'in', eb.selectFrom('comments as c').select('c.authorId').where('c.crsId', '=', args.crsId)),
      ]),
    )
    .orderBy('tm.userId')
    .execute();
  return rows.map((row) => row.userId);
}
