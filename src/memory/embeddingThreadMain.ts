import { parentPort } from 'node:worker_threads';
import { createEmbedder, type EmbedderSettings } from './createEmbedder';
import type { Embedder } from './embedder';
import type { ThreadReply, ThreadRequest } from './embeddingThread';

/**
 * The embedding thread's entry point (started by embeddingThread.ts). It loads each model the
 * first time it is asked for (createEmbedder keeps one per process) and answers every request
 * with the vectors, or with the error's message.
 */
function main(): void {
  const port = parentPort;
  if (!port) throw new Error('embeddingThreadMain.ts runs as the worker thread of embeddingThread.ts.');
  const models = new Map<string, Promise<Embedder>>();
  const modelFor = (settings: EmbedderSettings) => {
    const key = `${settings.embeddingModelDir ?? ''}\n${settings.embeddingModel}`;
    let model = models.get(key);
    if (!model) {
      model = createEmbedder(settings);
      models.set(key, model);
      model.catch(() => models.delete(key));
    }
    return model;
  };
  port.on('message', async (request: ThreadRequest) => {
    const reply = (message: ThreadReply) => port.postMessage(message);
    try {
      const model = await modelFor(request.settings);
      if (request.kind === 'load') reply({ kind: 'loaded', id: request.id, modelId: model.modelId, dimension: model.dimension });
      else reply({ kind: 'vectors', id: request.id, vectors: await model.embed(request.texts) });
    } catch (error) {
      reply({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
}

main();
