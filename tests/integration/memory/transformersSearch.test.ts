import { crsMemoryText } from '../../../src/memory/memorySources';
import { enqueueAllMemory } from '../../../src/memory/reindex';
import { startTestChroma, type TestChroma } from '../../support/chroma';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { buildTinyModel, type TinyModel } from '../../support/tinyModel';
import { SEARCH } from './helpers';

/**
 * The transformers.js path end to end: the server loads EMBEDDING_MODEL from
 * EMBEDDING_MODEL_DIR (a tiny BERT-like model the test builds, since no model hub is
 * reachable), the worker indexes with it into that model's own collection, and searchMemory
 * embeds the question with it.
 */
describe('searchMemory with a transformers.js model', () => {
  let tinyModel: TinyModel;
  let chroma: TestChroma;
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    [tinyModel, chroma, database] = await Promise.all([buildTinyModel(), startTestChroma(), createTestDatabase('memory_transformers')]);
    const f = new Fixtures(database.db);
    ids.alice = await f.user('alice@example.com');
    ids.project = await f.project(await f.team(ids.alice, 'Team'), ids.alice, 'Alpha');
    ids.login = await f.crs(ids.project, ids.alice, 'login', 'DRAFT', 'the user must reset the password for login security');
    ids.weather = await f.crs(ids.project, ids.alice, 'weather', 'DRAFT', 'rain and sun for the dog and the cat');
    ids.database = await f.crs(ids.project, ids.alice, 'database', 'DRAFT', 'a fast index for the database query');
    await enqueueAllMemory(database.db);
    server = await startTestServer(
      database.url,
      { CHROMA_URL: chroma.url, EMBEDDING_MODEL: tinyModel.modelId, EMBEDDING_MODEL_DIR: tinyModel.dir },
      { outboxWorker: { autoStart: false } },
    );
    token = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all([database?.drop(), chroma?.stop(), tinyModel?.remove()]);
  });

  it('indexes and searches with the configured model', async () => {
    expect(server.memory!.embedder).toMatchObject({ modelId: tinyModel.modelId, dimension: tinyModel.dimension });
    expect(server.memory!.store.collectionBaseName).toMatch(/__tiny-bert-words__16$/);
    expect(await server.memory!.worker.runOnce()).toEqual({ indexed: 3, failed: 0, removed: 0 });

    const result = await server.graphql(SEARCH, { projectId: ids.project, query: 'login password security', maxDistance: 2 }, token);

    expect(result.errors).toBeUndefined();
    expect(result.data.searchMemory).toHaveLength(3);
    expect(result.data.searchMemory[0]).toMatchObject({
      id: `crs-${ids.login}`,
      sourceType: 'CRS',
      text: crsMemoryText('login', 'the user must reset the password for login security'),
    });
  });
});
