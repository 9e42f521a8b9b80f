import { measuredMs, rowsExamined, type HotStatementPlan } from './hotStatementPlans';
import type { DatabaseReport } from './report';
import { formatCount, formatDuration, formatMs } from './reportFormat';

/** `act`: something to do (exit code 1); `look`: worth a look, or not measurable; `fine`: as intended. */
export type VerdictLevel = 'act' | 'look' | 'fine';

export interface Verdict {
  readonly level: VerdictLevel;
  /** What it is about: an index, a hot statement, `pool`, `statistics`… */
  readonly about: string;
  readonly text: string;
}

/** The guide's thresholds ("Monitoring & Maintenance", "When to Add Composite Indexes", "Alerting Thresholds"). */
export const GUIDE = Object.freeze({
  /** "Check if indexes are being used (run after 24-48 hours)". */
  unusedAfterSeconds: 24 * 3600,
  /** A composite index only when "Table has >10,000 rows"… */
  compositeMinRows: 10_000,
  /** …and "Query latency is >50ms". */
  compositeMinMs: 50,
  /** `long_query_time = 0.5`: "Log queries >500ms". */
  slowStatementMs: 500,
  /** "queries_per_request > 10": "Potential N+1 query pattern detected". */
  statementsPerRequest: 10,
});

const ORDER: Record<VerdictLevel, number> = { act: 0, look: 1, fine: 2 };

/** The report's verdicts, most important first. */
export function judge(report: Omit<DatabaseReport, 'verdicts'>): Verdict[] {
  const verdicts = [
    ...statisticsVerdicts(report),
    ...indexSetVerdicts(report),
    ...indexUseVerdicts(report),
    ...report.hotStatements.flatMap(hotStatementVerdicts),
    ...hotStatementSummary(report.hotStatements),
    ...slowStatementVerdicts(report),
    ...poolVerdicts(report),
  ];
  return verdicts.sort((a, b) => ORDER[a.level] - ORDER[b.level]);
}

/** Exit code 1 when a verdict asks for action, else 0. */
export function exitCodeOf(verdicts: readonly Verdict[]): 0 | 1 {
  return verdicts.some((verdict) => verdict.level === 'act') ? 1 : 0;
}

function statisticsVerdicts({ statistics }: Omit<DatabaseReport, 'verdicts'>): Verdict[] {
  const verdicts: Verdict[] = [];
  if (statistics.indexUsage === null) {
    verdicts.push({
      level: 'look',
      about: 'statistics',
      text: 'index use is not counted (performance_schema and userstat are off), so unused indexes cannot be found: see "Statistics" for how to turn it on',
    });
  }
  if (!statistics.statementDigests) {
    verdicts.push({ level: 'look', about: 'statistics', text: 'statement digests are off, so the slowest statements cannot be listed: the slow log settings are shown instead' });
  }
  return verdicts;
}

function indexSetVerdicts(report: Omit<DatabaseReport, 'verdicts'>): Verdict[] {
  const { missing, unintended, differing } = report.indexes.comparison;
  const verdicts: Verdict[] = [];
  for (const index of missing) {
    const scans = report.hotStatements
      .filter((plan) => plan.intendedIndex === index.name && plan.statements.length > 0)
      .map((plan) => `its statement "${plan.name}" ${scanDescription(plan, index.table)}`);
    verdicts.push({
      level: 'act',
      about: index.name,
      text: `missing index ${index.name} on ${index.table}(${index.columns})${scans.length > 0 ? `: ${scans.join('; ')}` : ''}: run the migrations (npm run migrate -- up) or re-create it`,
    });
  }
  for (const index of differing) {
    verdicts.push({
      level: 'act',
      about: index.name,
      text: `index ${index.name} on ${index.table} has the columns (${index.columns}); the migrations make it on (${index.intendedColumns})`,
    });
  }
  for (const index of unintended) {
    verdicts.push({
      level: 'act',
      about: index.name,
      text:
        `index ${index.name} on ${index.table}(${index.columns}) is not one the migrations make${useOf(report, index.table, index.name)}: ` +
        'drop it, or add it in a migration and to db-migrations/intendedIndexes.ts ("Index for your queries, not your schema")',
    });
  }
  if (missing.length + unintended.length + differing.length === 0) {
    const count = report.indexes.tables.reduce((sum, table) => sum + table.indexes.length, 0);
    verdicts.push({ level: 'fine', about: 'indexes', text: `the ${count} secondary indexes are exactly the ones the migrations make` });
  }
  return verdicts;
}

