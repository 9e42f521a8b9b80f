import { isFirstWriteInProgress } from '../../../src/memory/firstWriteRetry';
import { MemoryStore, type MemoryItem } from '../../../src/memory/memoryStore';
import { MemoryUnavailableError } from '../../../src/memory/memoryUnavailableError';
import { Random } from '../../../src/seed/prng';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { startRecordingProxy, type RecordedAnswer, type RecordingProxy } from './helpers';

const DIMENSION = 8;
const PROJECT = 1;
/** Fresh collections raced before a test gives up on meeting the state; one in a few meets it. */
const MAX_ROUNDS = 60;
const QUERIES_PER_ROUND = 20;

/**
 * A search that reaches a collection while Chroma applies its first write fails with "Nothing
 * found on disk" (chroma-core/chroma#4212); a moment later the same search succeeds. The state is
 * met for real by racing searches against the first upsert of fresh collections on a real Chroma,
 * and the store's retry is checked against that Chroma with its own answer replayed by the proxy.
 */
describe('a search during a collection’s first write', () => {
  let chroma: TestChroma;
  let proxy: RecordingProxy;
  let rounds = 0;
  const random = new Random(4212);
  const vector = () => Array.from({ length: DIMENSION }, () => random.next() - 0.5);

  beforeAll(async () => {
    chroma = await startTestChroma();
    proxy = await startRecordingProxy(chroma.url);
  });

  afterAll(async () => {
    await proxy?.close();
    await chroma?.stop();
  });

  /** A store over collections nobody has written yet (their names carry a new database name). */
  const freshStore = (options: { firstWriteRetryDelaysMs?: readonly number[] } = {}) =>
    new MemoryStore({ chromaUrl: proxy.url, databaseName: `first_write_${(rounds += 1)}`, modelId: 'probe', dimension: DIMENSION, ...options });

  const memories = (count: number): MemoryItem[] =>
    Array.from({ length: count }, (_, n) => ({
      id: `m-${n}`,
      embedding: vector(),
      document: `memory ${n}`,
      metadata: { project_id: PROJECT, source_type: 'COMMENT', source_id: n },
    }));

  const search = (store: MemoryStore) => store.query({ embedding: vector(), projectId: PROJECT, limit: 5, maxDistance: 2 });

  /** Searches a fresh collection every 2 ms while its first upsert runs; returns how each search ended. */
  async function raceFirstWrite(store: MemoryStore): Promise<PromiseSettledResult<unknown>[]> {
    // This search creates the collection, and an empty one answers [] (nothing written, nothing
    // to read); now and then Chroma is still setting the collection up and answers with the same
    // "Nothing found on disk", so it is one of the race's outcomes too.
    const [created] = await Promise.allSettled([search(store)]);
    if (created.status === 'fulfilled') expect(created.value).toEqual([]);
    const upsert = store.upsert(memories(50));
    const searches: Promise<unknown>[] = [];
    for (let n = 0; n < QUERIES_PER_ROUND; n += 1) {
      searches.push(search(store));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await upsert;
    return [created, ...(await Promise.allSettled(searches))];
  }

  let firstWriteAnswer: RecordedAnswer | undefined;

  it('meets the state on a real Chroma: a server error the store tells apart from outages', async () => {
    let failure: unknown;
    for (let round = 0; round < MAX_ROUNDS && failure === undefined; round += 1) {
      const outcomes = await raceFirstWrite(freshStore({ firstWriteRetryDelaysMs: [] }));
      failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')?.reason;
    }

    expect(failure).toBeInstanceOf(MemoryUnavailableError);
    expect(isFirstWriteInProgress((failure as Error).cause)).toBe(true);
    firstWriteAnswer = proxy.serverErrors.find((answer) => answer.body.includes('Nothing found on disk'));
    expect(firstWriteAnswer).toMatchObject({ status: 500, body: expect.stringContaining('Error creating hnsw segment reader: Nothing found on disk') });
  });

  it('retries a search that meets the state and answers it once the write is through', async () => {
    const store = freshStore();
    await store.upsert(memories(10));
    let replays = 2;
    proxy.answerInstead = (incoming) => (incoming.url?.endsWith('/query') && replays-- > 0 ? firstWriteAnswer : undefined);
    const queriesBefore = proxy.count(/\/query$/);
    try {
      expect(await search(store)).toHaveLength(5);
    } finally {
      proxy.answerInstead = undefined;
    }
    expect(proxy.count(/\/query$/) - queriesBefore).toBe(3);
  });

  it('gives up after five attempts, and never retries another server error', async () => {
    const store = freshStore();
    await store.upsert(memories(10));
    const otherError: RecordedAnswer = { ...firstWriteAnswer!, body: firstWriteAnswer!.body.replace('Nothing found on disk', 'Error loading hnsw index') };
    for (const [answer, attempts] of [
      [firstWriteAnswer!, 5],
      [otherError, 1],
    ] as const) {
      proxy.answerInstead = (incoming) => (incoming.url?.endsWith('/query') ? answer : undefined);
      const queriesBefore = proxy.count(/\/query$/);
      try {
        await expect(search(store)).rejects.toThrow(MemoryUnavailableError);
      } finally {
        proxy.answerInstead = undefined;
      }
      expect(proxy.count(/\/query$/) - queriesBefore).toBe(attempts);
    }
  });

  it('fails no search while searches race the first writes of fresh collections', async () => {
    let retried = 0;
    let failed = 0;
    for (let round = 0; round < MAX_ROUNDS && retried === 0; round += 1) {
      const errorsBefore = proxy.serverErrors.length;
      const outcomes = await raceFirstWrite(freshStore());
      failed += outcomes.filter((outcome) => outcome.status === 'rejected').length;
      retried += proxy.serverErrors.slice(errorsBefore).filter((answer) => answer.body.includes('Nothing found on disk')).length;
    }

    expect(retried).toBeGreaterThan(0);
    expect(failed).toBe(0);
  });
});
