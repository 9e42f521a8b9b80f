import type { Db } from '../db/database';
import { databaseNameOf } from '../db/ensureDatabase';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import type { Embedder } from './embedder';
import { createThreadedEmbedder } from './embeddingThread';
import { MemoryStore } from './memoryStore';
import { OutboxWorker, type OutboxWorkerSettings } from './outboxWorker';
import { QueryEmbeddingCache } from './queryEmbeddingCache';

/** Semantic memory as the server uses it: one embedder, one store and one outbox worker per process. */
export interface MemoryService {
  /** The configured model, running in its own thread so embedding never stalls requests. */
  readonly embedder: Embedder;
  readonly store: MemoryStore;
  /** The embedder behind a cache of recent search questions (searchMemory's). */
  readonly queryEmbeddings: QueryEmbeddingCache;
  readonly worker: OutboxWorker;
  /** Detaches from the embedding thread (which stays for the process); call after `worker.stop()`. */
  close(): Promise<void>;
}

export interface MemoryServiceOptions {
  /** Chroma's base URL (CHROMA_URL, or the embedded server's). */
  readonly chromaUrl: string;
  /** The MySQL database whose memory this is; its name goes into the collection name. */
  readonly databaseUrl: string;
  readonly embeddingModel: string;
  readonly embeddingModelDir?: string | undefined;
  readonly db: Db;
  readonly logger?: Logger;
  /** When given, embedding and Chroma latencies, outbox failures, indexed entries and the backlog are recorded. */
  readonly metrics?: Metrics;
  readonly worker?: OutboxWorkerSettings;
}

/**
 * Loads the configured embedding model (in a worker thread) and connects the memory store and
 * outbox worker to it. The worker is not started: the caller starts it once the server serves.
 */
export async function createMemoryService(options: MemoryServiceOptions): Promise<MemoryService> {
  const { metrics } = options;
  const embedder = await createThreadedEmbedder({ embeddingModel: options.embeddingModel, embeddingModelDir: options.embeddingModelDir });
  if (metrics) {
    embedder.onEmbed(({ batchSize, durationMs }) => {
      metrics.embeddingDuration.observe({ model: embedder.modelId }, durationMs / 1000);
      metrics.embeddingBatchSize.observe(batchSize);
    });
  }
  const store = new MemoryStore({
    chromaUrl: options.chromaUrl,
    databaseName: databaseNameOf(options.databaseUrl),
    modelId: embedder.modelId,
    dimension: embedder.dimension,
    onRequest: metrics && ((operation, seconds) => metrics.chromaRequestDuration.observe({ operation }, seconds)),
  });
  const worker = new OutboxWorker({
    ...options.worker,
    db: options.db,
    embedder,
    store,
    logger: options.logger,
    onFailure: metrics && ((entries) => metrics.memoryOutboxFailures.inc(entries)),
    onIndexed: metrics && ((lane, entries) => metrics.memoryOutboxIndexed.inc({ lane }, entries)),
  });
  // A scrape while MySQL is down keeps the last count rather than failing all of /metrics.
  let backlog = 0;
  metrics?.observeOutboxBacklog(async () => {
    backlog = await worker.backlog().catch(() => backlog);
    return backlog;
  });
  const queryEmbeddings = new QueryEmbeddingCache(embedder);
  return Object.freeze({ embedder, store, queryEmbeddings, worker, close: () => embedder.close() });
}
