import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { APQ_TTL_SECONDS } from '../../../src/http/persistedQueries';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { FIXTURE_PASSWORD, Fixtures } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { getGraphQL, persistedQuery, postGraphQL, sha256Hex } from './rawHttp';

/** The machine's Redis (DESIGN.md "Services"); REDIS_TEST_URL points elsewhere. */
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/0';

describe('automatic persisted queries in Redis (REDIS_URL), shared by two server instances', () => {
  let database: TestDatabase;
  let first: TestServer;
  let second: TestServer;
  let redis: Redis;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('apq_redis');
    const fixtures = new Fixtures(database.db);
    const bob = await fixtures.user('bob@example.com', 'Bob');
    await fixtures.team(bob, 'Beta');
    first = await startTestServer(database.url, { REDIS_URL });
    second = await startTestServer(database.url, { REDIS_URL });
    redis = new Redis(REDIS_URL);
    token = await first.login('bob@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    redis?.disconnect();
    await database?.drop();
  });

  it('registers a query through one instance and serves its hash alone from the other', async () => {
    // A text no earlier run registered, so the first answer must be "not found".
    const query = `query SharedViewer { viewer { fullName } } # ${randomUUID()}`;
    const hash = sha256Hex(query);
    const auth = { authorization: `Bearer ${token}` };

    const unknown = await postGraphQL(second.url, { extensions: persistedQuery(hash) }, auth);
    expect(unknown.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await postGraphQL(first.url, { query, extensions: persistedQuery(hash) }, auth);
    expect(registered.body).toMatchObject({ data: { viewer: { fullName: 'Bob' } } });

    // Apollo writes the registration without awaiting it; give it a moment to land.
    await waitFor(async () => (await redis.exists(`bridgeai:apq:${hash}`)) === 1);
    const fromSecond = await getGraphQL(second.url, { extensions: persistedQuery(hash) }, auth);
    expect(fromSecond.status).toBe(200);
    expect(fromSecond.body).toEqual({ data: { viewer: { fullName: 'Bob' } }, extensions: expect.any(Object) });
  });

  it('stores the query text under its hash with the APQ time-to-live', async () => {
    const query = `query Expiring { __typename } # ${randomUUID()}`;
    const hash = sha256Hex(query);
    await postGraphQL(first.url, { query, extensions: persistedQuery(hash) });
    await waitFor(async () => (await redis.exists(`bridgeai:apq:${hash}`)) === 1);
    expect(await redis.get(`bridgeai:apq:${hash}`)).toBe(query);
    const ttl = await redis.ttl(`bridgeai:apq:${hash}`);
    expect(ttl).toBeGreaterThan(APQ_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(APQ_TTL_SECONDS);
  });

  it('refuses to start with a REDIS_URL nothing answers at, naming the variable', async () => {
    await expect(startTestServer(database.url, { REDIS_URL: 'redis://127.0.0.1:1/0' })).rejects.toThrow(
      /^REDIS_URL: cannot connect to redis:\/\/127\.0\.0\.1:1\/0 .*start Redis or unset REDIS_URL$/,
    );
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
