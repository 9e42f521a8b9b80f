import { sql } from 'kysely';
import { requeueMemoryLostFromChroma } from '../../../src/memory/lostMemory';
import { MemoryStore } from '../../../src/memory/memoryStore';
import { MemoryUnavailableError } from '../../../src/memory/memoryUnavailableError';
import { enqueueAllMemory } from '../../../src/memory/reindex';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { eventually, memoryEntries, SEARCH, TEXTS } from './helpers';

/**
 * MySQL records memories as indexed, but the Chroma the server now talks to does not hold them:
 * its volume was lost, or it was started afresh. The outbox worker notices at its start and
 * indexes them again, instead of searchMemory answering nothing until someone runs a reindex.
 */
describe('memory lost from Chroma', () => {
  let database: TestDatabase;
  let firstChroma: TestChroma;
  let freshChroma: TestChroma | undefined;
  let server: TestServer | undefined;
  let token: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [firstChroma, database] = await Promise.all([startTestChroma(), createTestDatabase('memory_lost')]);
    const f = new Fixtures(database.db);
    ids.owner = await f.user('owner@example.com');
    ids.team = await f.team(ids.owner, 'Team');
    ids.project = await f.project(ids.team, ids.owner, 'Alpha');
    ids.second = await f.project(ids.team, ids.owner, 'Beta');
    ids.auth = await f.crs(ids.project, ids.owner, 'Sign-in', 'DRAFT', TEXTS.AUTHENTICATION);
    ids.budget = await f.crs(ids.project, ids.owner, 'Budget', 'DRAFT', TEXTS.BUDGET_REPORT);
    ids.weather = await f.crs(ids.second, ids.owner, 'Weather', 'DRAFT', TEXTS.WEATHER);
    ids.indexes = await f.crs(ids.second, ids.owner, 'Indexes', 'DRAFT', TEXTS.INDEXES);
    await enqueueAllMemory(database.db);

    // Index everything into the first Chroma, then lose it with its data folder.
    server = await startTestServer(database.url, { CHROMA_URL: firstChroma.url }, { outboxWorker: { autoStart: false } });
    token = await server.login('owner@example.com', FIXTURE_PASSWORD);
    expect(await server.memory!.worker.runOnce()).toEqual({ indexed: 4, failed: 0, removed: 0 });
    expect(await hitIds(ids.project)).toEqual([`crs-${ids.auth}`, `crs-${ids.budget}`].sort());
    await server.stop();
    server = undefined;
    await firstChroma.stop();
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([database?.drop(), firstChroma?.stop(), freshChroma?.stop()]);
  });

  async function hitIds(projectId: number): Promise<string[]> {
    const result = await server!.graphql<{ searchMemory: { id: string }[] }>(SEARCH, { projectId, query: 'sign in with a password', limit: 10, maxDistance: 2 }, token);
    expect(result.errors).toBeUndefined();
    return result.data!.searchMemory.map((hit) => hit.id).sort();
  }

  /** Memories the running server's Chroma holds for the two projects. */
  async function storedInChroma(): Promise<number> {
    const store = server!.memory!.store;
    const names = new Set([ids.project, ids.second].map((projectId) => store.collectionNameOf(projectId)));
    let stored = 0;
    for (const name of names) stored += await store.count(name);
    return stored;
  }

  const statuses = async () => [...(await memoryEntries(database.db)).values()].map((entry) => entry.status);

  it('changes nothing while Chroma cannot be reached', async () => {
    const unreachable = new MemoryStore({ chromaUrl: 'http://127.0.0.1:9', databaseName: 'x', modelId: 'use-lite', dimension: 512, requestTimeoutMs: 2000 });
    await expect(requeueMemoryLostFromChroma(database.db, unreachable)).rejects.toThrow(MemoryUnavailableError);
    expect(await statuses()).toEqual(['indexed', 'indexed', 'indexed', 'indexed']);
  });

  it('queues lost memory in the backlog lane, behind live writes', async () => {
    await sql`UPDATE ai_memory_index SET lane = 'live'`.execute(database.db);
    const empty = await startTestChroma();
    try {
      const store = new MemoryStore({ chromaUrl: empty.url, databaseName: database.url.split('/').pop()!, modelId: 'use-lite', dimension: 512 });
      expect(await requeueMemoryLostFromChroma(database.db, store)).toEqual({ requeued: 4, shortCollections: [] });
      const rows = await database.db.selectFrom('aiMemoryIndex').select(['status', 'lane']).execute();
      expect(rows).toEqual(Array.from({ length: 4 }, () => ({ status: 'pending', lane: 'backlog' })));
    } finally {
      await sql`UPDATE ai_memory_index SET status = 'indexed'`.execute(database.db);
      await empty.stop();
    }
  });

  it('queues the memories again when the server starts against a Chroma that holds none, and searches find them again', async () => {
    freshChroma = await startTestChroma();
    // The outbox worker runs as in production: its loop starts with the server.
    server = await startTestServer(database.url, { CHROMA_URL: freshChroma.url }, { outboxWorker: { pollIntervalMs: 50 } });
    token = await server.login('owner@example.com', FIXTURE_PASSWORD);

    // The searches wait until the outbox has stored all four memories again.
    await eventually(async () => (await storedInChroma()) === 4 && (await statuses()).every((status) => status === 'indexed'), 60_000);
    expect(await hitIds(ids.project)).toEqual([`crs-${ids.auth}`, `crs-${ids.budget}`].sort());
    expect(await hitIds(ids.second)).toEqual([`crs-${ids.indexes}`, `crs-${ids.weather}`].sort());
  });

  it('leaves complete collections alone and only reports one that lost part of its memories', async () => {
    const store = server!.memory!.store;
    expect(await requeueMemoryLostFromChroma(database.db, store)).toEqual({ requeued: 0, shortCollections: [] });

    await store.delete({ projectId: ids.second, ids: [`crs-${ids.weather}`] });
    const name = store.collectionNameOf(ids.second);
    const recorded = [ids.project, ids.second].filter((projectId) => store.collectionNameOf(projectId) === name).length * 2;

    expect(await requeueMemoryLostFromChroma(database.db, store)).toEqual({
      requeued: 0,
      shortCollections: [{ name, stored: recorded - 1, recorded }],
    });
    expect(await statuses()).toEqual(['indexed', 'indexed', 'indexed', 'indexed']);
  });
});
