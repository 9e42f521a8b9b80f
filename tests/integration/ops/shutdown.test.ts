import { createConnection, type Connection } from 'mysql2/promise';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { sleep } from '../../support/ops';
import { buildServer, startServerProcess, type ServerProcess } from '../../support/serverProcess';

const SET_STATUS = 'mutation Review($id: ID!) { setCrsStatus(id: $id, status: UNDER_REVIEW) { id status } }';
const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** POSTs a GraphQL request to a server process. */
async function graphql(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * Resolves once the server's UPDATE of the CRS row runs (and so waits for our row lock).
 * PROCESSLIST rather than INNODB_LOCK_WAITS, which MariaDB does not always fill in time.
 */
async function untilTheUpdateWaits(observer: Connection, databaseName: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const sessions = () =>
    observer.query<any[]>('SELECT ID, COMMAND, TIME, STATE, LEFT(INFO, 200) AS INFO FROM information_schema.PROCESSLIST WHERE DB = ?', [databaseName]);
  while (Date.now() < deadline) {
    const [rows] = await sessions();
    if (rows.some((row) => /^update `crs_documents`/i.test(row.INFO ?? ''))) return;
    await sleep(50);
  }
  throw new Error(`the server never ran its UPDATE; sessions: ${JSON.stringify((await sessions())[0])}`);
}

// One process, and a cluster whose primary passes the signal on to its workers (the default on a multi-core machine).
describe.each(['1', '2'])('graceful shutdown of the real process (node dist/src/cli/start.js, WEB_CONCURRENCY=%s)', (webConcurrency) => {
  let database: TestDatabase;
  let crsId: number;
  let server: ServerProcess | undefined;
  let locker: Connection | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(`ops_shutdown_${webConcurrency}`);
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const project = await f.project(await f.team(viewer), viewer);
    crsId = await f.crs(project, viewer);
    // Already indexed: start-up then queues nothing for semantic memory, and no embedding work
    // competes with the requests under test for this small machine's CPU.
    await database.db
      .insertInto('aiMemoryIndex')
      .values({ projectId: project, sourceType: 'CRS', sourceId: crsId, embeddingId: `crs-${crsId}`, contentHash: 'fixture', status: 'indexed' })
      .execute();
    await buildServer();
  }, 150_000);
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
    await server?.cleanUp();
    server = undefined;
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function start(env: Record<string, string> = {}) {
    server = await startServerProcess({
      DATABASE_URL: database.url,
      JWT_SECRET: 'shutdown-test-secret-0123456789',
      LOG_LEVEL: 'info',
      WEB_CONCURRENCY: webConcurrency,
      DB_POOL_SIZE: '4',
      // On a loaded machine a fresh process can take seconds to get to the statement under test.
      REQUEST_TIMEOUT_MS: '60000',
      ...env,
    });
    const login = await graphql(server.url, LOGIN, { email: 'viewer@example.com', password: FIXTURE_PASSWORD });
    expect(login.body.errors).toBeUndefined();
    return { server, token: login.body.data.login.token as string };
  }

  /** Holds the CRS row in an open transaction, so the server's UPDATE of it waits for real. */
  async function lockCrsRow(): Promise<Connection> {
    locker = await createConnection(database.url);
    await locker.query('START TRANSACTION');
    await locker.query('SELECT id FROM crs_documents WHERE id = ? FOR UPDATE', [crsId]);
    return locker;
  }

  it('on SIGTERM finishes the request in flight, refuses new connections, then exits 0', async () => {
    const { server, token } = await start({ SHUTDOWN_TIMEOUT_MS: '10000' });
    const lock = await lockCrsRow();
    const slow = graphql(server.url, SET_STATUS, { id: String(crsId) }, token);
    await untilTheUpdateWaits(lock, new URL(database.url).pathname.slice(1));

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await sleep(500);
    // No longer listening, while the request is still in flight.
    const refused = await fetch(`${server.url}/health`).then(() => false, () => true);
    expect(refused).toBe(true);
    let exitedEarly = false;
    void server.exited.then(() => (exitedEarly = true));
    await sleep(500);
    expect(exitedEarly).toBe(false);

    await lock.query('ROLLBACK');
    const answer = await slow;
    const answeredAfterMs = Date.now() - signalledAt;
    const code = await server.exited;
    const exitedAfterMs = Date.now() - signalledAt;
    console.log(`[shutdown] request answered ${answeredAfterMs} ms after SIGTERM, process exited ${exitedAfterMs} ms after it, code ${code}`);

    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.setCrsStatus).toEqual({ id: String(crsId), status: 'UNDER_REVIEW' });
    expect(code).toBe(0);
    // The write was committed before the pool closed.
    const row = await database.db.selectFrom('crsDocuments').select('status').where('id', '=', crsId).executeTakeFirstOrThrow();
    expect(row.status).toBe('UNDER_REVIEW');
    // Each process writes its own lines, so the order holds within one process: the primary's, when there are workers.
    const messages = server.logs().filter((line) => webConcurrency === '1' || line.role === 'primary').map((line) => line.msg);
    expect(messages).toEqual(expect.arrayContaining(['shutting down: no new connections, finishing in-flight requests', 'stopped']));
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('shutting down: no new connections, finishing in-flight requests'));
  });

  it('exits within SHUTDOWN_TIMEOUT_MS plus a few seconds when a request never finishes', async () => {
    await database.db.updateTable('crsDocuments').set({ status: 'DRAFT' }).where('id', '=', crsId).execute();
    const { server, token } = await start({ SHUTDOWN_TIMEOUT_MS: '1500' });
    const lock = await lockCrsRow();
    const stuck = graphql(server.url, SET_STATUS, { id: String(crsId) }, token).then(
      (answer) => `HTTP ${answer.status} ${JSON.stringify(answer.body)}`,
      () => 'connection closed',
    );
    await Promise.race([untilTheUpdateWaits(lock, new URL(database.url).pathname.slice(1)), stuck.then((answer) => Promise.reject(new Error(`answered at once: ${answer}`)))]);

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const exitedAfterMs = Date.now() - signalledAt;
    const client = await stuck;
    console.log(`[shutdown] stuck request: process exited ${exitedAfterMs} ms after SIGTERM with code ${code}; the client saw: ${client}`);
    await lock.query('ROLLBACK');

    expect(exitedAfterMs).toBeLessThan(1500 + 5000 + 2000);
    expect(code).not.toBeNull();
    expect(client).toBe('connection closed');
  });
});
