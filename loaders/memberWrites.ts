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
