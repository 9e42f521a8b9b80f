import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { ConfigError, DEFAULT_WEB_CONCURRENCY, loadConfig } from '../../../src/config';
import { checkConnectionBudget } from '../../../src/db/connectionBudget';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { captureLogger, freePort, isAlive, sampleSum, sleep } from '../../support/ops';
import { buildServer, startServerProcess, type ServerProcess } from '../../support/serverProcess';

const START_SCRIPT = resolve(__dirname, '..', '..', '..', 'dist', 'src', 'cli', 'start.js');
const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
/** Nothing listens on port 9 of 127.0.0.1 (as in the bench): no embedded Chroma is started. */
const NO_CHROMA = 'http://127.0.0.1:9';
const POOL = { DB_POOL_SIZE: '3', DB_POOL_MAX_OVERFLOW: '2' };

/**
 * POSTs a GraphQL request on a connection of its own: a kept-alive connection stays with the
 * worker that accepted it, a new one is handed to the next worker in turn.
 */
function graphqlOnNewConnection(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ status: number; body: any }> {
  return new Promise((resolvePromise, reject) => {
    const body = JSON.stringify({ query, variables });
    const outgoing = request(
      `${url}/graphql`,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolvePromise({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function metrics(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { connection: 'close' } });
  expect(response.status).toBe(200);
  return response.text();
}

/** Pids of the live processes whose parent is `pid` (from /proc/<pid>/stat). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is the state; a zombie has exited and only waits to be reaped.
      if (Number(fields[1]) === pid && fields[0] !== 'Z') children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children.sort((a, b) => a - b);
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The primary's log lines about its workers. */
function primaryLines(server: ServerProcess, msg: string): Record<string, any>[] {
  return server.logs().filter((line) => line.role === 'primary' && line.msg === msg);
}

/** The workers that served the logged GraphQL requests after `from` log lines. */
function workersThatServed(server: ServerProcess, from: number): Set<number> {
  return new Set(
    server
      .logs()
      .slice(from)
      .filter((line) => line.msg === 'request' && line.path === '/graphql' && line.status === 200)
      .map((line) => line.worker as number),
  );
}

describe('WEB_CONCURRENCY (config)', () => {
  it('defaults to one process and takes whole numbers of at least 1', () => {
    expect(loadConfig({}).webConcurrency).toBe(DEFAULT_WEB_CONCURRENCY);
    expect(loadConfig({ WEB_CONCURRENCY: '1' }).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '3' }).webConcurrency).toBe(3);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ WEB_CONCURRENCY: 'two' })).toThrow(/^WEB_CONCURRENCY: must be a whole number of at least 1 \(got "two"\)$/);
  });
});

