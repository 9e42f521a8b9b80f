import { enqueueAllMemory } from '../../../src/memory/reindex';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { recordEmbedCalls, SEARCH, TEXTS } from './helpers';

/**
 * searchMemory through real HTTP, MariaDB and Chroma with the default use-lite model. Alice owns
 * team A (projects Alpha and Apex), Bob is a member of A, Carol only belongs to team B.
 */
describe('searchMemory', () => {
  let chroma: TestChroma;
  let database: TestDatabase;
  let server: TestServer;
  let alice: string;
  let carol: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [chroma, database] = await Promise.all([startTestChroma(), createTestDatabase('memory_search')]);
    const f = new Fixtures(database.db);
    ids.alice = await f.user('alice@example.com');
    ids.bob = await f.user('bob@example.com');
    ids.carol = await f.user('carol@example.com');
    ids.teamA = await f.team(ids.alice, 'Team A');
    ids.teamB = await f.team(ids.carol, 'Team B');
    await f.member(ids.teamA, ids.bob, 'MEMBER');
    ids.alpha = await f.project(ids.teamA, ids.alice, 'Alpha');
    ids.apex = await f.project(ids.teamA, ids.alice, 'Apex');
    ids.bravo = await f.project(ids.teamB, ids.carol, 'Bravo');

    ids.auth = await f.crs(ids.alpha, ids.alice, 'Sign-in', 'DRAFT', TEXTS.AUTHENTICATION);
    ids.budget = await f.crs(ids.alpha, ids.alice, 'Budget report', 'DRAFT', TEXTS.BUDGET_REPORT);
    ids.weather = await f.crs(ids.alpha, ids.alice, 'Site weather', 'DRAFT', TEXTS.WEATHER);
    ids.notifications = await f.crs(ids.alpha, ids.alice, 'Comment notifications', 'DRAFT', TEXTS.NOTIFICATIONS);
    ids.indexes = await f.crs(ids.alpha, ids.alice, 'Lookups', 'DRAFT', TEXTS.INDEXES);
    ids.comment1 = await f.comment(ids.auth, ids.bob, 'Lock the account after five wrong passwords.');
    ids.comment2 = await f.comment(ids.budget, ids.bob, 'Budgets should be exported every month.');
    ids.session = await f.chatSession(ids.alpha, ids.alice, 'Planning');
    ids.message1 = await f.message(ids.session, 'USER', ids.alice, 'How do users reset a forgotten password?');
    ids.message2 = await f.message(ids.session, 'AI', null, 'They receive a reset link by email.');
    ids.apexAuth = await f.crs(ids.apex, ids.alice, 'Sign-in', 'DRAFT', TEXTS.AUTHENTICATION);
    ids.bravoAuth = await f.crs(ids.bravo, ids.carol, 'Sign-in', 'DRAFT', TEXTS.AUTHENTICATION);

    await enqueueAllMemory(database.db);
    server = await startTestServer(database.url, { CHROMA_URL: chroma.url }, { outboxWorker: { autoStart: false } });
    while ((await server.memory!.worker.runOnce()).indexed > 0);
    alice = await server.login('alice@example.com', FIXTURE_PASSWORD);
    carol = await server.login('carol@example.com', FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([database?.drop(), chroma?.stop()]);
  });

  const search = (variables: Record<string, unknown>, token = alice) =>
    server.graphql<{ searchMemory: { id: string; sourceType: string; text: string; distance: number }[] }>(SEARCH, variables, token);

  it('ranks the authentication document first and drops unrelated ones beyond maxDistance', async () => {
    const everything = await search({ projectId: ids.alpha, query: 'login and password security', sourceType: 'CRS', maxDistance: 2 });
    const related = await search({ projectId: ids.alpha, query: 'login and password security', sourceType: 'CRS', maxDistance: 0.5 });

    expect(everything.errors).toBeUndefined();
    expect(everything.data!.searchMemory).toHaveLength(5);
    expect(everything.data!.searchMemory[0]).toMatchObject({ id: `crs-${ids.auth}`, sourceType: 'CRS', text: `Sign-in\n\n${TEXTS.AUTHENTICATION}` });
    const distances = everything.data!.searchMemory.map((hit) => hit.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(related.data!.searchMemory.map((hit) => hit.id)).toEqual([`crs-${ids.auth}`]);
  });

  it('searches one project only, and one source type when asked', async () => {
    const all = await search({ projectId: ids.alpha, query: 'login and password security', limit: 50, maxDistance: 2 });
    const comments = await search({ projectId: ids.alpha, query: 'password', sourceType: 'COMMENT', limit: 50, maxDistance: 2 });
    const apex = await search({ projectId: ids.apex, query: 'login and password security', limit: 50, maxDistance: 2 });

    expect(all.data!.searchMemory.map((hit) => hit.id).sort()).toEqual(
      [
        ...[ids.auth, ids.budget, ids.weather, ids.notifications, ids.indexes].map((id) => `crs-${id}`),
        ...[ids.comment1, ids.comment2].map((id) => `comment-${id}`),
        ...[ids.message1, ids.message2].map((id) => `message-${id}`),
      ].sort(),
    );
    expect(comments.data!.searchMemory.map((hit) => hit.id).sort()).toEqual([`comment-${ids.comment1}`, `comment-${ids.comment2}`].sort());
    expect(comments.data!.searchMemory.every((hit) => hit.sourceType === 'COMMENT')).toBe(true);
    expect(apex.data!.searchMemory.map((hit) => hit.id)).toEqual([`crs-${ids.apexAuth}`]);
  });

  it("says in Server-Timing how long the question's embedding and the Chroma query took, and only for a project the viewer may see", async () => {
    const timingOf = async (projectId: number, token: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: SEARCH, variables: { projectId, query: 'a question about server timing' } }),
      });
      await response.json();
      return response.headers.get('server-timing');
    };

    expect(await timingOf(ids.alpha, alice)).toMatch(/^embedding;dur=\d+\.\d, chroma;dur=\d+\.\d$/);
    expect(await timingOf(ids.alpha, carol)).toBeNull();
  });

  it('honours limit', async () => {
    const two = await search({ projectId: ids.alpha, query: 'password', limit: 2, maxDistance: 2 });
    expect(two.data!.searchMemory).toHaveLength(2);
  });

  it('answers [] to a user outside the team, whatever the arguments, exactly as for a missing project', async () => {
    const variants: Record<string, unknown>[] = [
      {},
      { maxDistance: 2 },
      { limit: 50, maxDistance: 2 },
      ...['CRS', 'COMMENT', 'MESSAGE'].map((sourceType) => ({ sourceType, limit: 50, maxDistance: 2 })),
    ];
    for (const variant of variants) {
      const outsider = await search({ projectId: ids.alpha, query: 'login and password security', ...variant }, carol);
      const missing = await search({ projectId: 999999, query: 'login and password security', ...variant }, alice);
      expect(outsider).toMatchObject({ status: 200, data: { searchMemory: [] } });
      expect(outsider.errors).toBeUndefined();
      expect(missing.data).toEqual(outsider.data);
    }
    // Carol still finds her own team's memory.
    const own = await search({ projectId: ids.bravo, query: 'login and password security', maxDistance: 2 }, carol);
    expect(own.data!.searchMemory.map((hit) => hit.id)).toEqual([`crs-${ids.bravoAuth}`]);
  });

  it('embeds a question asked again only once, with the same hits whatever the filter', async () => {
    const question = 'password reset by email';
    const calls = recordEmbedCalls(server.memory!.embedder);

    const first = await search({ projectId: ids.alpha, query: question, limit: 50, maxDistance: 2 });
    const again = await search({ projectId: ids.alpha, query: question, limit: 50, maxDistance: 2 });
    const comments = await search({ projectId: ids.alpha, query: question, sourceType: 'COMMENT', limit: 50, maxDistance: 2 });

    calls.stop();
    expect(calls).toHaveLength(1);
    expect(first.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(comments.data!.searchMemory).toEqual(first.data!.searchMemory.filter((hit) => hit.sourceType === 'COMMENT'));
  });

  it("never answers one viewer from another's question, nor across teams", async () => {
    const question = 'who may sign in to the site';
    const own = await search({ projectId: ids.alpha, query: question, limit: 50, maxDistance: 2 });
    const calls = recordEmbedCalls(server.memory!.embedder);

    const outsider = await search({ projectId: ids.alpha, query: question, limit: 50, maxDistance: 2 }, carol);
    const carolsOwn = await search({ projectId: ids.bravo, query: question, limit: 50, maxDistance: 2 }, carol);

    calls.stop();
    expect(own.data!.searchMemory.length).toBeGreaterThan(0);
    expect(outsider).toMatchObject({ status: 200, data: { searchMemory: [] } });
    expect(carolsOwn.data!.searchMemory.map((hit) => hit.id)).toEqual([`crs-${ids.bravoAuth}`]);
    // Carol's question was embedded for her (once, shared by her two searches), not taken from Alice's.
    expect(calls).toHaveLength(1);
  });

  it.each([
    ['a malformed projectId', { projectId: 'abc' }, 'projectId'],
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 51', { limit: 51 }, 'limit'],
    ['maxDistance -0.1', { maxDistance: -0.1 }, 'maxDistance'],
    ['maxDistance 2.01', { maxDistance: 2.01 }, 'maxDistance'],
    ['a blank query', { query: '   ' }, 'query'],
    ['a query of 2,001 characters', { query: 'x'.repeat(2001) }, 'query'],
  ])('rejects %s as BAD_USER_INPUT', async (_label, variables, field) => {
    const result = await search({ projectId: ids.alpha, query: 'password', ...variables });
    expect(result.data).toBeNull();
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('accepts the bounds themselves', async () => {
    const result = await search({ projectId: ids.alpha, query: 'x'.repeat(2000), limit: 50, maxDistance: 0 });
    expect(result.errors).toBeUndefined();
    const wide = await search({ projectId: ids.alpha, query: 'password', limit: 1, maxDistance: 2 });
    expect(wide.data!.searchMemory).toHaveLength(1);
  });

  it('asks for a signed-in user', async () => {
    const result = await server.graphql(SEARCH, { projectId: ids.alpha, query: 'password' });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves every source with one SQL statement per source type', async () => {
    const query = (withSources: boolean) => `query ($projectId: ID!) {
      searchMemory(projectId: $projectId, query: "password", limit: 50, maxDistance: 2) {
        id sourceType
        ${withSources ? `source {
          __typename
          ... on CrsDocument { id title }
          ... on Comment { id content }
          ... on Message { id content }
        }` : ''}
      }
    }`;
    const bare = await server.graphql(query(false), { projectId: ids.alpha }, alice);
    const withSources = await server.graphql(query(true), { projectId: ids.alpha }, alice);

    expect(withSources.errors).toBeUndefined();
    const hits = withSources.data.searchMemory as { id: string; sourceType: string; source: { __typename: string; id: string } }[];
    expect(hits).toHaveLength(9);
    for (const hit of hits) {
      const [kind, id] = hit.id.split('-');
      expect(hit.source).toMatchObject({ __typename: { crs: 'CrsDocument', comment: 'Comment', message: 'Message' }[kind], id });
    }
    // 5 CRS, 2 comments and 2 messages: three more statements, not nine.
    expect(withSources.extensions!.queryCount! - bare.extensions!.queryCount!).toBe(3);
  });

  it('leaves source null when the row is gone', async () => {
    const f = new Fixtures(database.db);
    const doomed = await f.comment(ids.weather, ids.bob, 'Rain delays the construction site.');
    await enqueueAllMemory(database.db, { projectId: ids.alpha });
    await server.memory!.worker.runOnce();
    await database.db.deleteFrom('comments').where('id', '=', doomed).execute();

    const result = await server.graphql(
      `query ($projectId: ID!) { searchMemory(projectId: $projectId, query: "rain at the site", sourceType: COMMENT, limit: 50, maxDistance: 2) { id source { __typename } } }`,
      { projectId: ids.alpha },
      alice,
    );

    expect(result.errors).toBeUndefined();
    expect(result.data.searchMemory).toContainEqual({ id: `comment-${doomed}`, source: null });
  });
});
