import { createConnection } from 'mysql2/promise';
import { Random } from '../src/seed/prng';
import type { RequestBody } from './load/loadTest';
import { chatMessagesQuery, notificationsQuery, projectsQuery } from './queries';

/** The demo account's user id (src/seed/generators/people.ts). */
const DEMO_USER_ID = 1;

/** Chat sessions of the projects in the demo account's active teams, the ones it may read. */
export async function demoChatSessionIds(databaseUrl: string): Promise<number[]> {
  const connection = await createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query<any[]>(
      `SELECT s.id FROM chat_sessions s
       JOIN projects p ON p.id = s.project_id
       JOIN team_members m ON m.team_id = p.team_id AND m.user_id = ? AND m.is_active = 1
       ORDER BY s.id`,
      [DEMO_USER_ID],
    );
    const ids = rows.map((row) => Number(row.id));
    if (ids.length === 0) throw new Error('the demo account sees no chat session; is the bench database seeded?');
    return ids;
  } finally {
    await connection.end();
  }
}

/**
 * The seed's locust mix as request bodies: every connection cycles N P N M N P, so the mix is
 * exactly notifications 3 : projects 2 : chat messages 1; each chat request draws a session id
 * (from a seeded generator, so runs are repeatable).
 */
export function seedMixBodies(sessionIds: readonly number[], seed: number): RequestBody[] {
  const random = new Random(seed);
  const notifications = JSON.stringify({ query: notificationsQuery });
  const projects = JSON.stringify({ query: projectsQuery });
  const messages = () => JSON.stringify({ query: chatMessagesQuery, variables: { id: String(random.pick(sessionIds)) } });
  return [notifications, projects, notifications, messages, notifications, projects];
}