describe('npm start with WEB_CONCURRENCY=2 (node:cluster)', () => {
  let database: TestDatabase;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('ops_cluster');
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const project = await f.project(await f.team(viewer), viewer);
    const crsId = await f.crs(project, viewer);
    // Not empty and already indexed: start-up seeds and queues nothing.
    await database.db
      .insertInto('aiMemoryIndex')
      .values({ projectId: project, sourceType: 'CRS', sourceId: crsId, embeddingId: `crs-${crsId}`, contentHash: 'fixture', status: 'indexed' })
      .execute();
    await buildServer();
    server = await startServerProcess({
      WEB_CONCURRENCY: '2',
      DATABASE_URL: database.url,
      CHROMA_URL: NO_CHROMA,
      LOG_LEVEL: 'info',
      ...POOL,
      // JWT_SECRET left unset on purpose: the primary's generated secret must reach every worker.
    });
    await until('both workers to serve', () => primaryLines(server!, 'cluster serving').length > 0);
  }, 150_000);

  afterAll(async () => {
    await server?.cleanUp();
    await database?.drop();
  });

  it('runs one primary and two workers, exactly one of them running the memory outbox', () => {
    const primary = server!.child.pid!;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);
    const serving = primaryLines(server!, 'worker serving');
    expect(serving.map((line) => line.pid).sort((a, b) => a - b)).toEqual(workers);
    expect(serving.filter((line) => line.runsOutbox === true)).toHaveLength(1);
    // Each worker logs under its own id.
    expect(new Set(server!.logs().filter((line) => line.role === 'worker' && line.msg === 'listening').map((line) => line.worker))).toEqual(
      new Set(serving.map((line) => line.worker)),
    );
  });

  it('answers many requests from both workers, with one JWT secret for all', async () => {
    const from = server!.logs().length;
    const login = await graphqlOnNewConnection(server!.url, LOGIN, { email: 'viewer@example.com', password: FIXTURE_PASSWORD });
    expect(login.body.errors).toBeUndefined();
    const token = login.body.data.login.token as string;

    const answers = await Promise.all(Array.from({ length: 20 }, () => graphqlOnNewConnection(server!.url, '{ viewer { email } }', {}, token)));
    for (const answer of answers) {
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 200, body: expect.objectContaining({ data: { viewer: { email: 'viewer@example.com' } } }) });
    }
    await until('the request log lines', () => workersThatServed(server!, from).size === 2);
  });

  it('shows on /metrics the whole cluster: the request counter grows by the requests sent to both workers', async () => {
    const requests = 24;
    const counted = (text: string) => sampleSum(text, 'bridgeai_http_request_duration_seconds_count', { route: '/graphql', method: 'POST', status: '200' });
    const before = counted(await metrics(server!.url));
    const from = server!.logs().length;
    for (let i = 0; i < requests; i += 1) {
      const answer = await graphqlOnNewConnection(server!.url, '{ __typename }');
      expect(answer.status).toBe(200);
    }
    await until('the request log lines', () => workersThatServed(server!, from).size === 2);
    // Whichever worker a scrape lands on, it counts every worker's requests.
    for (let scrape = 0; scrape < 4; scrape += 1) {
      const text = await metrics(server!.url);
      expect(counted(text) - before).toBe(requests);
      expect(text.match(/^# TYPE bridgeai_http_request_duration_seconds histogram$/gm)).toHaveLength(1);
      // Each worker's pool may hold size + overflow connections: the gauge is their sum.
      expect(sampleSum(text, 'bridgeai_db_pool_size')).toBe(2 * (3 + 2));
      const utilization = sampleSum(text, 'bridgeai_db_pool_utilization_ratio');
      expect(utilization).toBeGreaterThanOrEqual(0);
      expect(utilization).toBeLessThanOrEqual(1);
    }
  });

  it('replaces a worker killed with SIGKILL, which takes over its outbox role, and keeps answering', async () => {
    const primary = server!.child.pid!;
    const outboxWorker = primaryLines(server!, 'worker serving').find((line) => line.runsOutbox === true)!;
    const survivor = childrenOf(primary).find((pid) => pid !== outboxWorker.pid)!;
    process.kill(outboxWorker.pid, 'SIGKILL');

    const died = await until('the primary to notice', () => primaryLines(server!, 'worker died: starting a replacement').find((line) => line.pid === outboxWorker.pid));
    expect(died).toMatchObject({ signal: 'SIGKILL', restartInMs: 0 });
    for (let i = 0; i < 10; i += 1) {
      expect((await graphqlOnNewConnection(server!.url, '{ __typename }')).status).toBe(200);
    }

    const replacement = await until('the replacement to serve', () =>
      primaryLines(server!, 'worker serving').find((line) => line.pid !== outboxWorker.pid && line.pid !== survivor),
    );
    expect(replacement.runsOutbox).toBe(true);
    expect(childrenOf(primary)).toEqual([survivor, replacement.pid].sort((a, b) => a - b));
    const from = server!.logs().length;
    for (let i = 0; i < 12; i += 1) {
      expect((await graphqlOnNewConnection(server!.url, '{ __typename }')).status).toBe(200);
    }
    await until('both workers to serve again', () => workersThatServed(server!, from).has(replacement.worker) && workersThatServed(server!, from).size === 2);
    expect(primaryLines(server!, 'worker starting')).toHaveLength(3);
  });

  it('on SIGTERM to the primary, shuts every worker down gracefully and exits 0', async () => {
    const primary = server!.child.pid!;
    const workers = childrenOf(primary);
    expect(workers).toHaveLength(2);
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    for (const pid of workers) await until(`worker ${pid} to be gone`, () => !isAlive(pid), 5000);
    const stopped = server!.logs().filter((line) => line.msg === 'stopped');
    expect(stopped.filter((line) => line.role === 'worker')).toHaveLength(2);
    expect(stopped.filter((line) => line.role === 'primary')).toHaveLength(1);
    expect(server!.logs().filter((line) => line.msg === 'worker died: starting a replacement')).toHaveLength(1);
  });
});

/**
 * Runs `node dist/src/cli/start.js` in a fresh folder until it exits; `onLine` sees every JSON
 * log line as it comes, with the process.
 */