/** ` (0 reads, 12k writes in 48 h)`, or nothing without index statistics. */
function useOf(report: Omit<DatabaseReport, 'verdicts'>, tableName: string, indexName: string): string {
  const table = report.indexes.tables.find((candidate) => candidate.name === tableName);
  const index = table?.indexes.find((candidate) => candidate.name === indexName);
  if (index?.reads === null || index?.reads === undefined || table?.rowWrites === null || table?.rowWrites === undefined) return '';
  return ` (${formatCount(index.reads)} reads, ${formatCount(table.rowWrites)} writes in ${formatDuration(report.database.uptimeSeconds)})`;
}

function indexUseVerdicts(report: Omit<DatabaseReport, 'verdicts'>): Verdict[] {
  if (report.statistics.indexUsage === null) return [];
  const uptime = report.database.uptimeSeconds;
  const longEnough = uptime >= GUIDE.unusedAfterSeconds;
  const verdicts: Verdict[] = [];
  const unintended = new Set(report.indexes.comparison.unintended.map((index) => index.name));
  let read = 0;
  for (const table of report.indexes.tables) {
    for (const index of table.indexes) {
      if ((index.reads ?? 0) > 0) read += 1;
      // A UNIQUE index enforces its constraint on every write, read or not; unintended ones have their verdict.
      if (index.reads !== 0 || index.unique || unintended.has(index.name)) continue;
      const use = `${index.name}: 0 reads in ${formatDuration(uptime)}, ${formatCount(table.rowWrites ?? 0)} writes`;
      verdicts.push(
        longEnough
          ? { level: 'act', about: index.name, text: `${use}: candidate for removal` }
          : {
              level: 'look',
              about: index.name,
              text: `${use}: a candidate for removal if it stays unused (the guide reads index use after 24–48 h; the server started ${formatDuration(uptime)} ago)`,
            },
      );
    }
  }
  verdicts.push({ level: 'fine', about: 'indexes', text: `${read} secondary indexes were read since the server started ${formatDuration(uptime)} ago` });
  return verdicts;
}

/** `scans 12k rows of notifications`, from the plan's full scans of `table` (else its estimate). */
function scanDescription(plan: HotStatementPlan, table?: string): string {
  const scans = plan.statements.flatMap((statement) => statement.fullScans).filter((scan) => table === undefined || scan.table === table);
  if (scans.length > 0) return `scans ${formatCount(Math.max(...scans.map((scan) => scan.rows)))} rows of ${scans[0].table}`;
  return `examines ~${formatCount(rowsExamined(plan).rows)} rows`;
}

function hotStatementVerdicts(plan: HotStatementPlan): Verdict[] {
  const verdicts: Verdict[] = [];
  const about = plan.name;
  for (const refused of plan.notExplained) verdicts.push({ level: 'look', about, text: `"${plan.name}" sent a statement the report does not explain: ${refused}` });
  if (plan.statements.length === 0) {
    if (plan.notExplained.length === 0) verdicts.push({ level: 'look', about, text: `"${plan.name}" was not explained: the database has no rows for it to read` });
    return verdicts;
  }
  const rows = rowsExamined(plan).rows;
  // A missing intended index has its own verdict, which names this statement.
  if (plan.intendedIndex !== null && plan.intendedIndexPresent && plan.usesIntendedIndex === false) {
    const keys = [...new Set(plan.statements.flatMap((statement) => statement.keys))];
    const reads = keys.includes(plan.intendedIndex)
      ? `reads ${plan.intendedIndex} but`
      : `reads ${keys.length > 0 ? keys.join(', ') : 'no index'} instead of ${plan.intendedIndex} and`;
    verdicts.push({ level: rows >= GUIDE.compositeMinRows ? 'act' : 'look', about, text: `"${plan.name}" ${reads} ${scanDescription(plan)}` });
  }
  const extras = [
    ...(plan.statements.some((statement) => statement.filesort) ? ['Using filesort'] : []),
    ...(plan.statements.some((statement) => statement.temporaryTable) ? ['Using temporary'] : []),
  ];
  if (extras.length > 0 && rows > GUIDE.compositeMinRows) {
    const ms = measuredMs(plan);
    const what = `"${plan.name}": ${extras.join(', ')} over ~${formatCount(rows)} rows`;
    if (ms === null) {
      verdicts.push({
        level: 'look',
        about,
        text: `${what}: the guide adds a composite index only when it also takes >${GUIDE.compositeMinMs} ms on a hot path (run with --analyze to measure it)`,
      });
    } else if (ms > GUIDE.compositeMinMs && plan.intendedIndex === null) {
      // Leaving it without an index was decided and written down; the figures are for revisiting that.
      verdicts.push({ level: 'look', about, text: `${what} in ${formatMs(ms)}, without an index by design: ${plan.withoutIndexBecause}` });
    } else if (ms > GUIDE.compositeMinMs) {
      verdicts.push({
        level: 'act',
        about,
        text: `${what} in ${formatMs(ms)}: the guide's rule for a composite index holds (hot path, >10,000 rows, >50 ms, ${extras.join(', ')}); test it on staging and keep it for >2× ("When to Add Composite Indexes")`,
      });
    }
  }
  return verdicts;
}

