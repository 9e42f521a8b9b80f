import { createEmbedder } from '../../../src/memory/createEmbedder';
import type { Embedder } from '../../../src/memory/embedder';
import { collectionPerProjectLayout, defaultMemoryLayout, MEMORY_SHARDS, shardedLayout, singleCollectionLayout } from '../../../src/memory/memoryLayout';
import { MemoryStore, type MemoryItem } from '../../../src/memory/memoryStore';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { startRecordingProxy, TEXTS } from './helpers';

/** The default layout (docs/memory-layout.md): memories sharded by project over 16 collections. */
describe('memory layouts', () => {
  let chroma: TestChroma;
  let embedder: Embedder;
  let databaseCounter = 0;

  beforeAll(async () => {
    [chroma, embedder] = await Promise.all([startTestChroma(), createEmbedder({ embeddingModel: 'use-lite' })]);
  });
  afterAll(() => chroma?.stop());

  const newStore = (chromaUrl = chroma.url) => {
    databaseCounter += 1;
    return new MemoryStore({ chromaUrl, databaseName: `layout_test_${databaseCounter}`, modelId: embedder.modelId, dimension: embedder.dimension });
  };

  async function items(list: { id: string; projectId: number; text: string }[]): Promise<MemoryItem[]> {
    const embeddings = await embedder.embed(list.map((item) => item.text));
    return list.map((item, index) => ({
      id: item.id,
      embedding: embeddings[index],
      document: item.text,
      metadata: { project_id: item.projectId, source_type: 'CRS', source_id: index + 1 },
    }));
  }

  it('names a shard per project id modulo 16, and filters by project inside it', () => {
    const layout = defaultMemoryLayout('bridgeai__use-lite__512');
    expect(MEMORY_SHARDS).toBe(16);
    expect([1, 17, 2, 16].map((projectId) => layout.collectionName(projectId))).toEqual([
      'bridgeai__use-lite__512__shard1of16',
      'bridgeai__use-lite__512__shard1of16',
      'bridgeai__use-lite__512__shard2of16',
      'bridgeai__use-lite__512__shard0of16',
    ]);
    expect(layout.where(17, 'COMMENT')).toEqual(singleCollectionLayout('x').where(17, 'COMMENT'));
    expect(collectionPerProjectLayout('base').collectionName(7)).toBe('base__p7');
    expect(() => shardedLayout(0)).toThrow(RangeError);
  });

  it('keeps projects that share a shard apart, and stores one batch per shard it touches', async () => {
    const proxy = await startRecordingProxy(chroma.url);
    try {
      const store = newStore(proxy.url);
      // Projects 1 and 17 share shard 1; project 2 has shard 2.
      await store.upsert(
        await items([
          { id: 'p1', projectId: 1, text: TEXTS.AUTHENTICATION },
          { id: 'p17', projectId: 17, text: TEXTS.AUTHENTICATION },
          { id: 'p2', projectId: 2, text: TEXTS.AUTHENTICATION },
          { id: 'p1-budget', projectId: 1, text: TEXTS.BUDGET_REPORT },
        ]),
      );
      expect(proxy.count(/\/upsert$/)).toBe(2);

      const [embedding] = await embedder.embed(['login and password security']);
      const search = (projectId: number) => store.query({ embedding, projectId, limit: 10, maxDistance: 2 });
      expect((await search(1)).map((hit) => hit.id)).toEqual(['p1', 'p1-budget']);
      expect((await search(17)).map((hit) => hit.id)).toEqual(['p17']);
      expect((await search(2)).map((hit) => hit.id)).toEqual(['p2']);

      await store.delete({ projectId: 17, ids: ['p1', 'p17'] });
      expect((await search(1)).map((hit) => hit.id)).toEqual(['p1', 'p1-budget']);
      expect(await search(17)).toEqual([]);
    } finally {
      await proxy.close();
    }
  });
});
