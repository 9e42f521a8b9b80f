import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { MemorySourceType } from '../db/schema';
import type { Logger } from '../logger';
import type { Embedder } from './embedder';
import { requeueMemoryLostFromChroma } from './lostMemory';
import { MEMORY_SOURCE_TYPES, memoryItemOf, readMemorySources } from './memorySources';
import type { MemoryStore } from './memoryStore';
import { MemoryUnavailableError } from './memoryUnavailableError';
import type { MemorySource } from './outbox';

/** How the worker paces itself; every field has a default. */
export interface OutboxWorkerSettings {
  /** Entries per batch: one embedding call and one Chroma upsert each. 100 by default. */
  readonly batchSize?: number;
  /**
   * Characters of text per batch, so a batch of long CRS documents stays a few seconds of
   * embedding (and a shutdown that flushes it stays short); a batch holds at least one entry.
   * 50,000 by default.
   */
  readonly maxBatchChars?: number;
  /** How often the running worker looks for due entries when nobody calls notify(). 1 s by default. */
  readonly pollIntervalMs?: number;
  /**
   * While polls find nothing due, each waits twice as long as the last, up to this: 30 s by
   * default. Finding the due entries reads ai_memory_index by status, which no index serves (a
   * scan of every row: 0.28 s of MariaDB CPU at 900,000 memories), so an idle server must not
   * do it every second. notify() (a write in this process) and any work found reset the pace;
   * writes by other processes are found within this bound.
   */
  readonly maxIdlePollMs?: number;
  /** A failed entry is retried after min(retryBaseMs × 2^attempts, retryMaxMs): 1 s and 5 min by default. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
}

export interface OutboxWorkerOptions extends OutboxWorkerSettings {
  readonly db: Db;
  readonly embedder: Embedder;
  readonly store: MemoryStore;
  readonly logger?: Logger;
  /** Told how many entries a failed batch held (for memoryOutboxFailures). */
  readonly onFailure?: (entries: number) => void;
}

/** What one batch did. */
export interface OutboxRunResult {
  /** Entries embedded, stored in Chroma and marked indexed. */
  readonly indexed: number;
  /** Entries left pending with one more attempt and a last_error. */
  readonly failed: number;
  /** Entries whose source row was gone: deleted, with their vectors. */
  readonly removed: number;
}

/** A batch as the loop sees it: `full` when it hit a size limit, so more may be due at once. */
type BatchResult = OutboxRunResult & { readonly full: boolean };

/** One ai_memory_index row taken for processing. */
interface OutboxEntry {
  readonly id: number;
  readonly projectId: number;
  readonly sourceType: MemorySourceType;
  readonly sourceId: number;
  readonly embeddingId: string;
  /** The hash the row had when it was read: it is only marked indexed if it still has it. */
  readonly contentHash: string;
}

const NOTHING_DONE: BatchResult = Object.freeze({ indexed: 0, failed: 0, removed: 0, full: false });
const MAX_ERROR_LENGTH = 500;

/**
 * Drains the memory outbox (ai_memory_index rows with status 'pending', written by
 * enqueueMemory in the writer's transaction) into Chroma, in the server process.
 *
 * A batch takes up to `batchSize` due entries, oldest first; reads the CURRENT text of their
 * sources (one query per source type); embeds all of them in one embedder call; stores them in
 * one Chroma upsert under their stable embedding ids (an updated source replaces its vector);
 * deletes the entries, and vectors, of sources that are gone; and marks the rest indexed unless
 * a newer write changed their hash meanwhile (they stay pending, so the newer text is indexed
 * next). When embedding or Chroma fails, the entries stay pending with attempts + 1 and a short
 * last_error, and are retried with exponential back-off; nothing is lost while Chroma is down,
 * and no CPU is spent embedding for it: after a failure, a batch first checks Chroma's heartbeat.
 *
 * Several processes may run a worker over one database: a batch is idempotent (same ids, same
 * texts), so the cost of overlap is a repeated embedding, never a wrong index.
 */
export class OutboxWorker {
  readonly #db: Db;
  readonly #embedder: Embedder;
  readonly #store: MemoryStore;
  readonly #logger: Logger | undefined;
  readonly #onFailure: ((entries: number) => void) | undefined;
  readonly #batchSize: number;
  readonly #maxBatchChars: number;
  readonly #pollIntervalMs: number;
  readonly #maxIdlePollMs: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  /** Batches run one after another, whoever asks for them (the loop, runOnce, stop). */
  #lastBatch: Promise<unknown> = Promise.resolve();
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wakeRequested = false;
  #wake: (() => void) | undefined;
  /**
   * At start and after Chroma was unreachable, a batch checks Chroma's heartbeat before it spends
   * CPU on embeddings that could not be stored.
   */
  #checkChromaFirst = true;
  /** Whether this worker has looked for memory lost from Chroma (done once, when Chroma first answers). */
  #lostMemoryChecked = false;

