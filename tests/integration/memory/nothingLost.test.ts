import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChromaServer, type ChromaServer } from '../../../src/memory/chromaServer';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { memoryEntries, recordEmbedCalls, SEARCH, TEXTS } from './helpers';

/**
 * Chroma goes down while users write: the writes succeed through the real mutations, their
 * memory waits in the outbox, search says SERVICE_UNAVAILABLE, and once Chroma is back (a new
 * server over the same data folder and port) the worker indexes everything.
 */
describe('semantic memory while Chroma is down', () => {
  let dataPath: string;
  let chroma: ChromaServer | undefined;
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    dataPath = await mkdtemp(join(tmpdir(), 'bridgeai-chroma-'));
    [chroma, database] = await Promise.all([startChromaServer({ path: dataPath }), createTestDatabase('memory_outage')]);
    const f = new Fixtures(database.db);
    ids.alice = await f.user('alice@example.com');
    ids.team = await f.team(ids.alice, 'Team');
    ids.project = await f.project(ids.team, ids.alice, 'Alpha');
    // A retry base of 1 ms: a failed entry is due again at once, so the test need not wait out the back-off.
    server = await startTestServer(database.url, { CHROMA_URL: chroma.url }, { outboxWorker: { autoStart: false, retryBaseMs: 1 } });
    token = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await chroma?.stop();
    await database?.drop();
    await rm(dataPath, { recursive: true, force: true });
  });

  const mutate = async (query: string, variables: Record<string, unknown>) => {
    const result = await server.graphql(query, variables, token);
    expect(result.errors).toBeUndefined();
    return result.data;
  };

  it('keeps every write, answers SERVICE_UNAVAILABLE, and indexes it all once Chroma is back', async () => {
    const url = new URL(chroma!.url);
    await chroma!.stop();
    chroma = undefined;

    const { createCrsDocument: crs } = await mutate(
      'mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }',
      { input: { projectId: String(ids.project), title: 'Sign-in', content: TEXTS.AUTHENTICATION } },
    );
    const { addComment: comment } = await mutate('mutation ($crsId: ID!) { addComment(crsId: $crsId, content: "Passwords need twelve characters.") { id } }', {
      crsId: crs.id,
    });
    const { startChatSession: session } = await mutate('mutation ($projectId: ID!) { startChatSession(projectId: $projectId, name: "Security") { id } }', {
      projectId: String(ids.project),
    });
    const { postMessage: message } = await mutate('mutation ($sessionId: ID!) { postMessage(sessionId: $sessionId, content: "Should we add two-factor login?") { id } }', {
      sessionId: session.id,
    });
    const embeddingIds = [`crs-${crs.id}`, `comment-${comment.id}`, `message-${message.id}`];
    const pending = await memoryEntries(database.db);
    expect(embeddingIds.map((id) => pending.get(id)?.status)).toEqual(['pending', 'pending', 'pending']);

    // Chroma's heartbeat is checked before anything is embedded: no CPU is spent on vectors that cannot be stored.
    const embedCalls = recordEmbedCalls(server.memory!.embedder);
    expect(await server.memory!.worker.runOnce()).toEqual({ indexed: 0, failed: 3, removed: 0 });
    embedCalls.stop();
    expect(embedCalls).toHaveLength(0);
    const failed = await memoryEntries(database.db);
    for (const id of embeddingIds) {
      expect(failed.get(id)).toMatchObject({ status: 'pending', attempts: 1 });
      expect(failed.get(id)?.lastError).toMatch(/^MemoryUnavailableError: Chroma at http:\/\/127\.0\.0\.1:\d+ is unavailable/);
      expect(failed.get(id)!.lastError!.length).toBeLessThanOrEqual(500);
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^bridgeai_memory_outbox_failures_total 3$/m);
    expect(failed.get(embeddingIds[0])?.lastError).toMatch(/while checking its heartbeat/);
    expect(metrics).toMatch(/^bridgeai_memory_outbox_backlog 3$/m);

    const search = await server.graphql(SEARCH, { projectId: ids.project, query: 'login and password security' }, token);
    expect(search.data).toBeNull();
    expect(search.errors?.[0]).toMatchObject({ path: ['searchMemory'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(search.errors?.[0].message).not.toContain(url.port);
    // The search of a project the viewer cannot see (here a missing one) runs too, but its failure
    // is dropped: the answer is [], as it was before Chroma went down.
    const invisible = await server.graphql(SEARCH, { projectId: 999_999, query: 'login and password security' }, token);
    expect(invisible).toMatchObject({ status: 200, data: { searchMemory: [] } });
    expect(invisible.errors).toBeUndefined();
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ failed: ['chroma'] });

    // Each retry while Chroma stays down counts an attempt (and backs off further), still without embedding.
    const retryEmbedCalls = recordEmbedCalls(server.memory!.embedder);
    expect(await server.memory!.worker.runOnce()).toEqual({ indexed: 0, failed: 3, removed: 0 });
    retryEmbedCalls.stop();
    expect(retryEmbedCalls).toHaveLength(0);
    expect((await memoryEntries(database.db)).get(embeddingIds[0])?.attempts).toBe(2);

    chroma = await startChromaServer({ path: dataPath, port: Number(url.port) });
    expect(await server.memory!.worker.runOnce()).toEqual({ indexed: 3, failed: 0, removed: 0 });

    const indexed = await memoryEntries(database.db);
    expect(embeddingIds.map((id) => indexed.get(id)?.status)).toEqual(['indexed', 'indexed', 'indexed']);
    expect(indexed.get(embeddingIds[0])?.lastError).toBeNull();
    const found = await server.graphql(SEARCH, { projectId: ids.project, query: 'login and password security', limit: 50, maxDistance: 2 }, token);
    expect(found.errors).toBeUndefined();
    expect(found.data.searchMemory.map((hit: { id: string }) => hit.id).sort()).toEqual([...embeddingIds].sort());
    expect(found.data.searchMemory[0].id).toBe(`crs-${crs.id}`);
  });
});