async function runUntilExit(
  env: Record<string, string>,
  onLine: (line: Record<string, any>, child: ChildProcess) => void = () => undefined,
  timeoutMs = 90_000,
): Promise<{ code: number | null; output: string; lines: Record<string, any>[] }> {
  const cwd = await mkdtemp(join(tmpdir(), 'bridgeai-cluster-'));
  try {
    const child = spawn(process.execPath, [START_SCRIPT], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, HOST: '127.0.0.1', CHROMA_URL: NO_CHROMA, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stdout += text;
      const complete = (partial + text).split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) if (line.startsWith('{')) onLine(JSON.parse(line), child);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolvePromise) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolvePromise(exitCode);
      });
    });
    const lines = stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
    return { code, output: `${stderr}\n${stdout}`, lines };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

describe('a cluster that cannot start', () => {
  let database: TestDatabase;
  let taken: Server | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('ops_cluster_start');
    await new Fixtures(database.db).user('viewer@example.com');
    await buildServer();
  }, 150_000);
  afterAll(async () => {
    await new Promise((done) => (taken ? taken.close(done) : done(undefined)));
    await database?.drop();
  });

  it('exits 1 with the workers\' error when they cannot listen, instead of restarting them', async () => {
    const port = await freePort();
    taken = createServer();
    await new Promise<void>((done) => taken!.listen(port, '127.0.0.1', done));

    const { code, output, lines } = await runUntilExit({ WEB_CONCURRENCY: '2', DATABASE_URL: database.url, PORT: String(port), ...POOL });
    expect(code).toBe(1);
    expect(output).toMatch(/worker \d+ could not start \(exit code 1\): Error: \w+ EADDRINUSE/);
    // Two workers were started, and none again.
    expect(lines.filter((line) => line.msg === 'worker starting')).toHaveLength(2);
    expect(lines.filter((line) => line.msg === 'worker died: starting a replacement')).toHaveLength(0);
  });

  it('stops workers that are still starting on SIGTERM, and exits 0', async () => {
    const pids: number[] = [];
    const { code, lines } = await runUntilExit({ WEB_CONCURRENCY: '2', DATABASE_URL: database.url, PORT: String(await freePort()), ...POOL }, (line, child) => {
      if (line.msg !== 'worker starting') return;
      pids.push(line.pid);
      if (pids.length === 2) child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(lines.filter((line) => line.msg === 'worker serving')).toHaveLength(0);
    expect(lines.filter((line) => line.role === 'primary' && line.msg === 'stopped')).toHaveLength(1);
    for (const pid of pids) await until(`worker ${pid} to be gone`, () => !isAlive(pid), 5000);
  });

  it('exits 1 with the connection error when the database is unreachable, before starting any worker', async () => {
    const port = await freePort();
    const { code, output, lines } = await runUntilExit({ WEB_CONCURRENCY: '2', DATABASE_URL: `mysql://root@127.0.0.1:${port}/bridgeai_nowhere` });
    expect(code).toBe(1);
    expect(output).toMatch(/ECONNREFUSED/);
    expect(lines.filter((line) => line.msg === 'worker starting')).toHaveLength(0);
  });
});

describe('the database pools against max_connections', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('ops_cluster_budget');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('warns when every worker\'s size + overflow together exceed 80 % of the server\'s max_connections, naming what to change', async () => {
    const { logger, lines } = captureLogger();
    const connection = await createConnection(database.url);
    const [rows] = await connection.query<any[]>('SELECT @@max_connections AS maxConnections');
    await connection.end();
    const maxConnections = Number(rows[0].maxConnections);
    const perWorker = Math.floor((0.8 * maxConnections) / 2);

    const within = await checkConnectionBudget(database.db, 2, { ...loadConfig({}).pool, size: perWorker - 1, maxOverflow: 1 }, logger);
    expect(within).toEqual({ poolConnections: 2 * perWorker, maxConnections, exceeded: false });
    expect(lines()).toEqual([]);

    const over = await checkConnectionBudget(database.db, 2, { ...loadConfig({}).pool, size: perWorker, maxOverflow: 1 }, logger);
    expect(over).toEqual({ poolConnections: 2 * (perWorker + 1), maxConnections, exceeded: true });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ level: 40, processes: 2, maxConnections });
    expect(lines()[0].msg).toMatch(/DB_POOL_SIZE.*DB_POOL_MAX_OVERFLOW.*WEB_CONCURRENCY.*max_connections/);
  });
});
