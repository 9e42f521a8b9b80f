import type { FeatureExtractionPipeline } from '@xenova/transformers';
import { makeEmbedder, type Embedder } from './embedder';

type Transformers = typeof import('@xenova/transformers');

/** Where a transformers.js model comes from. */
export interface TransformersModelSource {
  /** Model id, e.g. `Xenova/all-MiniLM-L6-v2`. */
  readonly modelId: string;
  /**
   * EMBEDDING_MODEL_DIR: a folder holding `<modelId>/config.json`, `tokenizer.json`,
   * `tokenizer_config.json` and `onnx/model_quantized.onnx`. When given, nothing is
   * downloaded; when absent, the model comes from the Hugging Face hub.
   */
  readonly modelDir?: string | undefined;
}

interface LoadedModel {
  readonly extractor: FeatureExtractionPipeline;
  readonly dimension: number;
}

/** Mean pooling over tokens, then L2 normalisation: how sentence-transformers models are used. */
const SENTENCE_EMBEDDING = { pooling: 'mean', normalize: true } as const;

const loads = new Map<string, Promise<LoadedModel>>();
let previousLoad: Promise<unknown> = Promise.resolve();

/**
 * Returns an {@link Embedder} for a transformers.js feature-extraction model (e.g.
 * `Xenova/all-MiniLM-L6-v2`, 384 dimensions): mean-pooled, normalised vectors, a whole batch
 * per pipeline call. The model is loaded once per process and source; later calls reuse it.
 */
export async function createTransformersEmbedder(source: TransformersModelSource): Promise<Embedder> {
  const { extractor, dimension } = await loadTransformersModel(source);
  return makeEmbedder({
    modelId: source.modelId,
    dimension,
    embedBatch: async (texts) => (await extractor(texts, SENTENCE_EMBEDDING)).tolist() as number[][],
  });
}

/**
 * Loads a model once per process (per model id and folder) and shares it. A failed load is
 * forgotten, so the next call tries again.
 */
function loadTransformersModel(source: TransformersModelSource): Promise<LoadedModel> {
  const key = `${source.modelDir ?? '(hub)'}\n${source.modelId}`;
  let load = loads.get(key);
  if (!load) {
    // transformers.js reads its settings from one process-wide `env` object while it loads,
    // so loads from different sources run one after another, never interleaved.
    load = previousLoad.then(() => readModel(source));
    previousLoad = load.catch(() => undefined);
    loads.set(key, load);
    load.catch(() => loads.delete(key));
  }
  return load;
}

async function readModel({ modelId, modelDir }: TransformersModelSource): Promise<LoadedModel> {
  const { env, pipeline } = requireTransformers();
  if (modelDir) {
    env.localModelPath = modelDir;
    env.allowLocalModels = true;
    env.allowRemoteModels = false;
  } else {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
  }
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', modelId);
  } catch (error) {
    const where = modelDir
      ? `EMBEDDING_MODEL_DIR ${modelDir} (expected ${modelDir}/${modelId}/config.json, tokenizer.json, ` +
        'tokenizer_config.json and onnx/model_quantized.onnx)'
      : 'the Hugging Face hub (set EMBEDDING_MODEL_DIR to load it from a local folder instead)';
    throw new Error(`Could not load the embedding model "${modelId}" from ${where}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  // The config's field for the hidden size differs between architectures; the output does not.
  const probe = await extractor(['dimension probe'], SENTENCE_EMBEDDING);
  return { extractor, dimension: probe.dims[probe.dims.length - 1] };
}

/**
 * Loads `@xenova/transformers`, which is published as an ES module only.
 *
 * Under `module: commonjs` TypeScript compiles `import()` to `require()`, and Jest's module
 * registry refuses ES modules without an experimental flag, so this asks Node's own loader,
 * which can `require()` an ES module since Node 20.19.
 */
function requireTransformers(): Transformers {
  const { createRequire } = process.getBuiltinModule('node:module');
  try {
    return createRequire(__filename)('@xenova/transformers') as Transformers;
  } catch (error) {
    throw new Error(
      `Could not load @xenova/transformers: ${messageOf(error)}. It is an ES module; ` +
        `Node.js 20.19 or newer loads it from CommonJS (this is ${process.version}).`,
      { cause: error },
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
