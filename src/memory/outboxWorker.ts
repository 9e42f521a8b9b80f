import { sql } from 'kysely';
import { DEFAULT_OUTBOX_BATCH_SIZE } from '../config';
import type { Db } from '../db/database';
import type { MemoryLane } from '../db/schema';
import type { Logger } from '../logger';
import { dueOutboxEntries, type OutboxEntry } from './dueOutboxEntries';
import type { Embedder } from './embedder';
import { IndexingProgress, type IndexingReport } from './indexingProgress';
import { requeueMemoryLostFromChroma } from './lostMemory';
import { MEMORY_SOURCE_TYPES, memoryItemOf, readMemorySources } from './memorySources';
import type { MemoryItem, MemoryStore } from './memoryStore';
import { MemoryUnavailableError } from './memoryUnavailableError';
import type { MemorySource } from './outbox';

/** How the worker paces itself; every field has a default. */
export interface OutboxWorkerSettings {
  /** Entries per batch: one Chroma upsert per lane each. {@link DEFAULT_OUTBOX_BATCH_SIZE} by default. */
  readonly batchSize?: number;
  /**
   * While live writes and backlog both wait, the entries of every batch kept for the backlog, so
   * that a steady stream of writes never stops it: batchSize / 8 (at least 1) by default. A batch
   * that yields to a live write has embedded at least the first call's worth of them.
   */
  readonly backlogShare?: number;
  /**
   * Characters of text per embedding call; a call holds at least one text. The model runs one
   * call at a time, so this bounds how long a live write (or a search's question) waits for the
   * call in flight: 2,000 by default, about two CRS documents or thirty comments (0.2–0.4 s of
   * use-lite). Measured with use-lite, calls of 4–16 comments embed faster per text than calls
   * of 64 or 256.
   */
  readonly embeddingChunkChars?: number;
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
   * default. notify() (a write in this process) and any work found reset the pace; writes by
   * other processes are found within this bound.
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
  /** Told how many entries of a lane a batch indexed or removed (for memoryOutboxIndexed). */
  readonly onIndexed?: (lane: MemoryLane, entries: number) => void;
}

/** Pending entries by lane (the memoryOutboxBacklog gauge is their sum). */
export interface PendingMemory {
  readonly live: number;
  readonly backlog: number;
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

const NOTHING_DONE: BatchResult = Object.freeze({ indexed: 0, failed: 0, removed: 0, full: false });
const MAX_ERROR_LENGTH = 500;

/**
 * Drains the memory outbox (ai_memory_index rows with status 'pending', written by
 * enqueueMemory in the writer's transaction) into Chroma, in the server process.
 *
 * Entries come in two lanes. `live` ones are a mutation's writes, which a user may search for at
 * once; `backlog` ones are bulk work (seeded data, memory Chroma lost, a reindex's rows). A batch
 * takes the due live entries first, oldest first, and fills the rest of `batchSize` with due
 * backlog entries, keeping `backlogShare` of it for the backlog while both wait. It reads the
 * CURRENT text of their sources (one query per source type) and indexes its live entries first:
 * embedded in calls of at most `embeddingChunkChars` characters, stored in one Chroma upsert (per
 * shard), marked indexed. Then its backlog entries the same way, except that when a live write is
 * notified meanwhile (or the worker is stopping), it stops after the embedding call in flight
 * (never before its first), stores what it has embedded and leaves the rest pending for the next
 * batch, which takes the live write first. So a live write waits for one embedding call, however
 * long the backlog, and every batch indexes at least one call's worth of backlog, however many
 * live writes arrive: neither lane starves the other.
 *
 * Stored entries are marked indexed unless a newer write changed their hash meanwhile (they stay
 * pending, so the newer text is indexed next); entries, and vectors, of sources that are gone are
 * deleted. When embedding or Chroma fails, the batch's entries not yet stored stay pending with
 * attempts + 1 and a short last_error, and are retried with exponential back-off; nothing is lost
 * while Chroma is down, and no CPU is spent embedding for it: after a failure, a batch first
 * checks Chroma's heartbeat.
 *
 * The backlog's progress (how many of how many, the rate, the time left) is logged when it starts,
 * at every tenth and when it is done, and is in {@link backlogProgress} for /health/ready.
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
  readonly #onIndexed: ((lane: MemoryLane, entries: number) => void) | undefined;
  readonly #batchSize: number;
  readonly #backlogShare: number;
  readonly #embeddingChunkChars: number;
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
  /** A live write was notified since the batch in flight took its entries: it stops early for it. */
  #liveWriteWaiting = false;
  #wake: (() => void) | undefined;
  /**
   * At start and after Chroma was unreachable, a batch checks Chroma's heartbeat before it spends
   * CPU on embeddings that could not be stored.
   */
  #checkChromaFirst = true;
  /** Whether this worker has looked for memory lost from Chroma (done once, when Chroma first answers). */
  #lostMemoryChecked = false;
  /** The backlog being drained: from the first batch that finds backlog due until none is pending. */
  #backlog: IndexingProgress | undefined;

