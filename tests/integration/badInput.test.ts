import jwt from 'jsonwebtoken';
import { Fixtures, FIXTURE_PASSWORD } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { INTERNAL_TEXT } from '../support/ops';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';


describe('bad input', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  let userId: number;

  beforeAll(async () => {
    database = await createTestDatabase('badinput');
    const f = new Fixtures(database.db);
    userId = await f.user('viewer@example.com');
    const team = await f.team(userId);
    await f.project(team, userId);
    server = await startTestServer(database.url);
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  function expectCleanError(result: { errors?: { message: string; extensions?: Record<string, unknown> }[] }, code: string) {
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors ?? []) {
      expect(error.extensions?.code).toBe(code);
      expect(error.extensions).not.toHaveProperty('stacktrace');
      expect(JSON.stringify(error)).not.toMatch(INTERNAL_TEXT);
    }
  }

  it('answers an unknown id with null', async () => {
    const result = await server.graphql('{ team(id: "4000000000") { id } project(id: "77") { id } }', {}, token);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ team: null, project: null });
  });

  it.each(['abc', '-1', '0', '1.5', '99999999999', '1; DROP TABLE users', ''])('refuses the malformed id %j', async (id) => {
    const result = await server.graphql('query ($id: ID!) { project(id: $id) { id } }', { id }, token);
    expectCleanError(result, 'BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/^id: /);
    expect(result.extensions?.queryCount).toBe(0);
  });

  it.each([201, 1000, -1])('refuses first: %d anywhere', async (first) => {
    for (const query of [
      `{ teams(first: ${first}) { id } }`,
      `{ teams { projects(first: ${first}) { id } } }`,
      `{ notifications(first: ${first}) { unreadCount } }`,
      `{ projects(first: ${first}) { edges { cursor } } }`,
    ]) {
      const result = await server.graphql(query, {}, token);
      expectCleanError(result, 'BAD_USER_INPUT');
      expect(result.errors![0].message).toMatch(/^first: must be between 0 and 200/);
    }
  });

  it('accepts first: 200', async () => {
    const result = await server.graphql('{ teams(first: 200) { projects(first: 200) { id } } }', {}, token);
    expect(result.errors).toBeUndefined();
  });

  it('refuses a cursor of another list', async () => {
    const projects = await server.graphql('{ projects(first: 1) { edges { cursor } } }', {}, token);
    const cursor = projects.data.projects.edges[0].cursor;
    const result = await server.graphql('query ($c: String) { notifications(after: $c) { unreadCount } }', { c: cursor }, token);
    expectCleanError(result, 'BAD_USER_INPUT');
  });

  describe('tokens', () => {
    const viewer = '{ viewer { id } }';
    const now = Math.floor(Date.now() / 1000);
    const forged = {
      missing: undefined,
      garbage: 'not-a-token',
      'signed with another secret': jwt.sign({ sub: '1' }, 'another-secret-0123456789', { issuer: 'bridgeai-graphql' }),
      'alg none': jwt.sign({ sub: '1', iss: 'bridgeai-graphql' }, '', { algorithm: 'none' }),
      expired: jwt.sign({ sub: '1', iat: now - 100000, exp: now - 10 }, TEST_JWT_SECRET, { issuer: 'bridgeai-graphql' }),
      'for a user that does not exist': jwt.sign({ sub: '424242' }, TEST_JWT_SECRET, { issuer: 'bridgeai-graphql', expiresIn: 60 }),
    };

    it.each(Object.entries(forged))('refuses %s with UNAUTHENTICATED', async (_name, bad) => {
      const result = await server.graphql(viewer, {}, bad);
      expectCleanError(result, 'UNAUTHENTICATED');
      expect(result.data).toBeNull();
    });

    it('accepts the real one', async () => {
      const result = await server.graphql(viewer, {}, token);
      expect(result.data).toEqual({ viewer: { id: String(userId) } });
    });
  });
});
