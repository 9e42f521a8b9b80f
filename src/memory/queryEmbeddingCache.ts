import type { Embedder } from './embedder';

/** How many query embeddings a server keeps by default: 1,000 × 512 numbers is about 4 MB. */
export const DEFAULT_QUERY_EMBEDDINGS_KEPT = 1000;

/**
 * The embeddings of recent search questions, so that a question asked again (a user re-running a
 * search, changing its source type or limit) skips the model, which costs a search more than
 * Chroma does (docs/memory-layout.md, "Search latency"). At most `capacity` are kept; the least
 * recently used goes first.
 *
 * Entries are per viewer: a shared entry would answer a user faster when anyone else had asked the
 * same question, which tells them what other teams search for. Concurrent requests for the same
 * entry share one model call; a failed call is not kept.
 */
export class QueryEmbeddingCache {
  readonly #embedder: Embedder;
  readonly #capacity: number;
  /** Map order is recency order: the first key is the least recently used. */
  readonly #entries = new Map<string, Promise<readonly number[]>>();

  constructor(embedder: Embedder, capacity: number = DEFAULT_QUERY_EMBEDDINGS_KEPT) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`A query embedding cache keeps at least 1 entry (got ${capacity}).`);
    this.#embedder = embedder;
    this.#capacity = capacity;
  }

  /** How many embeddings are kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The embedding of `text` as `viewerId` asked it: from the cache, or from one model call. */
  embed(viewerId: number, text: string): Promise<readonly number[]> {
    const key = `${viewerId}\n${text}`;
    const kept = this.#entries.get(key);
    if (kept) {
      this.#entries.delete(key);
      this.#entries.set(key, kept);
      return kept;
    }
    const embedding = this.#embedder.embed([text]).then(([vector]) => Object.freeze(vector!));
    this.#entries.set(key, embedding);
    embedding.catch(() => {
      if (this.#entries.get(key) === embedding) this.#entries.delete(key);
    });
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return embedding;
  }
}
