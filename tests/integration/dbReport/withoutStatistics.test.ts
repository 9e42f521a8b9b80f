import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseReport } from '../../../src/dbReport/report';
import { seedDatabase } from '../../../src/seed/seed';
import { createTestDatabase, TEST_SERVER_URL, type TestDatabase } from '../../support/database';
import { runDbReport } from '../../support/dbReportCli';
import { freePort } from '../../support/ops';
import { startTestServer, type TestServer } from '../../support/server';

const NOTIFICATIONS = 'query Notifications { notifications(first: 50) { unreadCount edges { node { id subject { __typename } } } } }';
const PROJECTS = 'query Projects { projects(first: 50) { edges { node { id name team { id } } } } }';
const REQUESTS = 3;

describe('npm run db:report against the shared server (performance_schema and userstat off)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let folder: string;
  /** SQL statements the server counted per operation (extensions.queryCount). */
  const statements: Record<string, number> = { Notifications: 0, Projects: 0 };
  let report: DatabaseReport;
  let code: number | null;

  beforeAll(async () => {
    database = await createTestDatabase('db_report_shared');
    await seedDatabase(database.db, { scale: 'small' });
    folder = await mkdtemp(join(tmpdir(), 'bridgeai-db-report-'));
    server = await startTestServer(database.url, { DB_POOL_SIZE: '4', DB_POOL_MAX_OVERFLOW: '2' });
    const token = await server.login('test@example.com', 'testpass');
    for (let request = 0; request < REQUESTS; request++) {
      for (const [operation, query] of [['Notifications', NOTIFICATIONS], ['Projects', PROJECTS]] as const) {
        const response = await server.graphql(query, {}, token);
        expect(response.errors).toBeUndefined();
        statements[operation] += response.extensions!.queryCount!;
      }
    }
    const run = await runDbReport(database.url, ['--format', 'json', '--url', server.url], folder);
    code = run.code;
    expect(run.stderr).toBe('');
    report = JSON.parse(run.stdout);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('still reports, says that index use and digests are off, and how to turn them on', () => {
    expect(report.statistics.indexUsage).toBeNull();
    expect(report.statistics.statementDigests).toBe(false);
    expect(report.statistics.howToEnable).toEqual([
      expect.stringMatching(/^performance_schema is off: add performance_schema=ON under \[mariadbd\] .* and restart it/),
      expect.stringMatching(/SET GLOBAL userstat = 1/),
    ]);
    expect(report.verdicts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'look', about: 'statistics', text: expect.stringMatching(/^index use is not counted/) }),
        expect.objectContaining({ level: 'look', about: 'statistics', text: expect.stringMatching(/^statement digests are off/) }),
      ]),
    );
    // Without statistics, no index is called unused, and no read count is made up.
    expect(report.verdicts.filter((verdict) => /candidate for removal/.test(verdict.text))).toEqual([]);
    expect(report.indexes.tables.flatMap((table) => table.indexes).map((index) => index.reads)).toEqual(Array(17).fill(null));
    expect(report.indexes.tables.find((table) => table.name === 'notifications')!.indexes).toEqual([
      expect.objectContaining({ name: 'ix_notifications_user_unread', columns: 'user_id,is_read,created_at', sizeBytes: expect.any(Number) }),
    ]);
  });

  it("shows the slow log's settings and how to turn it on", () => {
    if (report.slowStatements.source !== 'slow_query_log') throw new Error(`expected the slow log, got ${report.slowStatements.source}`);
    expect(Object.keys(report.slowStatements.settings)).toEqual(expect.arrayContaining(['slow_query_log', 'long_query_time', 'log_slow_verbosity']));
    expect(report.slowStatements.howToEnable).toEqual(expect.arrayContaining(["SET GLOBAL slow_query_log = 'ON'", expect.stringMatching(/^SET GLOBAL long_query_time = 0\.5/)]));
  });

  it('explains the hot statements on the seeded data and exits 0: all intended indexes are there', () => {
    expect(report.indexes.comparison).toEqual({ missing: [], unintended: [], differing: [] });
    expect(report.hotStatements.map((plan) => plan.statements.length)).toEqual(Array(14).fill(1));
    expect(report.verdicts.filter((verdict) => verdict.level === 'act')).toEqual([]);
    expect(code).toBe(0);
  });

  it("adds the running server's pool and its statements per request, as its /metrics counted them", () => {
    const running = report.pool.runningServer!;
    expect(running.url).toBe(server.url);
    expect(running.pool).toMatchObject({ poolSize: 4, maxOverflow: 2, waiting: 0, status: 'healthy' });
    const byOperation = Object.fromEntries(running.statementsPerRequest.map((entry) => [entry.operation, entry]));
    for (const operation of ['Notifications', 'Projects']) {
      expect(byOperation[operation]).toMatchObject({ requests: REQUESTS, statements: statements[operation] });
      expect(byOperation[operation].buckets.at(-1)).toEqual({ le: 500, requests: REQUESTS });
    }
    // Login, the two operations, and nothing else.
    expect(byOperation['*']).toMatchObject({ requests: 1 + 2 * REQUESTS });
    expect(report.pool.budget).toMatchObject({ processes: 1, poolSize: 20, maxOverflow: 10, poolConnections: 30, exceeded: false });
    expect(report.verdicts).toEqual(expect.arrayContaining([expect.objectContaining({ about: 'statements per request', level: 'fine' })]));
  });

  it('exits 2 with one line naming what to check when the database cannot be reached', async () => {
    const port = await freePort();
    const run = await runDbReport(`mysql://root@127.0.0.1:${port}/bridgeai`, [], folder);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `db:report: could not connect to 127.0.0.1:${port}/bridgeai (ECONNREFUSED): check DATABASE_URL, that the server runs and that the database exists\n`,
    );
  });

  it('exits 2 when the database does not exist, and creates nothing', async () => {
    const url = `${TEST_SERVER_URL}/bridgeai_test_db_report_absent_${process.pid}`;
    const run = await runDbReport(url, [], folder);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^db:report: could not connect to .*\(ER_BAD_DB_ERROR\): check DATABASE_URL.*\n$/);
    const again = await runDbReport(url, [], folder);
    expect(again.stderr).toMatch(/ER_BAD_DB_ERROR/);
  });

  it('exits 2 when the server at --url does not answer, or for a bad argument', async () => {
    const port = await freePort();
    const unreachable = await runDbReport(database.url, ['--url', `http://127.0.0.1:${port}`], folder);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toBe(`db:report: GET http://127.0.0.1:${port}/health/database failed (ECONNREFUSED): check --url and that the server runs\n`);
    const bad = await runDbReport(database.url, ['--format', 'pdf'], folder);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('db:report: unknown format "pdf" (expected md, html, json)\n');
  });
});