function hotStatementSummary(plans: readonly HotStatementPlan[]): Verdict[] {
  const judged = plans.filter((plan) => plan.usesIntendedIndex !== null);
  const using = judged.filter((plan) => plan.usesIntendedIndex);
  if (using.length === 0) return [];
  return [{ level: 'fine', about: 'hot statements', text: `${using.length} of ${judged.length} hot statements read the index they are meant to` }];
}

function slowStatementVerdicts({ slowStatements }: Omit<DatabaseReport, 'verdicts'>): Verdict[] {
  if (slowStatements.source !== 'performance_schema') return [];
  const slow = slowStatements.byAverageTime.filter((digest) => digest.averageMs > GUIDE.slowStatementMs);
  if (slow.length === 0) return [{ level: 'fine', about: 'slow statements', text: `no statement averages over ${GUIDE.slowStatementMs} ms` }];
  return slow.map((digest) => ({
    level: 'look' as const,
    about: 'slow statements',
    text: `${digest.text.slice(0, 80)}… averages ${formatMs(digest.averageMs)} over ${formatCount(digest.executions)} runs (the guide logs statements over ${GUIDE.slowStatementMs} ms as slow)`,
  }));
}

function poolVerdicts({ pool }: Omit<DatabaseReport, 'verdicts'>): Verdict[] {
  const { budget, runningServer } = pool;
  const pools = `the pools may open ${budget.processes} × (${budget.poolSize} + ${budget.maxOverflow}) = ${budget.poolConnections} connections`;
  const verdicts: Verdict[] = [
    budget.exceeded
      ? {
          level: 'act',
          about: 'pool',
          text: `${pools}, more than ${budget.share * 100} % of max_connections (${budget.maxConnections}): lower DB_POOL_SIZE or DB_POOL_MAX_OVERFLOW, run fewer workers (WEB_CONCURRENCY), or raise max_connections`,
        }
      : { level: 'fine', about: 'pool', text: `${pools}, within ${budget.share * 100} % of max_connections (${budget.maxConnections})` },
  ];
  if (runningServer) {
    const { status, utilization } = runningServer.pool;
    const use = `the running server's pool is ${status} at ${Math.round(utilization * 100)} % utilization`;
    verdicts.push({ level: status === 'critical' ? 'act' : status === 'warning' ? 'look' : 'fine', about: 'pool', text: use });
    const all = runningServer.statementsPerRequest.find((entry) => entry.operation === '*');
    if (all && all.requests > 0) {
      const average = `${all.average.toFixed(1)} SQL statements per request on average over ${formatCount(all.requests)} requests`;
      verdicts.push(
        all.average > GUIDE.statementsPerRequest
          ? { level: 'look', about: 'statements per request', text: `${average}: more than ${GUIDE.statementsPerRequest}, a potential N+1 query pattern` }
          : { level: 'fine', about: 'statements per request', text: average },
      );
    }
  }
  return verdicts;
}
