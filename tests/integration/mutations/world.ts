import { sql } from 'kysely';
import type { Db } from '../../../src/db/database';
import type { GraphQLResponse, TestServer } from '../../support/server';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';

/**
 * The cast most mutation tests need. Team A: Olivia (OWNER), Adam (ADMIN), Mia (MEMBER),
 * Vera (VIEWER) and Fred, who left (inactive). Team B belongs to Oscar, who is in no other team.
 * Mia created project A and its CRS document; Oscar created team B's.
 */
export interface World {
  fixtures: Fixtures;
  ids: {
    owner: number;
    admin: number;
    member: number;
    viewer: number;
    former: number;
    outsider: number;
    teamA: number;
    teamB: number;
    projectA: number;
    projectB: number;
    crsA: number;
    crsB: number;
    sessionA: number;
    sessionB: number;
  };
  /** Bearer tokens by person. */
  tokens: { owner: string; admin: string; member: string; viewer: string; former: string; outsider: string };
}

export async function buildWorld(db: Db, server: TestServer): Promise<World> {
  const fixtures = new Fixtures(db);
  const owner = await fixtures.user('olivia@example.com', 'Olivia Owner');
  const admin = await fixtures.user('adam@example.com', 'Adam Admin');
  const member = await fixtures.user('mia@example.com', 'Mia Member');
  const viewer = await fixtures.user('vera@example.com', 'Vera Viewer');
  const former = await fixtures.user('fred@example.com', 'Fred Former');
  const outsider = await fixtures.user('oscar@example.com', 'Oscar Outsider');
  const teamA = await fixtures.team(owner, 'Team A');
  await fixtures.member(teamA, admin, 'ADMIN');
  await fixtures.member(teamA, member, 'MEMBER');
  await fixtures.member(teamA, viewer, 'VIEWER');
  await fixtures.member(teamA, former, 'MEMBER', false);
  const teamB = await fixtures.team(outsider, 'Team B');
  const projectA = await fixtures.project(teamA, member, 'Payments');
  const projectB = await fixtures.project(teamB, outsider, 'Secret project');
  const crsA = await fixtures.crs(projectA, member, 'Payment gateway');
  const crsB = await fixtures.crs(projectB, outsider, 'Secret CRS');
  const sessionA = await fixtures.chatSession(projectA, member, 'Gateway questions');
  const sessionB = await fixtures.chatSession(projectB, outsider, 'Secret chat');
  const login = (email: string) => server.login(email, FIXTURE_PASSWORD);
  const tokens = {
    owner: await login('olivia@example.com'),
    admin: await login('adam@example.com'),
    member: await login('mia@example.com'),
    viewer: await login('vera@example.com'),
    former: await login('fred@example.com'),
    outsider: await login('oscar@example.com'),
  };
  return {
    fixtures,
    ids: { owner, admin, member, viewer, former, outsider, teamA, teamB, projectA, projectB, crsA, crsB, sessionA, sessionB },
    tokens,
  };
}

/** The response failed with exactly one error of `code` (and, if given, a message matching `message`), and no data. */
export function expectError(result: GraphQLResponse, code: string, message?: RegExp | string): void {
  expect(result.errors).toHaveLength(1);
  expect(result.errors?.[0].extensions?.code).toBe(code);
  if (message !== undefined) expect(result.errors?.[0].message).toMatch(message);
  expect(result.data ?? null).toBeNull();
}

/** The response succeeded; returns its data. */
export function expectData<T = any>(result: GraphQLResponse<T>): T {
  expect(result.errors).toBeUndefined();
  return result.data as T;
}

/** Rows of every table the write path touches, to show that a refused mutation wrote nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = ['projects', 'crs_documents', 'comments', 'invitations', 'notifications', 'chat_sessions', 'messages', 'team_members', 'ai_memory_index'];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<{ count: number }>`SELECT COUNT(*) AS count FROM ${sql.table(table)}`.execute(db);
    counts[table] = Number(result.rows[0].count);
  }
  return counts;
}

/** The memory outbox rows of one source. */
export async function outboxRows(db: Db, sourceType: 'CRS' | 'COMMENT' | 'MESSAGE', sourceId: number) {
  return db.selectFrom('aiMemoryIndex').selectAll().where('sourceType', '=', sourceType).where('sourceId', '=', sourceId).execute();
}

/** Notifications of `type` about `referenceId`, as (user id → count). */
export async function notificationsAbout(db: Db, type: string, referenceId: number): Promise<Map<number, number>> {
  const rows = await sql<{ userId: number; count: number }>`SELECT user_id, COUNT(*) AS count FROM notifications
    WHERE type = ${type} AND reference_id = ${referenceId} GROUP BY user_id`.execute(db);
  return new Map(rows.rows.map((row) => [Number(row.userId), Number(row.count)]));
}
