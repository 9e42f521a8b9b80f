import { QueryCounter } from '../../../src/db/queryCounter';
import { crsMemoryText } from '../../../src/memory/memorySources';
import { OutboxWorker } from '../../../src/memory/outboxWorker';
import { enqueueMemory, type MemorySource } from '../../../src/memory/outbox';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { eventually, memoryEntries, recordEmbedCalls, SEARCH, startRecordingProxy, TEXTS, type RecordingProxy } from './helpers';

/**
 * The outbox worker against real MariaDB and Chroma. Writes go in the way the mutations make
 * them: the row and its enqueueMemory in one transaction. Chroma sits behind a recording proxy,
 * so the tests can count (and hold back) its requests.
 */
describe('memory outbox worker', () => {
  let chroma: TestChroma;
  let proxy: RecordingProxy;
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  let f: Fixtures;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [chroma, database] = await Promise.all([startTestChroma(), createTestDatabase('memory_outbox')]);
    proxy = await startRecordingProxy(chroma.url);
    f = new Fixtures(database.db);
    ids.alice = await f.user('alice@example.com');
    ids.team = await f.team(ids.alice, 'Team');
    ids.project = await f.project(ids.team, ids.alice, 'Bulk');
    ids.other = await f.project(ids.team, ids.alice, 'Other');
    server = await startTestServer(database.url, { CHROMA_URL: proxy.url }, { outboxWorker: { autoStart: false } });
    token = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await Promise.all([database?.drop(), chroma?.stop()]);
  });

  const worker = () => server.memory!.worker;

  /** Inserts CRS documents and enqueues them in one transaction, as createCrsDocument does. */
  async function writeCrs(projectId: number, documents: { title: string; content: string }[]): Promise<MemorySource[]> {
    return database.db.transaction().execute(async (trx) => {
      const sources: MemorySource[] = [];
      for (const { title, content } of documents) {
        const { insertId } = await trx.insertInto('crsDocuments').values({ projectId, createdBy: ids.alice, title, content }).executeTakeFirstOrThrow();
        sources.push({ projectId, sourceType: 'CRS', sourceId: Number(insertId), text: crsMemoryText(title, content) });
      }
      await enqueueMemory(trx, sources, 'live');
      return sources;
    });
  }

  /** Changes a CRS document's content and enqueues it, as updateCrsDocument does. */
  async function updateCrs(id: number, content: string): Promise<void> {
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('crsDocuments').set({ content, version: (eb) => eb('version', '+', 1) }).where('id', '=', id).execute();
      const { projectId, title } = await trx.selectFrom('crsDocuments').select(['projectId', 'title']).where('id', '=', id).executeTakeFirstOrThrow();
      await enqueueMemory(trx, [{ projectId, sourceType: 'CRS', sourceId: id, text: crsMemoryText(title, content) }], 'live');
    });
  }

  const search = async (projectId: number, query: string) => {
    const result = await server.graphql(SEARCH, { projectId, query, limit: 50, maxDistance: 2 }, token);
    expect(result.errors).toBeUndefined();
    return result.data.searchMemory as { id: string; text: string; distance: number }[];
  };

  it('indexes a batch of 64 due entries with one Chroma upsert, embedding them in calls of at most 2,000 characters', async () => {
    const sources = await writeCrs(
      ids.project,
      Array.from({ length: 130 }, (_, n) => ({ title: `Requirement ${n + 1}`, content: `The system shall keep audit record number ${n + 1}.` })),
    );
    const shortest = Math.min(...sources.map((source) => source.text.length));
    const calls = recordEmbedCalls(server.memory!.embedder);
    proxy.requests.length = 0;

    const first = await worker().runOnce();
    const firstUpserts = proxy.count(/\/upsert$/);
    const firstCalls = calls.length;
    const second = await worker().runOnce();
    const third = await worker().runOnce();
    calls.stop();

    expect(first).toEqual({ indexed: 64, failed: 0, removed: 0 });
    expect(firstUpserts).toBe(1);
    expect(second).toEqual({ indexed: 64, failed: 0, removed: 0 });
    expect(third).toEqual({ indexed: 2, failed: 0, removed: 0 });
    expect(proxy.count(/\/upsert$/)).toBe(3);
    // 64 texts of over 60 characters need two calls or more; none holds more than 2,000 characters.
    expect(firstCalls).toBeGreaterThanOrEqual(2);
    expect(calls.map((call) => call.batchSize).reduce((sum, size) => sum + size, 0)).toBe(130);
    expect(calls.every((call) => call.batchSize <= Math.floor(2000 / shortest))).toBe(true);
    const entries = await memoryEntries(database.db);
    expect(sources.every((source) => entries.get(`crs-${source.sourceId}`)?.status === 'indexed')).toBe(true);
    expect(await worker().backlog()).toBe(0);
    // The oldest were taken first: the 2 left for the third batch are the last 2 written.
    expect((await search(ids.project, 'audit record number 130')).map((hit) => hit.id)).toContain(`crs-${sources[129].sourceId}`);
  });

  it('never embeds unchanged content again', async () => {
    const sources = await writeCrs(ids.project, [{ title: 'Export', content: TEXTS.BUDGET_REPORT }]);
    await worker().runOnce();
    const calls = recordEmbedCalls(server.memory!.embedder);
    proxy.requests.length = 0;

    await database.db.transaction().execute((trx) => enqueueMemory(trx, sources, 'live'));
    const result = await worker().runOnce();
    calls.stop();

    expect(result).toEqual({ indexed: 0, failed: 0, removed: 0 });
    expect(calls).toHaveLength(0);
    expect(proxy.count(/\/upsert$/)).toBe(0);
    expect((await memoryEntries(database.db)).get(`crs-${sources[0].sourceId}`)?.status).toBe('indexed');
  });

  it('replaces the vector of an updated CRS document under the same id', async () => {
    const [source] = await writeCrs(ids.other, [{ title: 'Site', content: TEXTS.BUDGET_REPORT }]);
    await worker().runOnce();

    await updateCrs(source.sourceId, TEXTS.WEATHER);
    expect(await worker().runOnce()).toEqual({ indexed: 1, failed: 0, removed: 0 });

    const forNew = await search(ids.other, 'weather forecast for the construction site');
    const forOld = await search(ids.other, TEXTS.BUDGET_REPORT);
    expect(forNew[0]).toMatchObject({ id: `crs-${source.sourceId}`, text: crsMemoryText('Site', TEXTS.WEATHER) });
    expect(forOld.filter((hit) => hit.id === `crs-${source.sourceId}`)).toHaveLength(1);
    expect(forOld.some((hit) => hit.text.includes(TEXTS.BUDGET_REPORT))).toBe(false);
  });

  it('leaves an entry pending when a newer write changes it during the batch, and indexes the newer text next', async () => {
    const [source] = await writeCrs(ids.other, [{ title: 'Alerts', content: 'First draft of the alerting rules.' }]);
    // Hold the upsert back until a newer edit of the same document has committed.
    proxy.beforeForward = async (incoming) => {
      if (!incoming.url?.endsWith('/upsert')) return;
      proxy.beforeForward = undefined;
      await updateCrs(source.sourceId, TEXTS.NOTIFICATIONS);
    };

    const raced = await worker().runOnce();
    const afterRace = (await memoryEntries(database.db)).get(`crs-${source.sourceId}`);
    const next = await worker().runOnce();

    expect(raced).toEqual({ indexed: 0, failed: 0, removed: 0 });
    expect(afterRace).toMatchObject({ status: 'pending', attempts: 0 });
    expect(next).toEqual({ indexed: 1, failed: 0, removed: 0 });
    const hits = await search(ids.other, 'comments notify the owner by email');
    expect(hits[0]).toMatchObject({ id: `crs-${source.sourceId}`, text: crsMemoryText('Alerts', TEXTS.NOTIFICATIONS) });
  });

  it('deletes the entry and the vector of a source that is gone', async () => {
    const [crs] = await writeCrs(ids.other, [{ title: 'Doomed', content: 'A document about rain.' }]);
    const commentId = await f.comment(crs.sourceId, ids.alice, 'Rain is expected on the site all week.');
    await database.db.transaction().execute((trx) =>
      enqueueMemory(trx, [{ projectId: ids.other, sourceType: 'COMMENT', sourceId: commentId, text: 'Rain is expected on the site all week.' }], 'live'),
    );
    await worker().runOnce();
    expect((await search(ids.other, 'rain')).map((hit) => hit.id)).toContain(`comment-${commentId}`);

    // The comment is edited (pending again) and then deleted before the worker gets to it.
    await database.db.transaction().execute((trx) =>
      enqueueMemory(trx, [{ projectId: ids.other, sourceType: 'COMMENT', sourceId: commentId, text: 'Edited.' }], 'live'),
    );
    await database.db.deleteFrom('comments').where('id', '=', commentId).execute();

    expect(await worker().runOnce()).toEqual({ indexed: 0, failed: 0, removed: 1 });
    expect((await memoryEntries(database.db)).has(`comment-${commentId}`)).toBe(false);
    expect((await search(ids.other, 'rain')).map((hit) => hit.id)).not.toContain(`comment-${commentId}`);
  });

  it('reports the backlog, embedding and Chroma latencies on /metrics and Chroma on /health/ready', async () => {
    await writeCrs(ids.other, [{ title: 'Queued', content: 'Waiting for the worker.' }]);
    const before = await (await fetch(`${server.url}/metrics`)).text();
    await worker().runOnce();
    const after = await (await fetch(`${server.url}/metrics`)).text();
    const ready = await fetch(`${server.url}/health/ready`);

    expect(before).toMatch(/^bridgeai_memory_outbox_backlog 1$/m);
    expect(after).toMatch(/^bridgeai_memory_outbox_backlog 0$/m);
    expect(after).toMatch(/^bridgeai_embedding_duration_seconds_count\{model="use-lite"\} \d+$/m);
    expect(after).toMatch(/^bridgeai_embedding_batch_size_count \d+$/m);
    expect(after).toMatch(/^bridgeai_chroma_request_duration_seconds_count\{operation="upsert"\} \d+$/m);
    expect(after).toMatch(/^bridgeai_chroma_request_duration_seconds_count\{operation="query"\} \d+$/m);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { mysql: 'ok', chroma: 'ok' } });
  });

  it('polls less and less often while nothing is due, and at once again when notified', async () => {
    const statements = new QueryCounter();
    const idle = new OutboxWorker({
      db: database.db.withPlugin(statements),
      embedder: server.memory!.embedder,
      store: server.memory!.store,
      pollIntervalMs: 20,
      maxIdlePollMs: 5000,
    });
    await idle.runOnce(); // drains anything due, so the loop below finds nothing
    const before = statements.count;
    idle.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Every 20 ms would be about 75 polls; pauses of 20, 40, 80, … ms make 7 (the next is ~1 s away).
      const idlePolls = statements.count - before;
      expect(idlePolls).toBeGreaterThanOrEqual(4);
      expect(idlePolls).toBeLessThanOrEqual(12);
      const beforeNotify = statements.count;
      idle.notify();
      await eventually(async () => statements.count > beforeNotify, 300);
    } finally {
      await idle.stop();
    }
  });

  it('runs in the background, wakes on notify, and finishes the batch in flight when stopped', async () => {
    const sources = await writeCrs(
      ids.other,
      Array.from({ length: 20 }, (_, n) => ({ title: `Background ${n}`, content: `Indexed by the running worker, item ${n}.` })),
    );
    let stopped: Promise<void> | undefined;
    // Stop as soon as the batch has been embedded: its upsert and marking are still to come.
    const detach = server.memory!.embedder.onEmbed(() => {
      stopped ??= worker().stop();
    });
    worker().start();
    worker().notify();
    await eventually(async () => stopped !== undefined);
    await stopped;
    detach();

    const entries = await memoryEntries(database.db);
    expect(sources.map((source) => entries.get(`crs-${source.sourceId}`)?.status)).toEqual(sources.map(() => 'indexed'));
  });

  it('is woken by a mutation that writes memory, without waiting for its poll', async () => {
    const eager = await startTestServer(database.url, { CHROMA_URL: chroma.url }, { outboxWorker: { pollIntervalMs: 600_000 } });
    try {
      const aliceToken = await eager.login('alice@example.com', FIXTURE_PASSWORD);
      // Let the first poll (at start) find nothing, so only the mutation's wake-up can index the new document.
      await eventually(async () => (await eager.memory!.worker.backlog()) === 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const created = await eager.graphql(
        'mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }',
        { input: { projectId: String(ids.other), title: 'Woken', content: TEXTS.INDEXES } },
        aliceToken,
      );
      expect(created.errors).toBeUndefined();
      const id = created.data.createCrsDocument.id;

      await eventually(async () => (await memoryEntries(database.db)).get(`crs-${id}`)?.status === 'indexed', 10_000);
    } finally {
      await eager.stop();
    }
  });
});
