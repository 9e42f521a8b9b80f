import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { contentHashOf } from '../../../src/memory/outbox';
import { buildWorld, expectData, expectError, outboxRows, rowCounts, type World } from './world';

const START = `mutation ($projectId: ID!, $name: String!) {
  startChatSession(projectId: $projectId, name: $name) { id name startedAt user { email } project { id chatSessions { id } } }
}`;
const POST = `mutation ($sessionId: ID!, $content: String!) {
  postMessage(sessionId: $sessionId, content: $content) {
    id senderType content timestamp sender { email }
    session { id messages(first: 3) { edges { node { id content } } } }
  }
}`;
const PAGE = `query ($id: ID!, $first: Int, $before: String) {
  chatSession(id: $id) { messages(first: $first, before: $before) { edges { node { id } } pageInfo { hasNextPage endCursor } } }
}`;

describe('startChatSession and postMessage', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_chat');
    server = await startTestServer(database.url);
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const start = (projectId: number | string, name: string, token?: string) => server.graphql(START, { projectId: String(projectId), name }, token);
  const post = (sessionId: number | string, content: string, token?: string) => server.graphql(POST, { sessionId: String(sessionId), content }, token);

  describe('startChatSession', () => {
    it("starts a session owned by the viewer, listed in its project's sessions in the same response", async () => {
      const result = await start(world.ids.projectA, '  Fraud rules  ', world.tokens.member);
      const session = expectData(result).startChatSession;
      expect(session).toMatchObject({ name: 'Fraud rules', user: { email: 'mia@example.com' }, project: { id: String(world.ids.projectA) } });
      expect(session.project.chatSessions[0]).toEqual({ id: session.id });
      const row = await database.db.selectFrom('chatSessions').selectAll().where('id', '=', Number(session.id)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ projectId: world.ids.projectA, userId: world.ids.member, name: 'Fraud rules' });
      expect(row.startedAt.toISOString()).toBe(session.startedAt);
    });

    it.each([
      ['an empty name', null, '', /^name: must not be empty\.$/],
      ['a name over 200 characters', null, 'n'.repeat(201), /^name: must be at most 200 characters/],
      ['a malformed project id', 'p1', 'Fine', /^projectId: "p1" is not an id/],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, projectId, name, message) => {
      const before = await rowCounts(database.db);
      expectError(await start(projectId ?? world.ids.projectA, name, world.tokens.member), 'BAD_USER_INPUT', message);
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('is NOT_FOUND outside the team, FORBIDDEN for a VIEWER, UNAUTHENTICATED without a token', async () => {
      const before = await rowCounts(database.db);
      expectError(await start(world.ids.projectB, 'Spy', world.tokens.member), 'NOT_FOUND', `Project "${world.ids.projectB}" was not found.`);
      expectError(await start(999999, 'Spy', world.tokens.member), 'NOT_FOUND', 'Project "999999" was not found.');
      expectError(await start(world.ids.projectA, 'Spy', world.tokens.viewer), 'FORBIDDEN', /starting a chat session needs/);
      expectError(await start(world.ids.projectA, 'Spy'), 'UNAUTHENTICATED');
      expect(await rowCounts(database.db)).toEqual(before);
    });
  });

  describe('postMessage', () => {
    it('posts a USER message from the viewer, newest first in the session in the same response', async () => {
      const sessionId = await world.fixtures.chatSession(world.ids.projectA, world.ids.member, 'Talk');
      await world.fixtures.message(sessionId, 'AI', null, 'How can I help?');
      const result = await post(sessionId, 'Summarise the refund rules.', world.tokens.admin);
      const message = expectData(result).postMessage;
      expect(message).toMatchObject({ senderType: 'USER', content: 'Summarise the refund rules.', sender: { email: 'adam@example.com' } });
      expect(new Date(message.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(message.session.messages.edges.map((edge: any) => edge.node.content)).toEqual(['Summarise the refund rules.', 'How can I help?']);
      const row = await database.db.selectFrom('messages').selectAll().where('id', '=', Number(message.id)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ sessionId, senderType: 'USER', senderId: world.ids.admin });
    });

    it('leaves exactly one pending outbox row for the message, with its project', async () => {
      const message = expectData(await post(world.ids.sessionA, 'Remember this.', world.tokens.member)).postMessage;
      const rows = await outboxRows(database.db, 'MESSAGE', Number(message.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ projectId: world.ids.projectA, status: 'pending', contentHash: contentHashOf('Remember this.') });
    });

    it('pages messages of one millisecond newest first by id, with stable cursors', async () => {
      const sessionId = await world.fixtures.chatSession(world.ids.projectA, world.ids.member, 'Ties');
      const at = new Date(Date.UTC(2026, 2, 1, 12, 0, 0, 123));
      const ids: number[] = [];
      for (let i = 0; i < 5; i += 1) ids.push(await world.fixtures.message(sessionId, i % 2 ? 'AI' : 'USER', i % 2 ? null : world.ids.member, `Tie ${i}`, at));
      // A message posted now is newer than all of them.
      const posted = Number(expectData(await post(sessionId, 'Latest', world.tokens.member)).postMessage.id);
      const seen: number[] = [];
      let before: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const data: any = expectData(await server.graphql(PAGE, { id: String(sessionId), first: 2, before }, world.tokens.viewer));
        seen.push(...data.chatSession.messages.edges.map((edge: any) => Number(edge.node.id)));
        if (!data.chatSession.messages.pageInfo.hasNextPage) break;
        before = data.chatSession.messages.pageInfo.endCursor;
      }
      expect(seen).toEqual([posted, ...ids.reverse()]);
    });

    it('pages 10 messages posted at once exactly once each, newest first', async () => {
      const sessionId = await world.fixtures.chatSession(world.ids.projectA, world.ids.member, 'Burst');
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post(sessionId, `Burst ${i}`, world.tokens.member)));
      for (const result of results) expectData(result);
      const rows = await database.db.selectFrom('messages').select(['id', 'timestamp']).where('sessionId', '=', sessionId).execute();
      const newestFirst = rows
        .sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime() || b.id - a.id)
        .map((row) => row.id);
      const seen: number[] = [];
      let before: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const data: any = expectData(await server.graphql(PAGE, { id: String(sessionId), first: 3, before }, world.tokens.member));
        seen.push(...data.chatSession.messages.edges.map((edge: any) => Number(edge.node.id)));
        if (!data.chatSession.messages.pageInfo.hasNextPage) break;
        before = data.chatSession.messages.pageInfo.endCursor;
      }
      expect(seen).toEqual(newestFirst);
    });

    it.each([
      ['empty content', null, ' ', /^content: must not be empty\.$/],
      ['content larger than a TEXT column', null, 'ü'.repeat(40000), /^content: must be at most 65535 bytes \(got 80000\)\.$/],
      ['a malformed session id', 's-1', 'Fine', /^sessionId: "s-1" is not an id/],
    ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, sessionId, content, message) => {
      const before = await rowCounts(database.db);
      expectError(await post(sessionId ?? world.ids.sessionA, content, world.tokens.member), 'BAD_USER_INPUT', message);
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('is NOT_FOUND outside the team, FORBIDDEN for a VIEWER, UNAUTHENTICATED without a token', async () => {
      const before = await rowCounts(database.db);
      expectError(await post(world.ids.sessionB, 'Hi', world.tokens.member), 'NOT_FOUND', `Chat session "${world.ids.sessionB}" was not found.`);
      expectError(await post(999999, 'Hi', world.tokens.member), 'NOT_FOUND', 'Chat session "999999" was not found.');
      expectError(await post(world.ids.sessionA, 'Hi', world.tokens.viewer), 'FORBIDDEN', /posting a chat message needs/);
      expectError(await post(world.ids.sessionA, 'Hi'), 'UNAUTHENTICATED');
      expect(await rowCounts(database.db)).toEqual(before);
    });
  });
});
