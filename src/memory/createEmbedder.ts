import type { Embedder } from './embedder';
import { createTransformersEmbedder } from './transformersEmbedder';
import { createUseLiteEmbedder, USE_LITE_MODEL_ID } from './useLiteEmbedder';

/** The configuration an embedder is chosen by (contract: EMBEDDING_MODEL, EMBEDDING_MODEL_DIR). */
export interface EmbedderSettings {
  /** `use-lite`, or a transformers.js model id such as `Xenova/all-MiniLM-L6-v2`. */
  readonly embeddingModel: string;
  /** Local folder of transformers.js models; unused by `use-lite`. */
  readonly embeddingModelDir?: string | undefined;
}

/**
 * Returns the configured embedder, with its model loaded (once per process), so its
 * `dimension` is known before the first text is embedded.
 */
export function createEmbedder({ embeddingModel, embeddingModelDir }: EmbedderSettings): Promise<Embedder> {
  if (embeddingModel === USE_LITE_MODEL_ID) return createUseLiteEmbedder();
  return createTransformersEmbedder({ modelId: embeddingModel, modelDir: embeddingModelDir });
}
