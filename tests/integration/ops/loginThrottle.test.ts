import Redis from 'ioredis';
import pino from 'pino';
import { LoginThrottle, LoginThrottledError } from '../../../src/auth/loginThrottle';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { freePort, metricsText, sampleSum } from '../../support/ops';
import { startTestServer, type TestServer } from '../../support/server';

const LOGIN = 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const REDIS_URL = 'redis://127.0.0.1:6379';

describe.each([
  ['in memory', {} as Record<string, string>],
  ['in Redis', { REDIS_URL }],
])('login throttling %s', (label, env) => {
  let database: TestDatabase;
  let server: TestServer;
  let redis: Redis | undefined;
  const keyPattern = () => `bridgeai:${new URL(database.url).pathname.slice(1)}:login-failures:*`;

  async function clearRedisCounters() {
    if (!redis) return;
    const keys = await redis.keys(keyPattern());
    if (keys.length > 0) await redis.del(...keys);
  }

  beforeAll(async () => {
    database = await createTestDatabase(`ops_throttle_${label === 'in Redis' ? 'redis' : 'memory'}`);
    const f = new Fixtures(database.db);
    await f.user('victim@example.com');
    await f.user('other@example.com');
    if (env.REDIS_URL) {
      redis = new Redis(REDIS_URL);
      await clearRedisCounters();
    }
    server = await startTestServer(database.url, env);
  });
  afterAll(async () => {
    await server?.stop();
    await clearRedisCounters();
    redis?.disconnect();
    await database?.drop();
  });
  beforeEach(async () => {
    // Each test starts from clean counters: a fresh server for memory, deleted keys for Redis.
    if (!redis) {
      await server.stop();
      server = await startTestServer(database.url, env);
    }
    await clearRedisCounters();
  });

  const login = (email: string, password: string) => server.graphql(LOGIN, { email, password });

  it('refuses an email after 5 failures, even with the right password, without checking it', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const failed = await login('victim@example.com', 'wrong password');
      expect(failed.errors?.[0]).toMatchObject({ message: 'Email or password is incorrect.', extensions: { code: 'UNAUTHENTICATED' } });
    }
    const refused = await login('Victim@Example.com ', FIXTURE_PASSWORD);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', retryAfterSeconds: expect.any(Number) });
    expect(refused.errors?.[0].message).toMatch(/^Too many failed sign-in attempts: try again in \d+ seconds\.$/);
    const retryAfter = refused.errors![0].extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Refused before the lookup: no SQL at all.
    expect(refused.extensions?.queryCount).toBe(0);
    // Another email from the same address is still served.
    expect((await login('other@example.com', FIXTURE_PASSWORD)).errors).toBeUndefined();

    const text = await metricsText(server.url);
    expect(sampleSum(text, 'bridgeai_login_failures_total')).toBe(5);
    expect(sampleSum(text, 'bridgeai_requests_shed_total')).toBe(1);
  });

  it("clears an email's failures on a successful login", async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) await login('victim@example.com', 'wrong password');
    expect((await login('victim@example.com', FIXTURE_PASSWORD)).errors).toBeUndefined();
    for (let attempt = 0; attempt < 4; attempt += 1) await login('victim@example.com', 'wrong password');
    expect((await login('victim@example.com', FIXTURE_PASSWORD)).errors).toBeUndefined();
  });

  it('refuses an address after 20 failures, whatever the email', async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const failed = await login(`nobody-${attempt}@example.com`, 'wrong password');
      expect(failed.errors?.[0].message).toBe('Email or password is incorrect.');
    }
    const refused = await login('other@example.com', FIXTURE_PASSWORD);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', retryAfterSeconds: expect.any(Number) });
  });

  if (label === 'in Redis') {
    it('keeps the counters in Redis, under the database name, expiring with the window', async () => {
      await login('victim@example.com', 'wrong password');
      const keys = await redis!.keys(keyPattern());
      expect(keys.sort()).toEqual([
        expect.stringMatching(/:login-failures:address:.*127\.0\.0\.1$/),
        expect.stringMatching(/:login-failures:email:victim@example\.com$/),
      ]);
      const ttl = await redis!.ttl(keys[0]);
      expect(ttl).toBeGreaterThan(14 * 60);
      expect(ttl).toBeLessThanOrEqual(15 * 60);
    });
  }
});

describe('login throttling with Redis unreachable', () => {
  // The server itself refuses to start without its Redis (the persisted-query cache needs it), but
  // Redis may go away later: the throttle then counts in memory rather than failing logins.
  it('keeps counting, in memory', async () => {
    const throttle = new LoginThrottle({
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      keyPrefix: 'bridgeai:unreachable',
      logger: pino({ level: 'silent' }),
    });
    try {
      await throttle.assertAllowed('victim@example.com', '127.0.0.1');
      for (let attempt = 0; attempt < 5; attempt += 1) await throttle.recordFailure('victim@example.com', '127.0.0.1');
      await expect(throttle.assertAllowed('victim@example.com', '127.0.0.1')).rejects.toBeInstanceOf(LoginThrottledError);
      await throttle.recordSuccess('victim@example.com');
      await throttle.assertAllowed('victim@example.com', '127.0.0.1');
    } finally {
      await throttle.close();
    }
  });
});

describe('login throttling behind a reverse proxy (TRUST_PROXY=1)', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('ops_throttle_proxy');
    await new Fixtures(database.db).user('victim@example.com');
    server = await startTestServer(database.url, { TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const loginFrom = async (address: string, email: string, password: string) => {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
    });
    return (await response.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
  };

  it("counts failures by the client's address, not the proxy's", async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) await loginFrom('203.0.113.7', `nobody-${attempt}@example.com`, 'wrong password');
    const refused = await loginFrom('203.0.113.7', 'victim@example.com', FIXTURE_PASSWORD);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', retryAfterSeconds: expect.any(Number) });
    // Another client behind the same proxy is not locked out.
    expect((await loginFrom('198.51.100.9', 'victim@example.com', FIXTURE_PASSWORD)).errors).toBeUndefined();
  });
});
