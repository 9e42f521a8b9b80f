import { ChromaClient, ChromaConnectionError, ChromaNotFoundError, ChromaServerError, type Collection, type Metadata } from 'chromadb';
import type { MemorySourceType } from '../db/schema';
import { FIRST_WRITE_RETRY_DELAYS_MS, retryDuringFirstWrite } from './firstWriteRetry';
import { memoryCollectionName } from './memoryCollectionName';
import { defaultMemoryLayout, type MemoryLayout } from './memoryLayout';
import { MemoryUnavailableError } from './memoryUnavailableError';

/** Where a memory came from; stored as Chroma metadata and used in `where` filters. */
export interface MemoryMetadata {
  readonly project_id: number;
  readonly source_type: MemorySourceType;
  readonly source_id: number;
}

/** One memory to store: its text, that text's embedding and where it came from. */
export interface MemoryItem {
  /** Stable id (ai_memory_index.embedding_id); storing the same id again replaces the memory. */
  readonly id: string;
  readonly embedding: readonly number[];
  readonly document: string;
  readonly metadata: MemoryMetadata;
}

/** A semantic search inside one project. */
export interface MemoryQuery {
  readonly embedding: readonly number[];
  readonly projectId: number;
  /** Only memories of this source type; all types when absent. */
  readonly sourceType?: MemorySourceType | undefined;
  /** At most this many hits. */
  readonly limit: number;
  /** Cosine distance (0 = same direction, 2 = opposite) above which a hit is dropped as unrelated. */
  readonly maxDistance: number;
}

/** A memory found by {@link MemoryStore.query}. */
export interface MemoryHit {
  readonly id: string;
  readonly document: string;
  /** Cosine distance to the query embedding. */
  readonly distance: number;
  readonly metadata: MemoryMetadata;
}

export interface MemoryStoreOptions {
  /** Chroma's base URL (CHROMA_URL or the embedded server's), e.g. `http://127.0.0.1:8000`. */
  readonly chromaUrl: string;
  /** The MySQL database the memories belong to. */
  readonly databaseName: string;
  /** The embedder's model id and dimension; every embedding stored or queried has this length. */
  readonly modelId: string;
  readonly dimension: number;
  /** How memories are spread over collections; {@link defaultMemoryLayout} (16 shards by project) by default. */
  readonly layout?: (baseName: string) => MemoryLayout;
  /** A Chroma call that takes longer fails with MemoryUnavailableError; 10 s by default. */
  readonly requestTimeoutMs?: number;
  /**
   * The pauses before each retry of a query that meets a collection's first write
   * (firstWriteRetry.ts); {@link FIRST_WRITE_RETRY_DELAYS_MS} by default, [] never retries.
   */
  readonly firstWriteRetryDelaysMs?: readonly number[];
  /** Told how long every Chroma call took, failed ones included (for the latency histogram). */
  readonly onRequest?: (operation: ChromaOperation, seconds: number) => void;
}

/**
 * How every memory collection is created: cosine distance, so that distances compare directions
 * (the embedders return unit vectors). Collections keep the settings they were created with, so
 * the bench keys its filled Chroma folders by these (bench/search/filledChroma.ts).
 */
export const MEMORY_COLLECTION_CONFIGURATION = Object.freeze({ hnsw: Object.freeze({ space: 'cosine' as const }) });

/** The kinds of Chroma calls the store makes, as metric labels. */
export type ChromaOperation = 'heartbeat' | 'collection' | 'preflight' | 'upsert' | 'delete' | 'query' | 'count';

/**
 * The semantic memory of one MySQL database and one embedding model, kept in Chroma.
 *
 * Collections are created on first use with cosine distance and no embedding function: the
 * service embeds texts itself, so Chroma never loads or downloads a model. A Chroma that
 * cannot be reached, fails or times out raises {@link MemoryUnavailableError}.
 */
export class MemoryStore {
  readonly #client: ChromaClient;
  readonly #chromaUrl: string;
  readonly #baseName: string;
  readonly #dimension: number;
  readonly #layout: MemoryLayout;
  readonly #requestTimeoutMs: number;
  readonly #firstWriteRetryDelaysMs: readonly number[];
  readonly #onRequest: MemoryStoreOptions['onRequest'];
  readonly #collections = new Map<string, Promise<Collection>>();
  #maxBatchSizeRead: Promise<number> | undefined;

