import { createConnection } from 'mysql2/promise';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { captureLogger, sleep, READ_THE_VIEWER } from '../../support/ops';
import { startTestServer, type TestServer } from '../../support/server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request logs', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  const captured = captureLogger('debug');

  beforeAll(async () => {
    database = await createTestDatabase('ops_logging');
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const team = await f.team(viewer);
    await f.crs(await f.project(team, viewer), viewer);
    server = await startTestServer(database.url, { SLOW_OPERATION_MS: '200', REQUEST_TIMEOUT_MS: '1000', ...READ_THE_VIEWER }, { logger: captured.logger });
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  async function post(query: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as any };
  }

  /** The log lines of one request, once its line is written (on 'finish', just after the body). */
  async function linesOf(requestId: string | null) {
    for (let i = 0; i < 50 && !captured.lines().some((line) => line.requestId === requestId && line.msg === 'request'); i += 1) await sleep(10);
    return captured.lines().filter((line) => line.requestId === requestId);
  }

  /** The one per-request line (a busy machine may add a "slow operation" line before it). */
  async function requestLinesOf(requestId: string | null) {
    return (await linesOf(requestId)).filter((line) => line.msg === 'request');
  }

  it('writes one JSON line per request with its id, operation, duration, SQL count, status and outcome', async () => {
    const { status, requestId, body } = await post('query Projects { teams { id projects { id crsDocuments { id } } } }', {
      'x-request-id': 'trace-4bf92f35.00f0:1',
    });
    expect(status).toBe(200);
    expect(requestId).toBe('trace-4bf92f35.00f0:1');
    const lines = await requestLinesOf(requestId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        level: 30,
        service: 'bridgeai-graphql',
        requestId: 'trace-4bf92f35.00f0:1',
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: 'Projects',
        operationType: 'query',
        sqlCount: body.extensions.queryCount,
        outcome: 'ok',
        durationMs: expect.any(Number),
      }),
    );
    expect(body.extensions.queryCount).toBeGreaterThan(0);
  });

  it.each([['spaces in it'], ['x'.repeat(129)], ['{"level":60}'], ['']])('replaces the unusable incoming id %j with its own', async (incoming) => {
    const { requestId } = await post('{ viewer { id } }', { 'x-request-id': incoming });
    expect(requestId).toMatch(UUID);
    expect(await requestLinesOf(requestId)).toHaveLength(1);
  });

  it('puts the request id into every error and logs the outcome and codes', async () => {
    const { status, requestId, body } = await post('query Bad { project(id: "abc") { id } }');
    expect(status).toBe(200);
    expect(requestId).toMatch(UUID);
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'id', requestId });
    const [line] = await requestLinesOf(requestId);
    expect(line).toMatchObject({ msg: 'request', operationName: 'Bad', outcome: 'error', errorCodes: ['BAD_USER_INPUT'], sqlCount: 0 });

    const parse = await post('{ viewer {');
    expect(parse.body.errors[0].extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED', requestId: parse.requestId });
    const [parseLine] = await requestLinesOf(parse.requestId);
    expect(parseLine).toMatchObject({ status: 400, outcome: 'error', errorCodes: ['GRAPHQL_PARSE_FAILED'] });

    const malformed = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    const malformedBody = (await malformed.json()) as any;
    expect(malformed.status).toBe(400);
    expect(malformedBody.errors[0].extensions.requestId).toBe(malformed.headers.get('x-request-id'));
  });

  it('logs a slow operation at warn with its SQL count', async () => {
    const locker = await createConnection(database.url);
    await locker.query('LOCK TABLES users WRITE');
    const pending = post('query Slow { viewer { id fullName } }');
    await sleep(400);
    await locker.query('UNLOCK TABLES');
    await locker.end();
    const { requestId, body } = await pending;
    expect(body.errors).toBeUndefined();
    const lines = await linesOf(requestId);
    const slow = lines.find((line) => line.msg === 'slow operation');
    expect(slow).toMatchObject({ level: 40, operationName: 'Slow', operationType: 'query', sqlCount: body.extensions.queryCount });
    expect(slow!.durationMs).toBeGreaterThanOrEqual(380);
    expect(lines.find((line) => line.msg === 'request')).toMatchObject({ level: 30, outcome: 'ok' });
  });

  it('logs a timed-out request as such', async () => {
    const locker = await createConnection(database.url);
    await locker.query('LOCK TABLES users WRITE');
    try {
      const { status, requestId, body } = await post('query Stuck { viewer { id } }');
      expect(status).toBe(503);
      expect(body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', requestId });
      const lines = await linesOf(requestId);
      expect(lines.find((line) => line.msg === 'request timed out')).toMatchObject({ level: 40 });
      expect(lines.find((line) => line.msg === 'request')).toMatchObject({ level: 40, status: 503, outcome: 'timeout' });
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
  });

  it('logs probes and scrapes at debug only', async () => {
    const response = await fetch(`${server.url}/health`);
    const lines = await linesOf(response.headers.get('x-request-id'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 20, path: '/health', status: 200 });
  });
});
