import type { Db } from '../src/db/database';

/**
 * Inserts a team with its creator as its active OWNER, in the caller's transaction, and
 * returns the team's id:
 * ```sql
 * INSERT INTO teams (name, description, created_by) VALUES (?, ?, ?)
 * INSERT INTO team_members (team_id, user_id, role) VALUES (?, ?, 'OWNER')
 * ```
 */
export async function insertTeamWithOwner(db: Db, values: { name: string; description: string | null; createdBy: number }): Promise<number> {
  const result = await db.insertInto('teams').values(values).executeTakeFirstOrThrow();
  const teamId = Number(result.insertId);
  await db.insertInto('teamMembers').values({ teamId, userId: values.createdBy, role: 'OWNER' }).execute();
  return teamId;
}