  constructor(options: MemoryStoreOptions) {
    const url = parseChromaUrl(options.chromaUrl);
    this.#client = new ChromaClient({
      host: url.hostname,
      port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      ssl: url.protocol === 'https:',
    });
    this.#chromaUrl = url.origin;
    this.#baseName = memoryCollectionName(options);
    this.#dimension = options.dimension;
    this.#layout = (options.layout ?? defaultMemoryLayout)(this.#baseName);
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#firstWriteRetryDelaysMs = options.firstWriteRetryDelaysMs ?? FIRST_WRITE_RETRY_DELAYS_MS;
    this.#onRequest = options.onRequest;
  }

  /** The name every collection of this store starts with, e.g. `bridgeai__use-lite__512`. */
  get collectionBaseName(): string {
    return this.#baseName;
  }

  /** Resolves when Chroma answers its heartbeat; for readiness checks. */
  async heartbeat(): Promise<void> {
    await this.#call('heartbeat', 'checking its heartbeat', () => this.#client.heartbeat());
  }

  /**
   * Stores memories, replacing those with the same ids: one Chroma request per collection
   * (more only when a batch exceeds Chroma's maximum batch size, which is asked once).
   */
  async upsert(items: readonly MemoryItem[]): Promise<void> {
    for (const item of items) this.#checkEmbedding(item.embedding, `memory ${item.id}`);
    const itemsByCollection = groupBy(items, (item) => this.#layout.collectionName(item.metadata.project_id));
    for (const [name, collectionItems] of itemsByCollection) {
      const collection = await this.#collection(name);
      const maxBatchSize = await this.#maxBatchSize();
      for (const batch of chunks(collectionItems, maxBatchSize)) {
        await this.#call('upsert', `storing ${batch.length} memories`, () =>
          collection.upsert({
            ids: batch.map((item) => item.id),
            embeddings: batch.map((item) => [...item.embedding]),
            documents: batch.map((item) => item.document),
            metadatas: batch.map((item) => ({ ...item.metadata })),
          }),
        );
      }
    }
  }

  /** The collection that holds `projectId`'s memories (several projects may share one). */
  collectionNameOf(projectId: number): string {
    return this.#layout.collectionName(projectId);
  }

  /** How many memories collection `name` (a {@link collectionNameOf} result) holds. */
  async count(name: string): Promise<number> {
    const collection = await this.#collection(name);
    return this.#call('count', `counting the memories of ${name}`, () => collection.count());
  }

  /** Deletes memories of one project by id; ids that do not exist (or belong to another project) are ignored. */
  async delete({ projectId, ids }: { projectId: number; ids: readonly string[] }): Promise<void> {
    if (ids.length === 0) return;
    const collection = await this.#collection(this.#layout.collectionName(projectId));
    await this.#call('delete', `deleting ${ids.length} memories`, () =>
      collection.delete({ ids: [...ids], where: this.#layout.where(projectId) }),
    );
  }

  /**
   * Finds the memories of one project nearest to an embedding, nearest first, dropping those
   * farther than `maxDistance`. The project (and source type) filter runs inside Chroma, so
   * another project's memories never leave the server. A query that meets the collection's
   * first write is retried for a moment (firstWriteRetry.ts) before it counts as a failure.
   */
  async query({ embedding, projectId, sourceType, limit, maxDistance }: MemoryQuery): Promise<MemoryHit[]> {
    this.#checkEmbedding(embedding, 'the query');
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`A memory query's limit must be a whole number of at least 1 (got ${limit}).`);
    }
    const collection = await this.#collection(this.#layout.collectionName(projectId));
    const result = await this.#call('query', 'searching memories', () =>
      retryDuringFirstWrite(
        () =>
          collection.query({
            queryEmbeddings: [[...embedding]],
            nResults: limit,
            where: this.#layout.where(projectId, sourceType),
            include: ['documents', 'metadatas', 'distances'],
          }),
        this.#firstWriteRetryDelaysMs,
      ),
    );
    const ids = result.ids[0] ?? [];
    return ids
      .map((id, index) => ({
        id,
        document: result.documents[0]?.[index] ?? '',
        distance: result.distances[0]?.[index] ?? Number.POSITIVE_INFINITY,
        metadata: toMemoryMetadata(result.metadatas[0]?.[index] ?? null),
      }))
      .filter((hit) => hit.distance <= maxDistance)
      .sort((a, b) => a.distance - b.distance);
  }

  /** Chroma's largest batch, asked once (it is the server's setting); a failed request is asked again next time. */
  #maxBatchSize(): Promise<number> {
    if (!this.#maxBatchSizeRead) {
      const read = this.#call('preflight', 'reading the maximum batch size', () => this.#client.getMaxBatchSize());
      this.#maxBatchSizeRead = read;
      read.catch(() => {
        if (this.#maxBatchSizeRead === read) this.#maxBatchSizeRead = undefined;
      });
    }
    return this.#maxBatchSizeRead;
  }

  /** The collection's handle, created on first use and remembered; a failed lookup is retried next time. */
  #collection(name: string): Promise<Collection> {
    let collection = this.#collections.get(name);
    if (!collection) {
      collection = this.#call('collection', `opening collection ${name}`, () =>
        this.#client.getOrCreateCollection({
          name,
          embeddingFunction: null,
          configuration: { hnsw: { ...MEMORY_COLLECTION_CONFIGURATION.hnsw } },
          metadata: { dimension: this.#dimension },
        }),
      );
      this.#collections.set(name, collection);
      collection.catch(() => this.#collections.delete(name));
    }
    return collection;
  }

  /**
   * Runs one Chroma call with a time limit and turns "Chroma is not there" into
   * MemoryUnavailableError. Errors about the request itself (bad filter, wrong dimension)
   * stay as they are: they are bugs, not outages.
   */
  async #call<T>(operation: ChromaOperation, action: string, call: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new MemoryUnavailableError(`Chroma at ${this.#chromaUrl} did not answer within ${this.#requestTimeoutMs} ms while ${action}.`)),
        this.#requestTimeoutMs,
      );
    });
    try {
      return await Promise.race([call(), timeout]);
    } catch (error) {
      if (error instanceof ChromaNotFoundError) {
        // The collection was deleted behind our back (e.g. by a reindex); open it afresh next time.
        this.#collections.clear();
      }
      if (error instanceof ChromaConnectionError || error instanceof ChromaServerError) {
        throw new MemoryUnavailableError(
          `Chroma at ${this.#chromaUrl} is unavailable while ${action}: ` +
            `${error instanceof ChromaConnectionError ? 'the connection failed' : error.message}. ` +
            'Check that Chroma is running and that CHROMA_URL points to it.',
          { cause: error },
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.#onRequest?.(operation, (performance.now() - startedAt) / 1000);
    }
  }

  #checkEmbedding(embedding: readonly number[], what: string): void {
    if (embedding.length !== this.#dimension) {
      throw new RangeError(
        `The embedding of ${what} has ${embedding.length} numbers, but collection ${this.#baseName} holds ` +
          `${this.#dimension}-dimensional vectors; embed it with the store's model.`,
      );
    }
  }
}

function parseChromaUrl(chromaUrl: string): URL {
  let url: URL;
  try {
    url = new URL(chromaUrl);
  } catch {
    throw new Error(`CHROMA_URL must be a URL such as http://127.0.0.1:8000 (got "${chromaUrl}").`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`CHROMA_URL must start with http:// or https:// (got "${chromaUrl}").`);
  }
  return url;
}

function toMemoryMetadata(metadata: Metadata | null): MemoryMetadata {
  return {
    project_id: Number(metadata?.project_id),
    source_type: metadata?.source_type as MemorySourceType,
    source_id: Number(metadata?.source_id),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** Splits items into runs of at most `size`; Chroma reports -1 when it has no limit. */
function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  const step = size > 0 ? size : items.length;
  for (let start = 0; start < items.length; start += step) yield items.slice(start, start + step);
}