  constructor(options: OutboxWorkerOptions) {
    this.#db = options.db;
    this.#embedder = options.embedder;
    this.#store = options.store;
    this.#logger = options.logger;
    this.#onFailure = options.onFailure;
    this.#onIndexed = options.onIndexed;
    this.#batchSize = positive(options.batchSize ?? DEFAULT_OUTBOX_BATCH_SIZE, 'batchSize');
    this.#backlogShare = positive(options.backlogShare ?? Math.max(1, Math.floor(this.#batchSize / 8)), 'backlogShare');
    if (this.#backlogShare > this.#batchSize) {
      throw new RangeError(`OutboxWorker backlogShare (${this.#backlogShare}) must not exceed batchSize (${this.#batchSize}).`);
    }
    this.#embeddingChunkChars = positive(options.embeddingChunkChars ?? 2000, 'embeddingChunkChars');
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

  /** Stops the loop after the batch in flight has stored what it embedded (so a shutdown flushes it). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
    await this.#lastBatch;
    this.#stopping = false;
  }

  /**
   * A live write was committed (a mutation's enqueueMemory): look now instead of at the next
   * poll, and let a batch busy with the backlog stop early for it.
   */
  notify(): void {
    this.#wakeRequested = true;
    this.#liveWriteWaiting = true;
    this.#wake?.();
  }

  /** Entries waiting to be indexed (the memoryOutboxBacklog gauge). */
  async backlog(): Promise<number> {
    const { live, backlog } = await this.pending();
    return live + backlog;
  }

  /**
   * Entries waiting to be indexed, by lane, from the index on (status, lane, updated_at):
   * ```sql
   * SELECT lane, COUNT(*) AS pending FROM ai_memory_index WHERE status = 'pending' GROUP BY lane
   * ```
   */
  async pending(): Promise<PendingMemory> {
    const rows = await this.#db
      .selectFrom('aiMemoryIndex')
      .select(['lane', (eb) => eb.fn.countAll<number | string>().as('pending')])
      .where('status', '=', 'pending')
      .groupBy('lane')
      .execute();
    const count = (lane: MemoryLane) => Number(rows.find((row) => row.lane === lane)?.pending ?? 0);
    return { live: count('live'), backlog: count('backlog') };
  }

  /** How far the backlog being drained has come; undefined while this worker drains none. */
  backlogProgress(): IndexingReport | undefined {
    return this.#backlog?.report();
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
    this.#liveWriteWaiting = false;
    const due = await this.#takeDue();
    await this.#trackBacklogDrain(due);
    if (due.length === 0) return NOTHING_DONE;
    const sources = await this.#readSources(due);
    // Entries past the text budget stay pending and due: the next batch takes them.
    const entries = withinTextBudget(due, sources, this.#maxBatchChars);
    const present = entries.filter((entry) => sources.has(entry.embeddingId));
    const gone = entries.filter((entry) => !sources.has(entry.embeddingId));
    const live = present.filter((entry) => entry.lane === 'live');
    const backlog = present.filter((entry) => entry.lane === 'backlog');
    let stored: OutboxEntry[] = [];
    let indexed = 0;
    let stoppedEarly = false;
    try {
      if (this.#checkChromaFirst) {
        await this.#store.heartbeat();
        this.#checkChromaFirst = false;
      }
      // The live part is stored on its own, so it is searchable before the backlog part is embedded.
      stored = await this.#embedAndStore(live, sources, false);
      indexed += await this.#markIndexed(live);
      const backlogStored = await this.#embedAndStore(backlog, sources, true);
      stored = [...stored, ...backlogStored];
      stoppedEarly = backlogStored.length < backlog.length;
      indexed += await this.#markIndexed(backlogStored);
      for (const [projectId, group] of groupByProject(gone)) {
        await this.#store.delete({ projectId, ids: group.map((entry) => entry.embeddingId) });
      }
    } catch (error) {
      if (error instanceof MemoryUnavailableError) this.#checkChromaFirst = true;
      const lastError = describeFailure(error);
      const unstored = entries.filter((entry) => !stored.includes(entry));
      await this.#recordFailure(unstored, lastError);
      this.#onFailure?.(unstored.length);
      this.#logger?.warn({ entries: unstored.length, error: lastError }, 'memory outbox: batch failed; its entries stay pending');
      this.#countIndexed(stored, []);
      return { indexed, failed: unstored.length, removed: 0, full: true };
    }

    const removed = await this.#remove(gone);
    this.#countIndexed(stored, gone);
    this.#logger?.debug({ indexed, removed, outdated: stored.length - indexed, stoppedEarly }, 'memory outbox: batch done');
    const full = due.length === this.#batchSize || entries.length < due.length || stoppedEarly;
    return { indexed, failed: 0, removed, full };
  }

  /**
   * Embeds the entries' texts in calls of at most embeddingChunkChars characters and stores them
   * in one Chroma upsert, in entry order. With `yieldToLive`, it stops after any call but the first
   * when a live write waits or the worker is stopping. Returns the entries it stored (a leading run).
   */
  async #embedAndStore(entries: readonly OutboxEntry[], sources: ReadonlyMap<string, MemorySource>, yieldToLive: boolean): Promise<OutboxEntry[]> {
    const items: MemoryItem[] = [];
    while (items.length < entries.length) {
      if (yieldToLive && items.length > 0 && (this.#liveWriteWaiting || this.#stopping)) break;
      const chunk = withinTextBudget(entries.slice(items.length), sources, this.#embeddingChunkChars).map((entry) => sources.get(entry.embeddingId)!);
      const embeddings = await this.#embedder.embed(chunk.map((source) => source.text));
      items.push(...chunk.map((source, index) => memoryItemOf(source, embeddings[index]!)));
    }
    if (items.length > 0) await this.#store.upsert(items);
    return entries.slice(0, items.length);
  }

  /**
   * The due entries of a batch, live ones first (dueOutboxEntries.ts: one statement for both
   * lanes). While both lanes have due entries, the backlog gets at least backlogShare of the batch.
   */
  async #takeDue(): Promise<OutboxEntry[]> {
    const policy = { batchSize: this.#batchSize, retryBaseMs: this.#retryBaseMs, retryMaxMs: this.#retryMaxMs };
    const { rows } = await dueOutboxEntries(policy).execute(this.#db);
    const live = rows.filter((row) => row.lane === 'live');
    const backlog = rows.filter((row) => row.lane === 'backlog');
    const backlogTaken = Math.min(backlog.length, Math.max(this.#backlogShare, this.#batchSize - live.length));
    return [...live.slice(0, this.#batchSize - backlogTaken), ...backlog.slice(0, backlogTaken)];
  }

  /**
   * A batch that finds backlog due while none is being drained starts a drain: the backlog is
   * counted and its size logged. One that finds more than the drain's count counts again (backlog
   * queued meanwhile). One that finds none ends the drain once none is pending (entries waiting
   * for their back-off are still pending).
   */
  async #trackBacklogDrain(due: readonly OutboxEntry[]): Promise<void> {
    const backlogDue = due.some((entry) => entry.lane === 'backlog');
    const drain = this.#backlog;
    if (backlogDue && !drain) {
      const { backlog } = await this.pending();
      this.#backlog = new IndexingProgress(backlog);
      this.#logger?.info({ backlog }, `memory backlog: ${backlog.toLocaleString('en-US')} memories to index; live writes go first`);
    } else if (backlogDue && drain && drain.fraction >= 1) {
      drain.growTo(drain.indexed + (await this.pending()).backlog);
    } else if (!backlogDue && drain && (await this.pending()).backlog === 0) {
      this.#logger?.info({ indexed: drain.indexed }, `memory backlog: done, ${drain.indexed.toLocaleString('en-US')} memories indexed`);
      this.#backlog = undefined;
    }
  }

  /** Counts what a batch indexed or removed, by lane, and logs the backlog's progress at every tenth. */
  #countIndexed(stored: readonly OutboxEntry[], gone: readonly OutboxEntry[]): void {
    const done = [...stored, ...gone];
    for (const lane of ['live', 'backlog'] as const) {
      const count = done.filter((entry) => entry.lane === lane).length;
      if (count > 0) this.#onIndexed?.(lane, count);
    }
    const progress = this.#backlog;
    const backlogDone = done.filter((entry) => entry.lane === 'backlog').length;
    if (!progress || backlogDone === 0) return;
    progress.add(backlogDone);
    if (progress.passedATenth()) {
      const { indexed, total, perSecond, secondsLeft } = progress.report();
      this.#logger?.info({ indexed, total, perSecond, secondsLeft }, `memory backlog: ${progress.describe()}`);
    }
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
    if (entries.length === 0) return;
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
