import { createEmbedder } from '../../../src/memory/createEmbedder';
import { createThreadedEmbedder, type ThreadedEmbedder } from '../../../src/memory/embeddingThread';
import { buildTinyModel, type TinyModel } from '../../support/tinyModel';
import { recordEmbedCalls } from './helpers';

/** The server's embedder: the configured model in a worker thread, so requests never wait on it. */
describe('embedding thread', () => {
  let threaded: ThreadedEmbedder | undefined;

  afterEach(async () => {
    await threaded?.close();
    threaded = undefined;
  });

  it('returns what the model returns on the calling thread, one thread call per batch', async () => {
    threaded = await createThreadedEmbedder({ embeddingModel: 'use-lite' });
    const local = await createEmbedder({ embeddingModel: 'use-lite' });
    const texts = ['Users sign in with email and password.', 'The report exports budgets.', ''];
    const calls = recordEmbedCalls(threaded);

    const vectors = await threaded.embed(texts);

    expect(threaded).toMatchObject({ modelId: 'use-lite', dimension: 512 });
    expect(calls.map((call) => call.batchSize)).toEqual([3]);
    const expected = await local.embed(texts);
    vectors.forEach((vector, index) => vector.forEach((value, dim) => expect(value).toBeCloseTo(expected[index][dim], 6)));
  });

  it('loads a transformers.js model from EMBEDDING_MODEL_DIR', async () => {
    const tiny: TinyModel = await buildTinyModel();
    try {
      threaded = await createThreadedEmbedder({ embeddingModel: tiny.modelId, embeddingModelDir: tiny.dir });
      expect(threaded).toMatchObject({ modelId: tiny.modelId, dimension: tiny.dimension });
      expect((await threaded.embed(['login password'])).map((vector) => vector.length)).toEqual([tiny.dimension]);
    } finally {
      await tiny.remove();
    }
  });

  it("rejects with the model's own message when the model cannot be loaded", async () => {
    await expect(createThreadedEmbedder({ embeddingModel: 'missing/model', embeddingModelDir: '/nonexistent' })).rejects.toThrow(
      /Could not load the embedding model "missing\/model" from EMBEDDING_MODEL_DIR \/nonexistent/,
    );
  });

  it('refuses to embed once closed, while other embedders of the thread go on', async () => {
    const closed = await createThreadedEmbedder({ embeddingModel: 'use-lite' });
    threaded = await createThreadedEmbedder({ embeddingModel: 'use-lite' });
    await closed.close();
    await expect(closed.embed(['anything'])).rejects.toThrow('This embedder was closed.');
    expect(await threaded.embed(['anything'])).toHaveLength(1);
  });
});
