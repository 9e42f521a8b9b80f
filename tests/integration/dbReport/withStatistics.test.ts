import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { chromium } from 'playwright-core';
import { createLoaders } from '../../../loaders/createLoaders';
import { notificationsPage } from '../../../loaders/notificationsPage';
import { projectsPage } from '../../../loaders/pages';
import { loadViewer } from '../../../loaders/viewer';
import { loadConfig } from '../../../src/config';
import { collectDatabaseReport } from '../../../src/dbReport/collectReport';
import type { DatabaseReport } from '../../../src/dbReport/report';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { runDbReport } from '../../support/dbReportCli';
import { startOwnMariadb, type OwnMariadb } from '../../support/ownMariadb';
import { fillTablesForPlans } from '../../support/planData';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** How many times the known traffic calls each loader function. */
const CALLS = 5;

const planOf = (report: DatabaseReport, name: string) => report.hotStatements.find((plan) => plan.name === name)!;
const indexOf = (report: DatabaseReport, table: string, name: string) =>
  report.indexes.tables.find((candidate) => candidate.name === table)!.indexes.find((index) => index.name === name);

describe('npm run db:report against a MariaDB with performance_schema and userstat on', () => {
  let server: OwnMariadb;
  let database: TestDatabase;
  let folder: string;
  let before: DatabaseReport;

  beforeAll(async () => {
    server = await startOwnMariadb({ serverOptions: ['--performance-schema=ON', '--userstat=1'] });
    database = await createTestDatabase('db_report', { serverUrl: server.url });
    folder = await mkdtemp(join(tmpdir(), 'bridgeai-db-report-'));
    await fillTablesForPlans(database.db);
    // The digests then show the known traffic alone, not the rows just inserted.
    await sql`TRUNCATE TABLE performance_schema.events_statements_summary_by_digest`.execute(database.db);
    // Known traffic through the product's own functions: these indexes are read, ix_invitations_status is not.
    for (let call = 0; call < CALLS; call++) {
      const loaders = createLoaders(database.db, { optimized: true });
      await loadViewer(database.db, 7);
      await notificationsPage(database.db, loaders, { userId: 42, unreadOnly: false, first: 50, after: null, withUnreadCount: true, withSubjects: true });
      await projectsPage(database.db, { teamIds: [1, 2, 3], status: null, first: 50, after: null });
      await loaders.commentsByCrsId.loadMany([1, 2, 3].map((parentId) => ({ parentId, first: 10 })));
    }
    before = await collectDatabaseReport({ databaseUrl: database.url, pool: loadConfig({}).pool, processes: 1 });
  });
  afterAll(async () => {
    await database?.drop();
    await server?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** Every schema and table of the server, and a checksum of each of the database's tables. */
  async function serverContents() {
    const db = database.db.withoutPlugins();
    const { rows: tables } = await sql<{ name: string }>`
      SELECT CONCAT(TABLE_SCHEMA, '.', TABLE_NAME) AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema') ORDER BY name`.execute(db);
    const { rows: schemas } = await sql<{ name: string }>`SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY name`.execute(db);
    const { rows: checksums } = await sql`CHECKSUM TABLE ${sql.join(before.indexes.tables.map((table) => sql.table(table.name)))}`.execute(db);
    return { schemas, tables, checksums };
  }

  it('reads index use from performance_schema and the top statements from its digests', () => {
    expect(before.database.product).toBe('MariaDB');
    expect(before.statistics).toEqual({ indexUsage: 'performance_schema', statementDigests: true, howToEnable: [] });
    if (before.slowStatements.source !== 'performance_schema') throw new Error('expected digests');
    expect(before.slowStatements.byTotalTime.length).toBeGreaterThan(0);
    expect(before.slowStatements.byTotalTime.length).toBeLessThanOrEqual(20);
    const notificationPages = before.slowStatements.byTotalTime.find((digest) => /unreadCount/.test(digest.text));
    expect(notificationPages?.executions).toBe(CALLS);
    // The report's own statements are left out.
    expect(before.slowStatements.byTotalTime.filter((digest) => /^(EXPLAIN|ANALYZE|SHOW)|information_schema|FORCE INDEX/.test(digest.text))).toEqual([]);
  });

  it('names the indexes the traffic read and the one it did not, with their columns, sizes and writes', () => {
    const used = indexOf(before, 'notifications', 'ix_notifications_user_unread')!;
    expect(used).toMatchObject({ columns: 'user_id,is_read,created_at', unique: false });
    // Each call reads at least the user's 40 entries of the index (the page's two ranges and the count).
    expect(used.reads).toBeGreaterThanOrEqual(CALLS * 40);
    expect(used.sizeBytes).toBeGreaterThan(0);
    expect(used.cardinality).toBeGreaterThan(100);
    expect(indexOf(before, 'team_members', 'uq_team_members_team_user')).toMatchObject({ columns: 'team_id,user_id', unique: true });
    expect(indexOf(before, 'projects', 'ix_projects_team_id')!.reads).toBeGreaterThan(0);

    expect(indexOf(before, 'invitations', 'ix_invitations_status')!.reads).toBe(0);
    expect(before.indexes.tables.find((table) => table.name === 'invitations')!.rowWrites).toBe(5000);
    const unused = before.verdicts.find((verdict) => verdict.about === 'ix_invitations_status');
    // The server started seconds ago: a candidate to watch, not yet to remove.
    expect(unused).toMatchObject({ level: 'look' });
    expect(unused!.text).toMatch(/^ix_invitations_status: 0 reads in \d+ s, 5\.0k writes: a candidate for removal/);
    expect(before.verdicts.filter((verdict) => verdict.about === 'ix_notifications_user_unread')).toEqual([]);
  });

  it('shows each hot statement with the index it is meant to read, and nothing needs action', () => {
    expect(before.indexes.comparison).toEqual({ missing: [], unintended: [], differing: [] });
    const meant = before.hotStatements.filter((plan) => plan.intendedIndex !== null);
    expect(meant.length).toBe(14);
    expect(meant.filter((plan) => plan.usesIntendedIndex !== true).map((plan) => plan.name)).toEqual([]);
    const notifications = planOf(before, 'the first notifications page with the unread count and subjects');
    expect(notifications.statements).toHaveLength(1);
    expect(notifications.statements[0]).toMatchObject({ keys: expect.arrayContaining(['ix_notifications_user_unread']), fullScans: [] });
    // Parameters come from the live data: a user with the most notifications (all have 40).
    // The count's user, then each is_read branch's user, value and page size, then the page size.
    expect(notifications.statements[0].parameters.slice(0, 8)).toEqual([1, 1, 0, 51, 1, 1, 51, 51]);
    expect(planOf(before, "the viewer's memberships").statements[0].keys).toContain('ix_team_members_user_id');
    // The worker's own poll, as it sends it: one branch per lane, each served by the outbox's index.
    expect(planOf(before, 'the memory outbox poll').statements[0].sql).toMatch(/FROM ai_memory_index\s+WHERE status = 'pending' AND lane = \?/);
    expect(planOf(before, 'the memory outbox poll').statements[0].keys).toContain('ix_ai_memory_index_status_lane_updated_at');
    expect(before.verdicts.filter((verdict) => verdict.level === 'act')).toEqual([]);
  });

  it('exits 0 when nothing needs action, and measures the hot statements with --analyze, writing nothing', async () => {
    const contents = await serverContents();
    const run = await runDbReport(database.url, ['--format', 'json', '--analyze'], folder);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await serverContents()).toEqual(contents);
    const report = JSON.parse(run.stdout) as DatabaseReport;
    const comments = planOf(report, "nested query: the CRS documents' comments").statements[0];
    // Three CRS documents of 20,000 comments, each with two or three comments: ANALYZE counts the rows it read.
    expect(comments.measured?.rowsExamined).toBeGreaterThan(0);
    expect(comments.measured?.rowsExamined).toBeLessThan(100);
    expect(comments.measured?.totalMs).toEqual(expect.any(Number));
  });

  describe('after an intended index is dropped and an unintended one added', () => {
    let after: DatabaseReport;

    beforeAll(async () => {
      const db = database.db.withoutPlugins();
      await sql`ALTER TABLE notifications DROP FOREIGN KEY fk_notifications_user, DROP INDEX ix_notifications_user_unread`.execute(db);
      await sql`CREATE INDEX ix_notifications_is_read ON notifications (is_read)`.execute(db);
      after = await collectDatabaseReport({ databaseUrl: database.url, pool: loadConfig({}).pool, processes: 1 });
    });

    it('flags the missing index and its statement as a scan, and the unintended one', () => {
      expect(after.indexes.comparison.missing).toEqual([{ table: 'notifications', name: 'ix_notifications_user_unread', columns: 'user_id,is_read,created_at' }]);
      expect(after.indexes.comparison.unintended).toEqual([{ table: 'notifications', name: 'ix_notifications_is_read', columns: 'is_read' }]);
      const notifications = planOf(after, 'the first notifications page with the unread count and subjects');
      expect(notifications).toMatchObject({ intendedIndexPresent: false, usesIntendedIndex: false });
      expect(notifications.statements[0].fullScans).toEqual([{ table: 'notifications', rows: expect.any(Number) }]);
      expect(notifications.statements[0].fullScans[0].rows).toBeGreaterThan(15_000);

      const acts = after.verdicts.filter((verdict) => verdict.level === 'act');
      expect(acts.map((verdict) => verdict.about).sort()).toEqual(['ix_notifications_is_read', 'ix_notifications_user_unread']);
      expect(acts.find((verdict) => verdict.about === 'ix_notifications_user_unread')!.text).toMatch(
        /^missing index ix_notifications_user_unread on notifications\(user_id,is_read,created_at\): its statement "the first notifications page with the unread count and subjects" scans \d+k rows of notifications/,
      );
      expect(after.verdicts[0].level).toBe('act');
    });

    it('exits 1 and prints Markdown by default', async () => {
      const run = await runDbReport(database.url, [], folder);
      expect(run.code).toBe(1);
      for (const heading of ['# Database report: ', '## Verdicts', '## Statistics', '## Indexes', '## Hot statements', '## Slow statements', '## Pool and server']) {
        expect(run.stdout).toContain(heading);
      }
      expect(run.stdout).toMatch(/^- \*\*act\*\*: missing index ix_notifications_user_unread/m);
      expect(run.stdout).toMatch(/^\| notifications \| \S+ \| ix_notifications_is_read \| is_read \|/m);
    });

    it('writes JSON of the documented shape', async () => {
      const out = join(folder, 'report.json');
      const run = await runDbReport(database.url, ['--format=json', '--out', out], folder);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^wrote .*report\.json: 2 to act on, \d+ to look at\n$/);
      const report = JSON.parse(await readFile(out, 'utf8'));
      expect(Object.keys(report)).toEqual(['formatVersion', 'generatedAt', 'database', 'verdicts', 'statistics', 'indexes', 'hotStatements', 'slowStatements', 'pool']);
      expect(report).toMatchObject({
        formatVersion: 1,
        database: { name: expect.stringMatching(/^bridgeai_test_db_report_/), product: 'MariaDB', uptimeSeconds: expect.any(Number) },
        statistics: { indexUsage: 'performance_schema', statementDigests: true },
        slowStatements: { source: 'performance_schema', byTotalTime: expect.any(Array), byAverageTime: expect.any(Array) },
        pool: { budget: { processes: 1, poolSize: 20, maxOverflow: 10, poolConnections: 30, share: 0.8, exceeded: false }, runningServer: null },
      });
      for (const verdict of report.verdicts) expect(Object.keys(verdict).sort()).toEqual(['about', 'level', 'text']);
      for (const plan of report.hotStatements) {
        expect(plan).toEqual({
          name: expect.any(String),
          source: expect.any(String),
          intendedIndex: plan.intendedIndex === null ? null : expect.any(String),
          withoutIndexBecause: plan.intendedIndex === null ? expect.any(String) : null,
          intendedIndexPresent: expect.any(Boolean),
          usesIntendedIndex: plan.intendedIndex === null ? null : expect.any(Boolean),
          statements: [expect.objectContaining({ sql: expect.any(String), parameters: expect.any(Array), plan: expect.any(Array), measured: null })],
          notExplained: [],
        });
      }
    });

    it('writes one self-contained HTML page that Chromium shows without a single request', async () => {
      const out = join(folder, 'report.html');
      const run = await runDbReport(database.url, ['--format', 'html', '--out', out], folder);
      expect(run.code).toBe(1);
      // A fresh profile of its own.
      const context = await chromium.launchPersistentContext(join(folder, 'chromium'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
      try {
        const file = pathToFileURL(out).href;
        // Anything but the file itself is aborted and noted.
        const requests: string[] = [];
        await context.route('**/*', (route) => (route.request().url() === file ? route.continue() : route.abort()));
        const page = await context.newPage();
        page.on('request', (request) => requests.push(request.url()));
        await page.goto(file, { waitUntil: 'load' });
        expect(await page.title()).toMatch(/^Database report: bridgeai_test_db_report_/);
        const sections = await page.locator('section').evaluateAll((elements) => elements.map((element) => element.id));
        expect(sections).toEqual(['verdicts', 'statistics', 'indexes', 'hot-statements', 'slow-statements', 'pool']);
        expect(await page.locator('#verdicts li.act').count()).toBe(2);
        // One chart of index reads and writes (two bars per index), one of statement times.
        expect(await page.locator('#indexes svg.chart').count()).toBe(1);
        expect(await page.locator('#indexes svg.chart rect.bar').count()).toBe(2 * 17);
        expect(await page.locator('#slow-statements svg.chart rect.bar').count()).toBeGreaterThan(0);
        expect(requests).toEqual([file]);
      } finally {
        await context.close();
      }
    });
  });
});
