import { createEmbedder } from '../../../src/memory/createEmbedder';
import type { EmbedEvent, Embedder } from '../../../src/memory/embedder';
import { loadUseLiteModel } from '../../../src/memory/useLiteEmbedder';
import { buildTinyModel, type TinyModel } from '../../support/tinyModel';

function length(vector: number[]): number {
  return Math.hypot(...vector);
}

/** Cosine distance of two unit vectors, as Chroma computes it. */
function cosineDistance(a: number[], b: number[]): number {
  return 1 - a.reduce((sum, value, index) => sum + value * b[index], 0);
}

function recordEmbedCalls(embedder: Embedder): EmbedEvent[] {
  const events: EmbedEvent[] = [];
  embedder.onEmbed((event) => events.push(event));
  return events;
}

describe('use-lite embedder (Universal Sentence Encoder Lite from node_modules)', () => {
  let embedder: Embedder;

  beforeAll(async () => {
    embedder = await createEmbedder({ embeddingModel: 'use-lite' });
  });

  test('returns one 512-dimensional unit vector per text, in input order', async () => {
    // An empty text last: USE Lite's sparse input would drop it from the output if it had no token.
    const texts = ['Reset a forgotten password by email.', 'The CRS was approved.', ''];
    const vectors = await embedder.embed(texts);

    expect(embedder.modelId).toBe('use-lite');
    expect(embedder.dimension).toBe(512);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(vector).toHaveLength(512);
      expect(length(vector)).toBeCloseTo(1, 5);
    }
    const [again] = await embedder.embed([texts[1]]);
    expect(cosineDistance(again, vectors[1])).toBeCloseTo(0, 5);
  });

  test('places similar sentences closer than unrelated ones', async () => {
    const [reset, forgotten, weather] = await embedder.embed([
      'Users can reset their password by email.',
      'A user who forgot the password receives a reset link by email.',
      'Tomorrow will be sunny with light wind.',
    ]);

    expect(cosineDistance(reset, forgotten)).toBeLessThan(cosineDistance(reset, weather));
  });

  test('embeds a batch in one model call and reports its size to listeners', async () => {
    const events = recordEmbedCalls(embedder);

    await embedder.embed(Array.from({ length: 20 }, (_, index) => `Requirement ${index} of the login page.`));

    expect(events).toHaveLength(1);
    expect(events[0].batchSize).toBe(20);
    expect(events[0].durationMs).toBeGreaterThan(0);
  });

  test('returns no vectors for an empty batch without calling the model', async () => {
    const events = recordEmbedCalls(embedder);

    await expect(embedder.embed([])).resolves.toEqual([]);
    expect(events).toHaveLength(0);
  });

  test('loads the model once per process', async () => {
    const second = await createEmbedder({ embeddingModel: 'use-lite' });

    expect(await loadUseLiteModel()).toBe(await loadUseLiteModel());
    expect(await second.embed(['same model'])).toEqual(await embedder.embed(['same model']));
  });
});

describe('transformers.js embedder (a tiny BERT-like model the test builds)', () => {
  let tinyModel: TinyModel;

  beforeAll(async () => {
    tinyModel = await buildTinyModel();
  });

  afterAll(() => tinyModel.remove());

  test('loads the model from EMBEDDING_MODEL_DIR and reads its dimension from the output', async () => {
    const embedder = await createEmbedder({ embeddingModel: tinyModel.modelId, embeddingModelDir: tinyModel.dir });

    expect(embedder.modelId).toBe(tinyModel.modelId);
    expect(embedder.dimension).toBe(tinyModel.dimension);
  });

  test('embeds a batch in one pipeline call: mean-pooled, normalised, in input order', async () => {
    const embedder = await createEmbedder({ embeddingModel: tinyModel.modelId, embeddingModelDir: tinyModel.dir });
    const texts = ['The user must reset the password.', 'cat and dog', 'a project document with a comment for review'];
    const events = recordEmbedCalls(embedder);

    const batch = await embedder.embed(texts);

    expect(events.map((event) => event.batchSize)).toEqual([3]);
    expect(batch).toHaveLength(3);
    for (const vector of batch) {
      expect(vector).toHaveLength(tinyModel.dimension);
      expect(length(vector)).toBeCloseTo(1, 5);
    }
    // Padding the shorter texts of a batch must not change their embeddings.
    for (const [index, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      expect(cosineDistance(alone, batch[index])).toBeCloseTo(0, 5);
    }
  });

  test('loads the model once: a second embedder reuses it even after the folder is gone', async () => {
    const ownModel = await buildTinyModel({ modelId: 'tiny/loaded-once' });
    const first = await createEmbedder({ embeddingModel: ownModel.modelId, embeddingModelDir: ownModel.dir });
    await ownModel.remove();

    const second = await createEmbedder({ embeddingModel: ownModel.modelId, embeddingModelDir: ownModel.dir });

    expect(await second.embed(['login password'])).toEqual(await first.embed(['login password']));
  });

  test('fails with a message naming the folder and the files it expects when the model is missing', async () => {
    await expect(createEmbedder({ embeddingModel: 'tiny/missing', embeddingModelDir: tinyModel.dir })).rejects.toThrow(
      `Could not load the embedding model "tiny/missing" from EMBEDDING_MODEL_DIR ${tinyModel.dir}`,
    );
  });
});
