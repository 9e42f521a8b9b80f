import { makeEmbedder } from '../../../src/memory/embedder';
import { createThreadedEmbedder, type ThreadedEmbedder } from '../../../src/memory/embeddingThread';
import { QueryEmbeddingCache } from '../../../src/memory/queryEmbeddingCache';
import { recordEmbedCalls } from './helpers';

/** The cache in front of the real use-lite model, in its embedding thread, as the server uses it. */
describe('QueryEmbeddingCache', () => {
  let model: ThreadedEmbedder;

  beforeAll(async () => {
    model = await createThreadedEmbedder({ embeddingModel: 'use-lite' });
  });

  afterAll(() => model.close());

  it("returns the model's own vector, and the same one again without calling the model", async () => {
    const cache = new QueryEmbeddingCache(model, 10);
    const [direct] = await model.embed(['How do users reset a forgotten password?']);
    const calls = recordEmbedCalls(model);

    const first = await cache.embed(1, 'How do users reset a forgotten password?');
    const again = await cache.embed(1, 'How do users reset a forgotten password?');

    calls.stop();
    expect(first).toEqual(direct);
    expect(again).toBe(first);
    expect(calls).toHaveLength(1);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('keeps an entry per viewer, so one user never gets another user\'s question faster', async () => {
    const cache = new QueryEmbeddingCache(model, 10);
    const calls = recordEmbedCalls(model);

    const alice = await cache.embed(1, 'acquisition of the competitor');
    const carol = await cache.embed(2, 'acquisition of the competitor');

    calls.stop();
    expect(calls).toHaveLength(2);
    expect(carol).toEqual(alice);
  });

  it('keeps at most its capacity, dropping the least recently used first', async () => {
    const cache = new QueryEmbeddingCache(model, 2);
    await cache.embed(1, 'first question');
    await cache.embed(1, 'second question');
    await cache.embed(1, 'first question');
    await cache.embed(1, 'third question');
    expect(cache.size).toBe(2);

    const calls = recordEmbedCalls(model);
    await cache.embed(1, 'first question');
    await cache.embed(1, 'third question');
    await cache.embed(1, 'second question');
    calls.stop();

    // "second" was the least recently used when "third" came in: only it went back to the model.
    expect(calls).toHaveLength(1);
    expect(cache.size).toBe(2);
  });

  it('shares one model call between concurrent requests for the same question', async () => {
    const cache = new QueryEmbeddingCache(model, 10);
    const calls = recordEmbedCalls(model);

    const [a, b] = await Promise.all([cache.embed(7, 'budget export'), cache.embed(7, 'budget export')]);

    calls.stop();
    expect(calls).toHaveLength(1);
    expect(b).toBe(a);
  });

  it('does not keep a failed embedding', async () => {
    let failures = 1;
    const flaky = makeEmbedder({
      modelId: 'flaky',
      dimension: 2,
      embedBatch: async (texts) => {
        if (failures-- > 0) throw new Error('the model is not loaded yet');
        return texts.map(() => [1, 0]);
      },
    });
    const cache = new QueryEmbeddingCache(flaky, 10);

    await expect(cache.embed(1, 'question')).rejects.toThrow('the model is not loaded yet');
    await expect(cache.embed(1, 'question')).resolves.toEqual([1, 0]);
    expect(cache.size).toBe(1);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new QueryEmbeddingCache(model, 0)).toThrow(RangeError);
  });
});
