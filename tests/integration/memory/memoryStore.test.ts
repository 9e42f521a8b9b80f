import { createServer, request, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { MemorySourceType } from '../../../src/db/schema';
import { createEmbedder } from '../../../src/memory/createEmbedder';
import type { Embedder } from '../../../src/memory/embedder';
import { memoryCollectionName } from '../../../src/memory/memoryCollectionName';
import { MemoryStore, type MemoryItem } from '../../../src/memory/memoryStore';
import { MemoryUnavailableError } from '../../../src/memory/memoryUnavailableError';
import { startTestChroma, type TestChroma } from '../../support/chroma';

const AUTHENTICATION = 'Authentication: users sign in with email and password; passwords are hashed and locked after five failed attempts.';
const BUDGET_REPORT = 'The monthly report exports project budgets to a spreadsheet.';
const WEATHER = 'The mobile app shows a weather forecast for the construction site.';
const NOTIFICATIONS = 'Comments on a CRS document notify the document owner by email.';
const INDEXES = 'The database keeps an index on the project id for fast lookups.';

/** Distance that keeps the authentication text for a login question and drops the unrelated ones (use-lite). */
const RELATED = 0.45;

let chroma: TestChroma;
let embedder: Embedder;
let databaseCounter = 0;

beforeAll(async () => {
  [chroma, embedder] = await Promise.all([startTestChroma(), createEmbedder({ embeddingModel: 'use-lite' })]);
});

afterAll(() => chroma?.stop());

/** A store over its own database name, so every test starts from an empty collection. */
function newStore(chromaUrl = chroma.url): MemoryStore {
  databaseCounter += 1;
  return new MemoryStore({ chromaUrl, databaseName: `memory_test_${databaseCounter}`, modelId: embedder.modelId, dimension: embedder.dimension });
}

interface Memory {
  id: string;
  projectId: number;
  sourceType: MemorySourceType;
  text: string;
}

async function memories(list: Memory[]): Promise<MemoryItem[]> {
  const embeddings = await embedder.embed(list.map((memory) => memory.text));
  return list.map((memory, index) => ({
    id: memory.id,
    embedding: embeddings[index],
    document: memory.text,
    metadata: { project_id: memory.projectId, source_type: memory.sourceType, source_id: index + 1 },
  }));
}

async function search(store: MemoryStore, text: string, options: { projectId: number; sourceType?: MemorySourceType; limit?: number; maxDistance?: number }) {
  const [embedding] = await embedder.embed([text]);
  return store.query({ embedding, limit: 10, maxDistance: 2, ...options });
}

/** An HTTP proxy in front of Chroma that records every request the client makes. */
async function startRecordingProxy(targetUrl: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const target = new URL(targetUrl);
  const requests: string[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    requests.push(`${incoming.method} ${incoming.url}`);
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('MemoryStore against a real Chroma server', () => {
  test('answers its heartbeat while Chroma runs', async () => {
    await expect(newStore().heartbeat()).resolves.toBeUndefined();
  });

  test('stores a batch with a single upsert request', async () => {
    const proxy = await startRecordingProxy(chroma.url);
    try {
      const store = newStore(proxy.url);
      const items = await memories(
        [AUTHENTICATION, BUDGET_REPORT, WEATHER, NOTIFICATIONS, INDEXES].map((text, index) => ({ id: `crs:${index}`, projectId: 1, sourceType: 'CRS', text })),
      );

      await store.upsert(items);

      expect(proxy.requests.filter((line) => /^POST .*\/upsert$/.test(line))).toHaveLength(1);
      expect(await search(store, 'password', { projectId: 1 })).toHaveLength(5);
    } finally {
      await proxy.close();
    }
  });

  test('finds memories of the queried project only, nearest first', async () => {
    const store = newStore();
    await store.upsert(
      await memories([
        { id: 'p1-auth', projectId: 1, sourceType: 'CRS', text: AUTHENTICATION },
        { id: 'p1-budget', projectId: 1, sourceType: 'CRS', text: BUDGET_REPORT },
        { id: 'p2-auth', projectId: 2, sourceType: 'CRS', text: AUTHENTICATION },
        { id: 'p2-budget', projectId: 2, sourceType: 'COMMENT', text: BUDGET_REPORT },
      ]),
    );

    const hits = await search(store, 'login and password security', { projectId: 1 });

    expect(hits.map((hit) => hit.id)).toEqual(['p1-auth', 'p1-budget']);
    expect(hits.map((hit) => hit.metadata.project_id)).toEqual([1, 1]);
    expect(hits[0]).toMatchObject({ document: AUTHENTICATION, metadata: { project_id: 1, source_type: 'CRS', source_id: 1 } });
    expect(hits[0].distance).toBeLessThan(hits[1].distance);
  });

  test('filters by source type inside the project', async () => {
    const store = newStore();
    await store.upsert(
      await memories([
        { id: 'crs', projectId: 7, sourceType: 'CRS', text: AUTHENTICATION },
        { id: 'comment', projectId: 7, sourceType: 'COMMENT', text: NOTIFICATIONS },
        { id: 'message', projectId: 7, sourceType: 'MESSAGE', text: AUTHENTICATION },
        { id: 'other-project-comment', projectId: 8, sourceType: 'COMMENT', text: AUTHENTICATION },
      ]),
    );

    const comments = await search(store, 'login and password security', { projectId: 7, sourceType: 'COMMENT' });

    expect(comments.map((hit) => hit.id)).toEqual(['comment']);
  });

  test('ranks the authentication text first for "login and password security" and drops unrelated texts beyond maxDistance', async () => {
    const store = newStore();
    await store.upsert(
      await memories(
        [BUDGET_REPORT, WEATHER, NOTIFICATIONS, AUTHENTICATION, INDEXES].map((text, index) => ({ id: `doc-${index}`, projectId: 3, sourceType: 'CRS', text })),
      ),
    );

    const everything = await search(store, 'login and password security', { projectId: 3 });
    const related = await search(store, 'login and password security', { projectId: 3, maxDistance: RELATED });

    expect(everything).toHaveLength(5);
    expect(everything[0].document).toBe(AUTHENTICATION);
    expect(related.map((hit) => hit.document)).toEqual([AUTHENTICATION]);
  });

  test('replaces a memory stored again under the same id', async () => {
    const store = newStore();
    await store.upsert(await memories([{ id: 'crs:42', projectId: 4, sourceType: 'CRS', text: BUDGET_REPORT }]));
    await store.upsert(await memories([{ id: 'crs:42', projectId: 4, sourceType: 'CRS', text: AUTHENTICATION }]));

    const hits = await search(store, 'login and password security', { projectId: 4 });

    expect(hits.map((hit) => [hit.id, hit.document])).toEqual([['crs:42', AUTHENTICATION]]);
  });

  test('deletes memories by id within their project only', async () => {
    const store = newStore();
    await store.upsert(
      await memories([
        { id: 'keep', projectId: 5, sourceType: 'CRS', text: BUDGET_REPORT },
        { id: 'drop', projectId: 5, sourceType: 'CRS', text: AUTHENTICATION },
      ]),
    );

    await store.delete({ projectId: 6, ids: ['keep'] });
    await store.delete({ projectId: 5, ids: ['drop', 'never-stored'] });

    expect((await search(store, 'anything', { projectId: 5 })).map((hit) => hit.id)).toEqual(['keep']);
  });

  test('rejects an embedding of the wrong dimension before calling Chroma', async () => {
    const store = newStore();

    await expect(store.query({ embedding: [1, 0, 0], projectId: 1, limit: 5, maxDistance: 1 })).rejects.toThrow(RangeError);
    await expect(
      store.upsert([{ id: 'short', embedding: [1, 0], document: 'x', metadata: { project_id: 1, source_type: 'CRS', source_id: 1 } }]),
    ).rejects.toThrow(/has 2 numbers, but collection memory_test_\d+__use-lite__512 holds 512-dimensional vectors/);
  });

  test('raises MemoryUnavailableError, not an empty result, when Chroma is down', async () => {
    const doomed = await startTestChroma();
    const store = newStore(doomed.url);
    await store.upsert(await memories([{ id: 'crs:1', projectId: 1, sourceType: 'CRS', text: AUTHENTICATION }]));
    await doomed.stop();

    await expect(search(store, 'password', { projectId: 1 })).rejects.toThrow(MemoryUnavailableError);
    await expect(store.heartbeat()).rejects.toThrow(MemoryUnavailableError);
    await expect(store.upsert(await memories([{ id: 'crs:2', projectId: 1, sourceType: 'CRS', text: WEATHER }]))).rejects.toThrow(
      /Chroma at http:\/\/127\.0\.0\.1:\d+ is unavailable while storing 1 memories/,
    );
  });

  test('raises MemoryUnavailableError when Chroma accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const store = new MemoryStore({ chromaUrl: url, databaseName: 'bridgeai', modelId: 'use-lite', dimension: 512, requestTimeoutMs: 300 });

      await expect(store.heartbeat()).rejects.toThrow(new MemoryUnavailableError(`Chroma at ${url} did not answer within 300 ms while checking its heartbeat.`));
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('keeps the memories of two databases apart on one Chroma server', async () => {
    const shop = new MemoryStore({ chromaUrl: chroma.url, databaseName: 'shop', modelId: embedder.modelId, dimension: embedder.dimension });
    const bridgeai = new MemoryStore({ chromaUrl: chroma.url, databaseName: 'bridgeai', modelId: embedder.modelId, dimension: embedder.dimension });
    await shop.upsert(await memories([{ id: 'crs:1', projectId: 1, sourceType: 'CRS', text: AUTHENTICATION }]));

    expect(await search(bridgeai, 'password', { projectId: 1 })).toEqual([]);
    expect(await search(shop, 'password', { projectId: 1 })).toHaveLength(1);
  });
});

describe('memoryCollectionName', () => {
  test('carries the database name, the model id and the dimension', () => {
    expect(memoryCollectionName({ databaseName: 'bridgeai', modelId: 'use-lite', dimension: 512 })).toBe('bridgeai__use-lite__512');
    expect(memoryCollectionName({ databaseName: 'bridgeai', modelId: 'Xenova/all-MiniLM-L6-v2', dimension: 384 })).toBe(
      'bridgeai__Xenova-all-MiniLM-L6-v2__384',
    );
  });

  test('differs per database, model and dimension', () => {
    const names = new Set([
      memoryCollectionName({ databaseName: 'bridgeai', modelId: 'use-lite', dimension: 512 }),
      memoryCollectionName({ databaseName: 'bridgeai_test_1', modelId: 'use-lite', dimension: 512 }),
      memoryCollectionName({ databaseName: 'bridgeai', modelId: 'Xenova/all-MiniLM-L6-v2', dimension: 384 }),
      memoryCollectionName({ databaseName: 'bridgeai', modelId: 'Xenova/all-MiniLM-L6-v2', dimension: 256 }),
    ]);
    expect(names.size).toBe(4);
  });

  test('produces names Chroma accepts from unusual database names and model ids', async () => {
    const store = new MemoryStore({ chromaUrl: chroma.url, databaseName: '_my$db..x', modelId: 'org/model name..v2', dimension: 3 });

    expect(store.collectionBaseName).toBe('my-db.x__org-model-name.v2__3');
    await expect(store.query({ embedding: [1, 0, 0], projectId: 1, limit: 1, maxDistance: 2 })).resolves.toEqual([]);
  });
});
