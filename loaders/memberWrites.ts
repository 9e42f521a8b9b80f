import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { TeamRole } from '../src/db/schema';
import type { TeamMemberEntry } from './rows';

/**
 * Writes of team_members. A member who leaves or is removed keeps their row with
 * is_active = 0 (the team's history, and what readers already skip); joining again
 * re-activates that row, since team_members is UNIQUE(team_id, user_id).
 */

/**
 * Makes `userId` an active member of `teamId` with `role`: a new row, or the old row of a
 * member who left, re-activated. An active member keeps the role and join date they have.
 * MySQL applies the assignments left to right, so `is_active` changes last.
 * ```sql
 * INSERT INTO team_members (team_id, user_id, role, is_active, joined_at) VALUES (?, ?, ?, 1, ?)
 * ON DUPLICATE KEY UPDATE
 *   role = IF(is_active = 1, role, VALUES(role)),
 *   joined_at = IF(is_active = 1, joined_at, VALUES(joined_at)),
 *   is_active = 1
 * ```
 */
export async function activateMembership(db: Db, args: { teamId: number; userId: number; role: TeamRole; at: Date }): Promise<void> {
  await sql`INSERT INTO team_members (team_id, user_id, role, is_active, joined_at)
    VALUES (${args.teamId}, ${args.userId}, ${args.role}, 1, ${args.at})
    ON DUPLICATE KEY UPDATE
      role = IF(is_active = 1, role, VALUES(role)),
      joined_at = IF(is_active = 1, joined_at, VALUES(joined_at)),
      is_active = 1`.execute(db);
}

/**
 * What a change of `teamId`'s members is decided on: its active OWNERs and the active
 * memberships of `userIds`, locked until the caller's transaction ends.
 * ```sql
 * SELECT team_id, user_id, role, joined_at FROM team_members
 * WHERE team_id = ? AND is_active = 1 AND (role = 'OWNER' OR user_id IN (?, …))
 * FOR UPDATE
 * ```
 * Under REPEATABLE READ, InnoDB locks every index record a locking read scans, and role has no
 * index: this locks all of the team's rows in uq_team_members_team_user (and the gap after
 * them). So changes of one team's members run one after another, each counting the OWNERs the
 * one before it left, while other teams do not wait.
 */
export async function lockMembersForChange(db: Db, teamId: number, userIds: readonly number[]): Promise<TeamMemberEntry[]> {
  return db
    .selectFrom('teamMembers')
    .select(['teamId', 'userId', 'role', 'joinedAt'])
    .where('teamId', '=', teamId)
    .where('isActive', '=', 1)
    .where((eb) => eb.or([eb('role', '=', 'OWNER'), eb('userId', 'in', userIds)]))
    .forUpdate()
    .execute();
}

/**
 * Ends a membership, keeping its row:
 * ```sql
 * UPDATE team_members SET is_active = 0 WHERE team_id = ? AND user_id = ?
 * ```
 */
export async function deactivateMembership(db: Db, teamId: number, userId: number): Promise<void> {
  await db.updateTable('teamMembers').set({ isActive: 0 }).where('teamId', '=', teamId).where('userId', '=', userId).execute();
}

/**
 * ```sql
 * UPDATE team_members SET role = ? WHERE team_id = ? AND user_id = ?
 * ```
 */
export async function setMembershipRole(db: Db, args: { teamId: number; userId: number; role: TeamRole }): Promise<void> {
  await db.updateTable('teamMembers').set({ role: args.role }).where('teamId', '=', args.teamId).where('userId', '=', args.userId).execute();
}
