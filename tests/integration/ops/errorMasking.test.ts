import { sql } from 'kysely';
import { DATABASE_UNAVAILABLE_MESSAGE, INTERNAL_ERROR_MESSAGE } from '../../../src/http/formatError';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { captureLogger, INTERNAL_TEXT, sleep, TcpProxy } from '../../support/ops';
import { startTestServer, type TestServer } from '../../support/server';

const CRS_WITH_COMMENTS = 'query Comments($id: ID!) { crsDocument(id: $id) { id title comments { id content } } }';

describe.each([
  ['production', { NODE_ENV: 'production' }],
  ['development', { NODE_ENV: 'development' }],
])('error masking in %s', (environment, env) => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let token: string;
  let crsId: number;
  const captured = captureLogger('warn');

  beforeAll(async () => {
    database = await createTestDatabase(`ops_masking_${environment}`);
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    crsId = await f.crs(await f.project(await f.team(viewer), viewer), viewer);
    await f.comment(crsId, viewer);
    const target = new URL(database.url);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
    server = await startTestServer(proxy.urlFor(database.url), { ...env, DB_POOL_TIMEOUT_MS: '2000' }, { logger: captured.logger });
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await database?.drop();
  });

  function expectMasked(error: any, code: string, message: string, requestId: string | null) {
    expect(error.message).toBe(message);
    expect(error.extensions).toEqual({ code, requestId });
    expect(JSON.stringify(error)).not.toMatch(INTERNAL_TEXT);
  }

  async function post(query: string, variables: Record<string, unknown>) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as any;
    return { status: response.status, requestId: response.headers.get('x-request-id'), body, text: JSON.stringify(body) };
  }

  it('turns a real SQL failure (a table gone) into INTERNAL_SERVER_ERROR with the request id; details only in the log', async () => {
    await sql`RENAME TABLE comments TO comments_gone`.execute(database.db);
    try {
      const { requestId, body, text } = await post(CRS_WITH_COMMENTS, { id: String(crsId) });
      expect(body.errors).toHaveLength(1);
      expectMasked(body.errors[0], 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE, requestId);
      expect(body.errors[0].path).toEqual(['crsDocument', 'comments']);
      expect(text).not.toMatch(/comments_gone|doesn't exist|1146/);
      if (environment === 'production') expect(body.extensions?.queryCount).toBeUndefined();
      // The log has what the client does not, under the same request id.
      const logged = captured.lines().find((line) => line.msg === 'unexpected error' && line.requestId === requestId);
      expect(logged).toBeDefined();
      expect(logged!.level).toBe(50);
      expect(logged!.err.message).toMatch(/comments' doesn't exist/);
      expect(logged!.err.code).toBe('ER_NO_SUCH_TABLE');
      expect(logged!.err.stack).toEqual(expect.any(String));
    } finally {
      await sql`RENAME TABLE comments_gone TO comments`.execute(database.db);
    }
    const healed = await post(CRS_WITH_COMMENTS, { id: String(crsId) });
    expect(healed.body.errors).toBeUndefined();
    expect(healed.body.data.crsDocument.comments).toHaveLength(1);
  });

  it('turns a database that went away into SERVICE_UNAVAILABLE, never a driver code', async () => {
    await proxy.unplug();
    try {
      const { status, requestId, body } = await post(CRS_WITH_COMMENTS, { id: String(crsId) });
      expect(status).toBe(200);
      expect(body.errors.length).toBeGreaterThan(0);
      for (const error of body.errors) expectMasked(error, 'SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE, requestId);
      const logged = captured.lines().find((line) => line.msg === 'database unavailable' && line.requestId === requestId);
      expect(logged?.err.code).toMatch(/ECONN|PROTOCOL_CONNECTION_LOST|POOL_TIMEOUT/);
    } finally {
      await proxy.plug();
    }
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const again = await post(CRS_WITH_COMMENTS, { id: String(crsId) });
      if (!again.body.errors) return;
      await sleep(100);
    }
    throw new Error('the server did not recover after the database came back');
  });
});
