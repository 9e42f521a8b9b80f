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
 * Returns the configured embedder, with its model loaded (once per process) and run once, so its
 * `dimension` is known before the first text is embedded and the first search does not pay for
 * the model's first run (use-lite's took 125 ms against 15 ms for the next ones on the
 * development machine, and 0.5–0.8 s under load).
 */
export async function createEmbedder({ embeddingModel, embeddingModelDir }: EmbedderSettings): Promise<Embedder> {
  const embedder =
    embeddingModel === USE_LITE_MODEL_ID
      ? await createUseLiteEmbedder()
      : await createTransformersEmbedder({ modelId: embeddingModel, modelDir: embeddingModelDir });
  await embedder.embed(['warm-up']);
  return embedder;
}
