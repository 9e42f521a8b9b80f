import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbedderSettings } from './createEmbedder';
import { makeEmbedder, type Embedder } from './embedder';

/** What the calling thread asks the embedding thread. */
export type ThreadRequest =
  | { readonly kind: 'load'; readonly id: number; readonly settings: EmbedderSettings }
  | { readonly kind: 'embed'; readonly id: number; readonly settings: EmbedderSettings; readonly texts: string[] };

/** What the embedding thread answers. */
export type ThreadReply =
  | { readonly kind: 'loaded'; readonly id: number; readonly modelId: string; readonly dimension: number }
  | { readonly kind: 'vectors'; readonly id: number; readonly vectors: number[][] }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

/** An {@link Embedder} whose model runs in the embedding thread; `close()` detaches it. */
export interface ThreadedEmbedder extends Embedder {
  /** Later calls of this embedder fail; the thread and its models stay for the process. */
  close(): Promise<void>;
}

/**
 * Returns an Embedder for the configured model (see createEmbedder) that runs in the process's
 * embedding thread. The models compute synchronously: on the server's own thread, embedding a
 * batch stalls every request for seconds (measured with use-lite: 3 s for 100 comments, 9 s for
 * 44 CRS documents of ~1 kB), so the server embeds there.
 *
 * One thread serves the whole process, loading each model once, because onnxruntime-node (under
 * transformers.js) can be loaded by one thread of a process only. Rejects with the model's own
 * message when it cannot be loaded.
 */
export async function createThreadedEmbedder(settings: EmbedderSettings): Promise<ThreadedEmbedder> {
  const plain = { embeddingModel: settings.embeddingModel, embeddingModelDir: settings.embeddingModelDir };
  const { modelId, dimension } = await embeddingThread().call<{ modelId: string; dimension: number }>({ kind: 'load', settings: plain });
  let closed = false;
  const embedder = makeEmbedder({
    modelId,
    dimension,
    embedBatch: (texts) => {
      if (closed) return Promise.reject(new Error('This embedder was closed.'));
      return embeddingThread().call<number[][]>({ kind: 'embed', settings: plain, texts });
    },
  });
  return Object.freeze({
    ...embedder,
    async close() {
      closed = true;
    },
  });
}

type Call = { kind: 'load'; settings: EmbedderSettings } | { kind: 'embed'; settings: EmbedderSettings; texts: string[] };

/** The process's embedding thread, started on first use; a thread that died is replaced on the next call. */
class EmbeddingThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #dead: Error | undefined;

  constructor(onDeath: () => void) {
    this.#worker = new Worker(BOOTSTRAP, { eval: true, workerData: { entry: threadEntry() } });
    // An idle thread must not keep a process alive that has nothing else to do.
    this.#worker.unref();
    this.#worker.on('message', (reply: ThreadReply) => {
      const call = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) this.#worker.unref();
      if (reply.kind === 'error') call?.reject(new Error(reply.message));
      else call?.resolve((reply.kind === 'vectors' ? reply.vectors : { modelId: reply.modelId, dimension: reply.dimension }) as never);
    });
    const die = (error: Error) => {
      this.#dead ??= error;
      for (const call of this.#pending.values()) call.reject(this.#dead);
      this.#pending.clear();
      onDeath();
    };
    this.#worker.on('error', (error) => die(new Error(`The embedding thread failed: ${error.message}`, { cause: error })));
    this.#worker.on('exit', (code) => die(new Error(`The embedding thread stopped (exit code ${code}).`)));
  }

  call<T>(call: Call): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead);
    return new Promise<T>((resolve, reject) => {
      const id = (this.#nextId += 1);
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (value: never) => void, reject });
      this.#worker.postMessage({ ...call, id } satisfies ThreadRequest);
    });
  }
}

let thread: EmbeddingThread | undefined;

function embeddingThread(): EmbeddingThread {
  thread ??= new EmbeddingThread(() => {
    thread = undefined;
  });
  return thread;
}

/** The thread's entry module beside this one: `.js` when built, `.ts` when the sources run (Jest). */
function threadEntry(): string {
  return join(__dirname, `embeddingThreadMain${extname(__filename)}`);
}

/**
 * The thread's first code. Built code is JavaScript and is simply required. Under Jest the
 * sources are TypeScript, which a worker thread (outside Jest's module system) cannot load, so
 * the bootstrap compiles them with TypeScript's transpileModule as they are required; the
 * `typescript` package is present wherever the .ts sources are run.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) {
  const { readFileSync } = require('node:fs');
  const ts = require(require.resolve('typescript', { paths: [workerData.entry] }));
  require.extensions['.ts'] = (module, filename) => {
    const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
}
require(workerData.entry);
`;
