import { databaseNameOf } from '../../../src/db/ensureDatabase';
import { crsMemoryText } from '../../../src/memory/memorySources';
import { MemoryStore } from '../../../src/memory/memoryStore';
import { contentHashOf, enqueueMemory } from '../../../src/memory/outbox';
import { reindexMemory } from '../../../src/memory/reindex';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { memoryEntries, recordEmbedCalls, SEARCH, startRecordingProxy, TEXTS } from './helpers';

const REINDEX = 'mutation ($projectId: ID!) { reindexProjectMemory(projectId: $projectId) }';

/**
 * Rebuilding memory from MySQL: the data here was written without the outbox (as the seed
 * writes it), so nothing is searchable until a reindex.
 */
describe('reindexing semantic memory', () => {
  let chroma: TestChroma;
  let database: TestDatabase;
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [chroma, database] = await Promise.all([startTestChroma(), createTestDatabase('memory_reindex')]);
    const f = new Fixtures(database.db);
    for (const name of ['owner', 'admin', 'member', 'outsider']) ids[name] = await f.user(`${name}@example.com`);
    ids.team = await f.team(ids.owner, 'Team');
    ids.otherTeam = await f.team(ids.outsider, 'Elsewhere');
    await f.member(ids.team, ids.admin, 'ADMIN');
    await f.member(ids.team, ids.member, 'MEMBER');
    ids.project = await f.project(ids.team, ids.owner, 'Alpha');
    ids.second = await f.project(ids.team, ids.owner, 'Beta');
    ids.auth = await f.crs(ids.project, ids.owner, 'Sign-in', 'DRAFT', TEXTS.AUTHENTICATION);
    ids.budget = await f.crs(ids.project, ids.owner, 'Budget', 'DRAFT', TEXTS.BUDGET_REPORT);
    ids.weather = await f.crs(ids.project, ids.owner, 'Weather', 'DRAFT', TEXTS.WEATHER);
    ids.comment1 = await f.comment(ids.auth, ids.member, 'Lock accounts after five failures.');
    ids.comment2 = await f.comment(ids.budget, ids.member, 'Monthly is enough.');
    ids.session = await f.chatSession(ids.project, ids.owner, 'Chat');
    ids.message1 = await f.message(ids.session, 'USER', ids.owner, 'Which password rules apply?');
    ids.message2 = await f.message(ids.session, 'AI', null, 'At least twelve characters.');
    ids.secondCrs = await f.crs(ids.second, ids.owner, 'Indexes', 'DRAFT', TEXTS.INDEXES);
    ids.elsewhereCrs = await f.crs(await f.project(ids.otherTeam, ids.outsider, 'Gamma'), ids.outsider, 'Other', 'DRAFT', TEXTS.WEATHER);

    server = await startTestServer(database.url, { CHROMA_URL: chroma.url }, { outboxWorker: { autoStart: false } });
    for (const name of ['owner', 'admin', 'member', 'outsider']) tokens[name] = await server.login(`${name}@example.com`, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([database?.drop(), chroma?.stop()]);
  });

  const search = (projectId: number, token = tokens.owner) =>
    server.graphql(SEARCH, { projectId, query: 'login and password security', limit: 50, maxDistance: 2 }, token);

  it('lets the OWNER rebuild a project and returns how many memories were indexed', async () => {
    expect((await search(ids.project)).data.searchMemory).toEqual([]);

    const result = await server.graphql(REINDEX, { projectId: String(ids.project) }, tokens.owner);

    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ reindexProjectMemory: 7 });
    const hits = (await search(ids.project)).data.searchMemory as { id: string }[];
    expect(hits).toHaveLength(7);
    expect(hits[0].id).toBe(`crs-${ids.auth}`);
    const entries = await memoryEntries(database.db);
    expect(entries.get(`crs-${ids.auth}`)).toMatchObject({
      status: 'indexed',
      attempts: 0,
      contentHash: contentHashOf(crsMemoryText('Sign-in', TEXTS.AUTHENTICATION)),
    });
    expect(entries.get(`message-${ids.message2}`)).toMatchObject({ status: 'indexed', contentHash: contentHashOf('At least twelve characters.') });
    // Only that project: the team's other project stays unindexed.
    expect(entries.has(`crs-${ids.secondCrs}`)).toBe(false);
  });

  it('lets an ADMIN reindex too', async () => {
    const result = await server.graphql(REINDEX, { projectId: String(ids.second) }, tokens.admin);
    expect(result.data).toEqual({ reindexProjectMemory: 1 });
  });

  it('refuses a MEMBER with FORBIDDEN and an outsider with NOT_FOUND, like a missing project', async () => {
    const member = await server.graphql(REINDEX, { projectId: String(ids.project) }, tokens.member);
    const outsider = await server.graphql(REINDEX, { projectId: String(ids.project) }, tokens.outsider);
    const missing = await server.graphql(REINDEX, { projectId: '999999' }, tokens.owner);
    const malformed = await server.graphql(REINDEX, { projectId: 'x1' }, tokens.owner);

    expect(member.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(outsider.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(outsider.errors?.[0].message).toBe(missing.errors?.[0].message.replace('999999', String(ids.project)));
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await server.graphql(REINDEX, { projectId: String(ids.project) })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('embeds and upserts in batches, leaves entries a newer write re-pended, and drops entries of deleted sources', async () => {
    const proxy = await startRecordingProxy(chroma.url);
    const memory = server.memory!;
    const store = new MemoryStore({
      chromaUrl: proxy.url,
      databaseName: databaseNameOf(database.url),
      modelId: memory.embedder.modelId,
      dimension: memory.embedder.dimension,
    });
    try {
      // A newer edit of the weather CRS waits in the outbox with another hash; a comment's row is gone.
      await enqueueMemory(database.db, [{ projectId: ids.project, sourceType: 'CRS', sourceId: ids.weather, text: 'Weather\n\nnewer text' }], 'live');
      await database.db.deleteFrom('comments').where('id', '=', ids.comment2).execute();
      const calls = recordEmbedCalls(memory.embedder);

      const result = await reindexMemory({ db: database.db, embedder: memory.embedder, store, projectId: ids.project, batchSize: 2 });
      calls.stop();

      // CRS 3 → 2 + 1, comments 1, messages 2: four batches, each one embedding call and one upsert.
      expect(result).toEqual({ indexed: 6, removed: 1 });
      expect(calls.map((call) => call.batchSize)).toEqual([2, 1, 1, 2]);
      expect(proxy.count(/\/upsert$/)).toBe(4);
      const entries = await memoryEntries(database.db);
      expect(entries.get(`crs-${ids.weather}`)).toMatchObject({ status: 'pending', contentHash: contentHashOf('Weather\n\nnewer text') });
      expect(entries.has(`comment-${ids.comment2}`)).toBe(false);
      const hits = (await search(ids.project)).data.searchMemory as { id: string }[];
      expect(hits.map((hit) => hit.id)).not.toContain(`comment-${ids.comment2}`);
    } finally {
      await proxy.close();
    }
  });

  it('rebuilds every project without a project id (npm run reindex -- --all)', async () => {
    const memory = server.memory!;
    const result = await reindexMemory({ db: database.db, embedder: memory.embedder, store: memory.store });

    expect(result).toEqual({ indexed: 8, removed: 0 });
    expect((await memoryEntries(database.db)).get(`crs-${ids.elsewhereCrs}`)?.status).toBe('indexed');
    expect((await search(ids.second)).data.searchMemory).toHaveLength(1);
  });
});
