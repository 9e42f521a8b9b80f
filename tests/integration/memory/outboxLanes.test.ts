import { sql } from 'kysely';
import type { Embedder } from '../../../src/memory/embedder';
import { crsMemoryText } from '../../../src/memory/memorySources';
import { enqueueMemory } from '../../../src/memory/outbox';
import { OutboxWorker } from '../../../src/memory/outboxWorker';
import { enqueueAllMemory } from '../../../src/memory/reindex';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { captureLogger } from '../../support/ops';
import { buildTinyModel, type TinyModel } from '../../support/tinyModel';
import { eventually, insertDistinctComments, memoryEntries, SEARCH } from './helpers';

const BATCH_SIZE = 20;
const BACKLOG = 400;
/** The first backlog texts are about 25 characters: a call of at most 60 characters holds two of them. */
const CHUNK_CHARS = 60;

/**
 * The outbox's two lanes against real MariaDB and Chroma, with the tiny model: mutations' writes
 * (live) are indexed before a backlog of hundreds of entries (the seed's lane), the backlog still
 * drains at full batches while no write waits, and neither lane starves the other. Everything is
 * counted in batches and embedding calls, never in time.
 */
describe('memory outbox lanes', () => {
  let tinyModel: TinyModel;
  let chroma: TestChroma;
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  let f: Fixtures;
  let logLines: () => Record<string, any>[];
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [tinyModel, chroma, database] = await Promise.all([buildTinyModel(), startTestChroma(), createTestDatabase('memory_lanes')]);
    f = new Fixtures(database.db);
    ids.alice = await f.user('alice@example.com');
    ids.project = await f.project(await f.team(ids.alice, 'Team'), ids.alice, 'Lanes');
    ids.crs = await f.crs(ids.project, ids.alice, 'weather', 'DRAFT', 'rain and sun');
    await enqueueAllMemory(database.db);
    const captured = captureLogger('info');
    logLines = captured.lines;
    server = await startTestServer(
      database.url,
      { CHROMA_URL: chroma.url, EMBEDDING_MODEL: tinyModel.modelId, EMBEDDING_MODEL_DIR: tinyModel.dir, MEMORY_OUTBOX_BATCH_SIZE: String(BATCH_SIZE) },
      { outboxWorker: { autoStart: false }, logger: captured.logger },
    );
    token = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([database?.drop(), chroma?.stop(), tinyModel?.remove()]);
  });

  /**
   * Starts every test from an empty outbox: whatever an earlier test left pending counts as
   * indexed, and a batch that finds nothing ends the server worker's backlog drain.
   */
  beforeEach(async () => {
    await sql`UPDATE ai_memory_index SET status = 'indexed' WHERE status = 'pending'`.execute(database.db);
    await worker().runOnce();
  });

  /** `count` new comments queued the way the seed's data is: enqueueAllMemory, the backlog lane. */
  async function queueBacklog(count: number): Promise<void> {
    await insertDistinctComments(database.db, { crsId: ids.crs, authorId: ids.alice, count });
    await enqueueAllMemory(database.db);
    expect(await pendingBacklog()).toBe(count);
  }

  /** `count` CRS documents written and queued in one transaction, as a mutation does: the live lane. */
  async function writeLive(count: number, title = 'login'): Promise<{ embeddingId: string; text: string }[]> {
    return database.db.transaction().execute(async (trx) => {
      const sources = [];
      for (let n = 0; n < count; n += 1) {
        const content = 'the user must reset the password for login security';
        const { insertId } = await trx.insertInto('crsDocuments').values({ projectId: ids.project, createdBy: ids.alice, title, content }).executeTakeFirstOrThrow();
        sources.push({ projectId: ids.project, sourceType: 'CRS' as const, sourceId: Number(insertId), text: crsMemoryText(title, content) });
      }
      await enqueueMemory(trx, sources, 'live');
      return sources.map((source) => ({ embeddingId: `crs-${source.sourceId}`, text: source.text }));
    });
  }

  const worker = () => server.memory!.worker;
  const pendingBacklog = async () => (await worker().pending()).backlog;
  const statusOf = async (embeddingId: string) => (await memoryEntries(database.db)).get(embeddingId)?.status;

  it('indexes a mutation’s write in the next batch, before a backlog of hundreds, and drains the backlog at full batches otherwise', async () => {
    await queueBacklog(BACKLOG);
    const backlogBatches = BACKLOG / BATCH_SIZE;
    expect(await worker().runOnce()).toEqual({ indexed: BATCH_SIZE, failed: 0, removed: 0 });
    expect(await worker().runOnce()).toEqual({ indexed: BATCH_SIZE, failed: 0, removed: 0 });

    const created = await server.graphql(
      'mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }',
      { input: { projectId: String(ids.project), title: 'login', content: 'the user must reset the password for login security' } },
      token,
    );
    expect(created.errors).toBeUndefined();
    const crsId = `crs-${created.data.createCrsDocument.id}`;
    let batches = 2;
    while ((await statusOf(crsId)) !== 'indexed') {
      expect(await worker().runOnce()).toEqual({ indexed: BATCH_SIZE, failed: 0, removed: 0 });
      batches += 1;
    }
    const search = await server.graphql(SEARCH, { projectId: ids.project, query: 'login password security', limit: 50, maxDistance: 2 }, token);

    // The write was indexed in the batch after it, with 19 of the backlog: far before half of the backlog's 20 batches.
    expect(batches).toBe(3);
    expect(batches).toBeLessThan(backlogBatches / 2);
    expect(await pendingBacklog()).toBe(BACKLOG - 3 * BATCH_SIZE + 1);
    expect(search.errors).toBeUndefined();
    expect(search.data.searchMemory.map((hit: { id: string }) => hit.id)).toContain(crsId);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^bridgeai_memory_outbox_indexed_total\{lane="live"\} 1$/m);
    expect(metrics).toMatch(/^bridgeai_memory_outbox_indexed_total\{lane="backlog"\} 59$/m);
  });

  it('keeps indexing the backlog while more live writes wait than a batch holds', async () => {
    await queueBacklog(BACKLOG);
    const perBatch: number[] = [];
    for (let batch = 0; batch < 5; batch += 1) {
      await writeLive(BATCH_SIZE);
      const before = await pendingBacklog();
      const { indexed } = await worker().runOnce();
      expect(indexed).toBe(BATCH_SIZE);
      perBatch.push(before - (await pendingBacklog()));
    }

    // Each batch kept its share for the backlog: batchSize / 8 = 2 entries.
    expect(perBatch).toEqual([2, 2, 2, 2, 2]);
    expect((await worker().pending()).live).toBe(5 * BATCH_SIZE - 5 * (BATCH_SIZE - 2));
  });

  it('stops embedding a long backlog batch for a live write and indexes the write in the next embedding call', async () => {
    await queueBacklog(BACKLOG);
    const calls: string[][] = [];
    let live: { embeddingId: string; text: string } | undefined;
    const loop = new OutboxWorker({
      db: database.db,
      embedder: observed(server.memory!.embedder, async (texts) => {
        calls.push(texts);
        // After the first call of the backlog batch, a mutation commits and notifies the worker.
        if (calls.length === 1) {
          [live] = await writeLive(1, 'password');
          loop.notify();
        }
      }),
      store: server.memory!.store,
      batchSize: BACKLOG,
      embeddingChunkChars: CHUNK_CHARS,
      maxBatchChars: 1_000_000,
    });
    loop.start();
    try {
      await eventually(async () => live !== undefined && (await statusOf(live.embeddingId)) === 'indexed', 60_000);
    } finally {
      await loop.stop();
    }

    // The batch of 400 stopped after its first call (two texts); the next call embedded the write.
    expect(calls[0]).toHaveLength(2);
    expect(calls[1]).toEqual([live!.text]);
    expect(BACKLOG - (await pendingBacklog())).toBeLessThan(BACKLOG / 2);
  });

  it('moves a pending backlog entry to the live lane when a mutation writes it, and never back', async () => {
    await queueBacklog(2);
    const [first, second] = await database.db.selectFrom('aiMemoryIndex').select(['sourceId', 'embeddingId']).where('status', '=', 'pending').orderBy('id').execute();
    /** An edit of the comment: its row and its outbox entry, as the mutation (live) or bulk work (backlog) queues it. */
    const edit = async (sourceId: number, text: string, lane: 'live' | 'backlog') => {
      await database.db.updateTable('comments').set({ content: text }).where('id', '=', sourceId).execute();
      await enqueueMemory(database.db, [{ projectId: ids.project, sourceType: 'COMMENT', sourceId, text }], lane);
    };
    const laneOf = async (embeddingId: string) =>
      (await database.db.selectFrom('aiMemoryIndex').select('lane').where('embeddingId', '=', embeddingId).executeTakeFirstOrThrow()).lane;

    await edit(first!.sourceId, 'an edit', 'live');
    await edit(first!.sourceId, 'an edit', 'backlog');
    expect(await laneOf(first!.embeddingId)).toBe('live');
    expect(await laneOf(second!.embeddingId)).toBe('backlog');

    // Once indexed, a bulk requeue of changed text goes to the backlog again.
    await worker().runOnce();
    await edit(first!.sourceId, 'another edit', 'backlog');
    expect(await laneOf(first!.embeddingId)).toBe('backlog');
  });

  it('logs the backlog’s size, its progress at every tenth with the time left, and its end, and shows it on /health/ready', async () => {
    await queueBacklog(BACKLOG);
    const logged = logLines().length;
    await worker().runOnce();
    const ready = (await (await fetch(`${server.url}/health/ready`)).json()) as { status: string; memory: unknown };
    while ((await worker().runOnce()).indexed > 0);

    const lines = (logLines().slice(logged) as { msg: string; secondsLeft?: number }[]).filter((line) => line.msg.startsWith('memory backlog: '));
    expect(lines[0]!.msg).toBe(`memory backlog: ${BACKLOG} memories to index; live writes go first`);
    const steps = lines.filter((line) => line.msg.includes(` of ${BACKLOG} (`));
    expect(steps.map((line) => line.msg.match(/\((\d+) %\)/)?.[1])).toEqual(['10', '20', '30', '40', '50', '60', '70', '80', '90']);
    expect(steps.every((line) => typeof line.secondsLeft === 'number' && / left$/.test(line.msg))).toBe(true);
    expect(lines.at(-1)!.msg).toBe(`memory backlog: done, ${BACKLOG} memories indexed`);
    expect(ready.status).toBe('ready');
    expect(ready.memory).toEqual({
      pending: { live: 0, backlog: BACKLOG - BATCH_SIZE },
      backlog: { total: BACKLOG, indexed: BATCH_SIZE, perSecond: expect.any(Number), secondsLeft: expect.any(Number) },
    });
    expect(worker().backlogProgress()).toBeUndefined();
  });
});

/** The embedder, with `observe` told every call's texts after the model has embedded them. */
function observed(embedder: Embedder, observe: (texts: string[]) => Promise<void>): Embedder {
  return {
    modelId: embedder.modelId,
    dimension: embedder.dimension,
    onEmbed: (listener) => embedder.onEmbed(listener),
    async embed(texts) {
      const vectors = await embedder.embed(texts);
      await observe([...texts]);
      return vectors;
    },
  };
}
