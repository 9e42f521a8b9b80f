/** One call of {@link Embedder.embed}, as seen by observers such as metrics and tests. */
export interface EmbedEvent {
  /** How many texts were embedded together. */
  readonly batchSize: number;
  /** Wall-clock time of the model call. */
  readonly durationMs: number;
}

/** Called after every successful embedding call. Must not throw. */
export type EmbedListener = (event: EmbedEvent) => void;

/**
 * Turns texts into vectors for semantic memory. Vectors are L2-normalised, so Chroma's cosine
 * distance compares meanings and the same model always yields the same dimension.
 */
export interface Embedder {
  /** The model's id as configured (EMBEDDING_MODEL), e.g. `use-lite`. */
  readonly modelId: string;
  /** Length of every vector this embedder returns. */
  readonly dimension: number;
  /** Embeds all texts in one model call; the result is in input order. */
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Registers a listener for every embedding call; returns a function that removes it. */
  onEmbed(listener: EmbedListener): () => void;
}

/** What a model contributes to an {@link Embedder}: the rest is the same for every model. */
export interface EmbedderParts {
  readonly modelId: string;
  readonly dimension: number;
  /** Embeds a non-empty batch in one model call, returning normalised vectors in input order. */
  readonly embedBatch: (texts: string[]) => Promise<number[][]>;
}

/**
 * Builds an {@link Embedder} around a model's batch function: skips the model for an empty
 * batch, checks that the model returned one vector of the right length per text, and tells
 * the listeners how big and how slow each call was.
 */
export function makeEmbedder({ modelId, dimension, embedBatch }: EmbedderParts): Embedder {
  const listeners = new Set<EmbedListener>();
  return Object.freeze({
    modelId,
    dimension,
    async embed(texts: readonly string[]): Promise<number[][]> {
      if (texts.length === 0) return [];
      const startedAt = performance.now();
      const vectors = await embedBatch([...texts]);
      const durationMs = performance.now() - startedAt;
      if (vectors.length !== texts.length || vectors.some((vector) => vector.length !== dimension)) {
        throw new Error(
          `Embedding model "${modelId}" returned ${vectors.length} vectors for ${texts.length} texts ` +
            `(expected one ${dimension}-dimensional vector per text); the model files may not match the model id.`,
        );
      }
      for (const listener of listeners) listener({ batchSize: texts.length, durationMs });
      return vectors;
    },
    onEmbed(listener: EmbedListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
}
