import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { DEMO_ACCOUNT } from '../context';

/** A search the scenario sends: `email` signs in and searches `projectId`. */
export interface Searcher {
  readonly email: string;
  readonly projectId: number;
}

/** Who searches what at one size: members in their own projects, and outsiders who must get []. */
export interface SearchViewers {
  /** Projects that hold memories at this size, each with an active member of its team. */
  readonly members: readonly Searcher[];
  /** The same projects, each with the first user (by id) who is not an active member of its team. */
  readonly outsiders: readonly Searcher[];
}

/**
 * Up to `count` projects spread evenly over those that hold memories when Chroma holds the first
 * `memories` memory sources in project order (searchedMemories.ts), so that the searches visit
 * many shards. Each is searched by an active member of its team (the demo account where it is
 * one, else the member with the lowest id) and, for the visibility check, by a user who is not.
 */
export async function searchViewers(db: Db, memories: number, count: number): Promise<SearchViewers> {
  const present = await sql<{ projectId: number }>`
    SELECT DISTINCT project_id FROM (SELECT project_id FROM ai_memory_index ORDER BY project_id, id LIMIT ${memories}) AS stored
    ORDER BY project_id`.execute(db);
  const all = present.rows.map((row) => row.projectId);
  const step = Math.max(1, all.length / count);
  const chosen = [...new Set(Array.from({ length: Math.min(count, all.length) }, (_, index) => all[Math.floor(index * step)]!))];

  const members: Searcher[] = [];
  const outsiders: Searcher[] = [];
  for (const projectId of chosen) {
    const team = await db.selectFrom('projects').select('teamId').where('id', '=', projectId).executeTakeFirstOrThrow();
    const activeMembers = db.selectFrom('teamMembers').select('userId').where('teamId', '=', team.teamId).where('isActive', '=', 1);
    const member = await db
      .selectFrom('users')
      .select('email')
      .where('id', 'in', activeMembers)
      .orderBy(sql`email = ${DEMO_ACCOUNT.email}`, 'desc')
      .orderBy('id')
      .executeTakeFirst();
    const outsider = await db.selectFrom('users').select('email').where('id', 'not in', activeMembers).orderBy('id').executeTakeFirst();
    if (member) members.push({ email: member.email, projectId });
    if (outsider) outsiders.push({ email: outsider.email, projectId });
  }
  return { members, outsiders };
}