  constructor(options: OutboxWorkerOptions) {
    this.#db = options.db;
    this.#embedder = options.embedder;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#onFailure = options.onFailure;
    this.#batchSize = positive(options.batchSize ?? 100, 'batchSize');
    this.#maxBatchChars = positive(options.maxBatchChars ?? 50_000, 'maxBatchChars');
    this.#pollIntervalMs = positive(options.pollIntervalMs ?? 1000, 'pollIntervalMs');
    this.#maxIdlePollMs = Math.max(this.#pollIntervalMs, positive(options.maxIdlePollMs ?? 30_000, 'maxIdlePollMs'));
    this.#retryBaseMs = positive(options.retryBaseMs ?? 1000, 'retryBaseMs');
    this.#retryMaxMs = positive(options.retryMaxMs ?? 300_000, 'retryMaxMs');
  }

  /** Processes one batch of due entries (after any batch in flight) and says what it did. */
  async runOnce(): Promise<OutboxRunResult> {
    const { indexed, failed, removed } = await this.#runBatch();
    return { indexed, failed, removed };
  }

  #runBatch(): Promise<BatchResult> {
    const batch = this.#lastBatch.then(() => this.#processBatch());
    this.#lastBatch = batch.catch(() => undefined);
    return batch;
  }

  /** Starts the background loop: a batch whenever notify() is called, else every pollIntervalMs. */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#runLoop();
  }

  /** Stops the loop after the batch in flight has finished (so a shutdown flushes it). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
    await this.#lastBatch;
  }

  /** Something was enqueued: look now instead of at the next poll. */
  notify(): void {
    this.#wakeRequested = true;
    this.#wake?.();
  }

  /** Entries waiting to be indexed (the memoryOutboxBacklog gauge). */
  async backlog(): Promise<number> {
    const row = await this.#db
      .selectFrom('aiMemoryIndex')
      .select((eb) => eb.fn.countAll<number | string>().as('pending'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.pending);
  }

  async #runLoop(): Promise<void> {
    let pause = this.#pollIntervalMs;
    while (!this.#stopping) {
      if (!this.#lostMemoryChecked) await this.#requeueLostMemory();
      this.#wakeRequested = false;
      let moreDue = false;
      let nothingDue = false;
      try {
        const result = await this.#runBatch();
        // A full batch that went through suggests more are due: go on without waiting.
        moreDue = result.failed === 0 && result.full;
        nothingDue = result === NOTHING_DONE;
      } catch (error) {
        this.#logger?.error({ err: error }, 'memory outbox: could not process a batch; retrying at the next poll');
      }
      if (this.#stopping || moreDue || this.#wakeRequested) {
        pause = this.#pollIntervalMs;
        continue;
      }
      await this.#sleep(nothingDue ? pause : this.#pollIntervalMs);
      pause = nothingDue && !this.#wakeRequested ? Math.min(pause * 2, this.#maxIdlePollMs) : this.#pollIntervalMs;
    }
  }

  /**
   * Before its first batch, the loop queues again what Chroma lost (lostMemory.ts). While Chroma
   * cannot be reached, it tries again at every poll.
   */
  async #requeueLostMemory(): Promise<void> {
    try {
      const { requeued, shortCollections } = await requeueMemoryLostFromChroma(this.#db, this.#store);
      this.#lostMemoryChecked = true;
      if (requeued > 0) this.#logger?.warn({ requeued }, 'memory: Chroma holds none of the memory recorded as indexed; queued all of it to be indexed again');
      if (shortCollections.length > 0) {
        this.#logger?.warn(
          { collections: shortCollections },
          'memory: Chroma holds fewer memories than ai_memory_index records as indexed; run `npm run reindex -- --all` to store the missing ones',
        );
      }
    } catch (error) {
      if (error instanceof MemoryUnavailableError) this.#logger?.debug({ error: error.message }, 'memory: Chroma unavailable; will look for lost memory at the next poll');
      else this.#logger?.error({ err: error }, 'memory: could not look for memory lost from Chroma; trying again at the next poll');
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.#wake = done;
    });
  }

  async #processBatch(): Promise<BatchResult> {
    const due = await this.#takeDue();
    if (due.length === 0) return NOTHING_DONE;
    const sources = await this.#readSources(due);
    // Entries past the text budget stay pending and due: the next batch takes them.
    const entries = withinTextBudget(due, sources, this.#maxBatchChars);
    const full = due.length === this.#batchSize || entries.length < due.length;
    const present = entries.filter((entry) => sources.has(entry.embeddingId));
    const gone = entries.filter((entry) => !sources.has(entry.embeddingId));
    try {
      if (this.#checkChromaFirst) {
        await this.#store.heartbeat();
        this.#checkChromaFirst = false;
      }
      const presentSources = present.map((entry) => sources.get(entry.embeddingId)!);
      const embeddings = await this.#embedder.embed(presentSources.map((source) => source.text));
      const items = presentSources.map((source, index) => memoryItemOf(source, embeddings[index]));
      if (items.length > 0) await this.#store.upsert(items);
      for (const [projectId, group] of groupByProject(gone)) {
        await this.#store.delete({ projectId, ids: group.map((entry) => entry.embeddingId) });
      }
    } catch (error) {
      if (error instanceof MemoryUnavailableError) this.#checkChromaFirst = true;
      const lastError = describeFailure(error);
      await this.#recordFailure(entries, lastError);
      this.#onFailure?.(entries.length);
      this.#logger?.warn({ entries: entries.length, error: lastError }, 'memory outbox: batch failed; its entries stay pending');
      return { indexed: 0, failed: entries.length, removed: 0, full };
    }

    const indexed = await this.#markIndexed(present);
    const removed = await this.#remove(gone);
    this.#logger?.debug({ indexed, removed, outdated: present.length - indexed }, 'memory outbox: batch done');
    return { indexed, failed: 0, removed, full };
  }

  /**
   * Up to batchSize pending entries whose back-off has passed, oldest first:
   * ```sql
   * SELECT … FROM ai_memory_index WHERE status = 'pending'
   *   AND updated_at <= UTC_TIMESTAMP(3) - INTERVAL <back-off of attempts> MICROSECOND
   * ORDER BY updated_at, id LIMIT ?
   * ```
   */
  async #takeDue(): Promise<OutboxEntry[]> {
    const backOffMs = sql`IF(attempts = 0, 0, LEAST(${this.#retryBaseMs} * POW(2, LEAST(attempts, 30)), ${this.#retryMaxMs}))`;
    return this.#db
      .selectFrom('aiMemoryIndex')
      .select(['id', 'projectId', 'sourceType', 'sourceId', 'embeddingId', 'contentHash'])
      .where('status', '=', 'pending')
      .where(sql<boolean>`updated_at <= UTC_TIMESTAMP(3) - INTERVAL CAST(${backOffMs} * 1000 AS UNSIGNED) MICROSECOND`)
      .orderBy('updatedAt')
      .orderBy('id')
      .limit(this.#batchSize)
      .execute();
  }

  /** The current text of every entry's source, by embedding id: one query per source type. */
  async #readSources(entries: readonly OutboxEntry[]): Promise<Map<string, MemorySource>> {
    const byEmbeddingId = new Map<string, MemorySource>();
    for (const sourceType of MEMORY_SOURCE_TYPES) {
      const ofType = entries.filter((entry) => entry.sourceType === sourceType);
      if (ofType.length === 0) continue;
      const sources = await readMemorySources(this.#db, sourceType, ofType.map((entry) => entry.sourceId));
      for (const entry of ofType) {
        const source = sources.get(entry.sourceId);
        if (source) byEmbeddingId.set(entry.embeddingId, source);
      }
    }
    return byEmbeddingId;
  }

  /** Marks entries indexed, except those a newer write has re-pended with another hash. */
  async #markIndexed(entries: readonly OutboxEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const result = await sql`UPDATE ai_memory_index
      SET status = 'indexed', last_error = NULL, updated_at = UTC_TIMESTAMP(3)
      WHERE ${unchanged(entries)}`.execute(this.#db);
    return Number(result.numAffectedRows ?? 0);
  }

  async #recordFailure(entries: readonly OutboxEntry[], lastError: string): Promise<void> {
    await sql`UPDATE ai_memory_index
      SET attempts = attempts + 1, last_error = ${lastError}, updated_at = UTC_TIMESTAMP(3)
      WHERE ${unchanged(entries)}`.execute(this.#db);
  }

  async #remove(entries: readonly OutboxEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const result = await sql`DELETE FROM ai_memory_index WHERE ${unchanged(entries)}`.execute(this.#db);
    return Number(result.numAffectedRows ?? 0);
  }
}

/** The entries' rows, if still pending with the hash they were read with (id IN narrows by primary key first). */
function unchanged(entries: readonly OutboxEntry[]) {
  return sql`status = 'pending'
    AND id IN (${sql.join(entries.map((entry) => entry.id))})
    AND (id, content_hash) IN (${sql.join(entries.map((entry) => sql`(${entry.id}, ${entry.contentHash})`))})`;
}

/** The leading entries whose texts fit in `maxChars` (at least one); gone sources cost nothing. */
function withinTextBudget(entries: readonly OutboxEntry[], sources: ReadonlyMap<string, MemorySource>, maxChars: number): OutboxEntry[] {
  let chars = 0;
  let count = 0;
  for (const entry of entries) {
    chars += sources.get(entry.embeddingId)?.text.length ?? 0;
    if (count > 0 && chars > maxChars) break;
    count += 1;
  }
  return entries.slice(0, count);
}

function groupByProject(entries: readonly OutboxEntry[]): Map<number, OutboxEntry[]> {
  const groups = new Map<number, OutboxEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.projectId);
    if (group) group.push(entry);
    else groups.set(entry.projectId, [entry]);
  }
  return groups;
}

/**
 * The failure as last_error: its first line, at most 500 characters, with any credentials of a
 * URL masked (the store's own messages carry only Chroma's origin).
 */
export function describeFailure(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const firstLine = text.split('\n')[0].replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//***@');
  return firstLine.length > MAX_ERROR_LENGTH ? `${firstLine.slice(0, MAX_ERROR_LENGTH - 1)}…` : firstLine;
}

function positive(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`OutboxWorker ${name} must be a whole number of at least 1 (got ${value}).`);
  return value;
}
