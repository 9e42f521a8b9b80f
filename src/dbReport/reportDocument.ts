import { measuredMs, rowsExamined, type HotStatementPlan } from './hotStatementPlans';
import type { DatabaseReport } from './report';
import { formatBytes, formatCount, formatDuration, formatMs } from './reportFormat';
import type { BarChart } from './svgBarChart';
import type { Verdict } from './verdicts';

/**
 * The report as a document of plain blocks, the same for every format: the Markdown and HTML
 * renderers only lay the blocks out, so both always say the same.
 */
export type Block =
  | { readonly kind: 'heading'; readonly level: 1 | 2 | 3; readonly text: string; readonly id?: string }
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'verdicts'; readonly verdicts: readonly Verdict[] }
  | { readonly kind: 'table'; readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly kind: 'code'; readonly language: string; readonly text: string }
  | { readonly kind: 'chart'; readonly chart: BarChart };

/** Section ids, as the HTML has them (`<section id="…">`). */
export const SECTIONS = Object.freeze({
  verdicts: 'verdicts',
  statistics: 'statistics',
  indexes: 'indexes',
  hotStatements: 'hot-statements',
  slowStatements: 'slow-statements',
  pool: 'pool',
});

export function describeReport(report: DatabaseReport): Block[] {
  const { database } = report;
  return [
    { kind: 'heading', level: 1, text: `Database report: ${database.name}` },
    {
      kind: 'paragraph',
      text: `${database.product} ${database.version}, started ${formatDuration(database.uptimeSeconds)} ago (every statistic covers that span); made ${report.generatedAt}.`,
    },
    { kind: 'heading', level: 2, text: 'Verdicts', id: SECTIONS.verdicts },
    { kind: 'verdicts', verdicts: report.verdicts },
    ...statisticsBlocks(report),
    ...indexBlocks(report),
    ...hotStatementBlocks(report),
    ...slowStatementBlocks(report),
    ...poolBlocks(report),
  ];
}

function statisticsBlocks({ statistics }: DatabaseReport): Block[] {
  const usage = {
    performance_schema: 'performance_schema.table_io_waits_summary_by_index_usage',
    userstat: "information_schema.INDEX_STATISTICS (MariaDB's userstat)",
  };
  return [
    { kind: 'heading', level: 2, text: 'Statistics', id: SECTIONS.statistics },
    {
      kind: 'list',
      items: [
        `Index use: ${statistics.indexUsage === null ? 'not counted' : `from ${usage[statistics.indexUsage]}`}`,
        `Statement digests: ${statistics.statementDigests ? 'performance_schema.events_statements_summary_by_digest' : 'off'}`,
      ],
    },
    ...(statistics.howToEnable.length > 0 ? [{ kind: 'paragraph', text: 'To turn on what is off:' } as const, { kind: 'list', items: statistics.howToEnable } as const] : []),
  ];
}

function indexBlocks(report: DatabaseReport): Block[] {
  const { tables, comparison } = report.indexes;
  const withIndexes = tables.filter((table) => table.indexes.length > 0);
  const counted = report.statistics.indexUsage !== null;
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: 'Indexes', id: SECTIONS.indexes },
    {
      kind: 'paragraph',
      text: 'Every secondary index, with the rows read through it since the server started and the writes to its table, each of which the index absorbs.',
    },
    {
      kind: 'table',
      header: ['table', 'rows', 'index', 'columns', 'unique', 'cardinality', 'size', 'reads', 'table writes'],
      rows: withIndexes.flatMap((table) =>
        table.indexes.map((index) => [
          table.name,
          formatCount(table.rows),
          index.name,
          index.columns,
          index.unique ? 'yes' : '',
          index.cardinality === null ? '?' : formatCount(index.cardinality),
          index.sizeBytes === null ? '?' : formatBytes(index.sizeBytes),
          index.reads === null ? '?' : formatCount(index.reads),
          table.rowWrites === null ? '?' : formatCount(table.rowWrites),
        ]),
      ),
    },
  ];
  if (counted) {
    blocks.push({
      kind: 'chart',
      chart: {
        title: 'Rows read through each index, and writes to its table',
        series: ['reads', 'table writes'],
        bars: withIndexes.flatMap((table) => table.indexes.map((index) => ({ label: index.name, values: [index.reads ?? 0, table.rowWrites ?? 0] }))),
        format: formatCount,
      },
    });
  }
  const differences = [
    ...comparison.missing.map((index) => `missing: ${index.name} on ${index.table}(${index.columns})`),
    ...comparison.differing.map((index) => `other columns: ${index.name} on ${index.table}(${index.columns}), intended (${index.intendedColumns})`),
    ...comparison.unintended.map((index) => `not in the migrations: ${index.name} on ${index.table}(${index.columns})`),
  ];
  blocks.push(
    differences.length === 0
      ? { kind: 'paragraph', text: 'The indexes are exactly the ones the migrations make (db-migrations/intendedIndexes.ts).' }
      : { kind: 'list', items: differences },
  );
  return blocks;
}

function hotStatementBlocks(report: DatabaseReport): Block[] {
  return [
    { kind: 'heading', level: 2, text: 'Hot statements', id: SECTIONS.hotStatements },
    {
      kind: 'paragraph',
      text:
        'What the product sends on its hot paths, recorded from its own functions with parameters from the live data, and explained. ' +
        'The guide adds a composite index only when a hot statement (>1000 calls a day) reads a table of >10,000 rows, takes >50 ms, ' +
        'and EXPLAIN shows "Using filesort" or "Using temporary".',
    },
    {
      kind: 'table',
      header: ['statement', 'meant to read', 'reads', 'rows examined', 'flags'],
      rows: report.hotStatements.map((plan) => [
        plan.name,
        plan.intendedIndex ?? 'no index (by design)',
        plan.statements.length === 0 ? 'not explained' : unique(plan.statements.flatMap((statement) => statement.keys)).join(', ') || 'no index',
        rowsCell(plan),
        flagsOf(plan),
      ]),
    },
    ...statementTimeChart(report),
    ...report.hotStatements.flatMap((plan) => planBlocks(plan)),
  ];
}

function planBlocks(plan: HotStatementPlan): Block[] {
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: plan.name },
    {
      kind: 'paragraph',
      text: `${plan.source}; meant to read ${plan.intendedIndex ?? `no index: ${plan.withoutIndexBecause}`}${plan.intendedIndexPresent ? '' : ' (missing)'}.`,
    },
  ];
  if (plan.statements.length === 0 && plan.notExplained.length === 0) blocks.push({ kind: 'paragraph', text: 'Not explained: the database has no rows for it to read.' });
  for (const note of plan.notExplained) blocks.push({ kind: 'paragraph', text: note });
  for (const statement of plan.statements) {
    blocks.push(
      { kind: 'code', language: 'sql', text: `${statement.sql.replace(/\s+/g, ' ').trim()}\n-- parameters: ${JSON.stringify(statement.parameters)}` },
      {
        kind: 'table',
        header: ['table', 'type', 'key', 'rows', 'extra'],
        rows: statement.plan.map((row) => [row.table ?? '', row.type ?? '', row.key ?? '', row.rows === null ? '' : formatCount(row.rows), row.extra]),
      },
    );
    if (statement.measured) {
      const { totalMs, rowsExamined } = statement.measured;
      blocks.push({
        kind: 'paragraph',
        text: `ANALYZE: ${totalMs === null ? 'time not given' : formatMs(totalMs)}, ${rowsExamined === null ? '?' : formatCount(rowsExamined)} rows examined.`,
      });
    }
  }
  return blocks;
}

/** `1.2k` as ANALYZE counted, `~1.2k` as the optimizer estimates. */
function rowsCell(plan: HotStatementPlan): string {
  if (plan.statements.length === 0) return '';
  const { rows, measured } = rowsExamined(plan);
  return measured ? formatCount(rows) : `~${formatCount(rows)}`;
}

function flagsOf(plan: HotStatementPlan): string {
  const flags: string[] = [];
  if (plan.statements.some((statement) => statement.fullScans.length > 0)) flags.push('full scan');
  if (plan.statements.some((statement) => statement.filesort)) flags.push('Using filesort');
  if (plan.statements.some((statement) => statement.temporaryTable)) flags.push('Using temporary');
  if (plan.usesIntendedIndex === false) flags.push(plan.intendedIndexPresent ? 'not its index' : 'index missing');
  return flags.join(', ');
}

/** Digests by total time where there are any, else the hot statements' ANALYZE times. */
function statementTimeChart(report: DatabaseReport): Block[] {
  const { slowStatements } = report;
  if (slowStatements.source === 'performance_schema' && slowStatements.byTotalTime.length > 0) return [];
  const measured = report.hotStatements.filter((plan) => measuredMs(plan) !== null);
  if (measured.length === 0) return [];
  return [
    {
      kind: 'chart',
      chart: {
        title: 'Hot statements under ANALYZE (ms)',
        series: ['ms'],
        bars: measured.map((plan) => ({ label: plan.name, values: [measuredMs(plan) ?? 0] })),
        format: formatMs,
      },
    },
  ];
}

function slowStatementBlocks({ slowStatements }: DatabaseReport): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Slow statements', id: SECTIONS.slowStatements }];
  if (slowStatements.source === 'slow_query_log') {
    blocks.push(
      { kind: 'paragraph', text: "performance_schema's statement digests are off. The slow log's settings:" },
      { kind: 'table', header: ['variable', 'value'], rows: Object.entries(slowStatements.settings) },
      { kind: 'paragraph', text: 'To log slow statements (the guide\'s "Slow Query Monitoring"):' },
      { kind: 'code', language: 'sql', text: slowStatements.howToEnable.join(';\n') },
    );
    return blocks;
  }
  const digestTable = (digests: typeof slowStatements.byTotalTime): Block => ({
    kind: 'table',
    header: ['statement', 'runs', 'total', 'average', 'max', 'rows examined', 'rows sent', 'without index'],
    rows: digests.map((digest) => [
      digest.text.length > 160 ? `${digest.text.slice(0, 160)}…` : digest.text,
      formatCount(digest.executions),
      formatMs(digest.totalMs),
      formatMs(digest.averageMs),
      formatMs(digest.maxMs),
      formatCount(digest.rowsExamined),
      formatCount(digest.rowsSent),
      formatCount(digest.withoutIndex),
    ]),
  });
  blocks.push({ kind: 'paragraph', text: 'From performance_schema.events_statements_summary_by_digest, the report\'s own statements left out.' });
  if (slowStatements.byTotalTime.length > 0) {
    blocks.push({
      kind: 'chart',
      chart: {
        title: 'Statements by total time since the server started (ms)',
        series: ['total'],
        bars: slowStatements.byTotalTime.slice(0, 10).map((digest) => ({ label: digest.text.slice(0, 48), values: [digest.totalMs] })),
        format: formatMs,
      },
    });
  }
  blocks.push(
    { kind: 'heading', level: 3, text: 'By total time' },
    digestTable(slowStatements.byTotalTime),
    { kind: 'heading', level: 3, text: 'By average time' },
    digestTable(slowStatements.byAverageTime),
  );
  return blocks;
}

function poolBlocks({ pool }: DatabaseReport): Block[] {
  const { budget, runningServer } = pool;
  const blocks: Block[] = [
    { kind: 'heading', level: 2, text: 'Pool and server', id: SECTIONS.pool },
    {
      kind: 'list',
      items: [
        `Pools: ${budget.processes} process(es) (WEB_CONCURRENCY) × (DB_POOL_SIZE ${budget.poolSize} + DB_POOL_MAX_OVERFLOW ${budget.maxOverflow}) = ${budget.poolConnections} connections`,
        `max_connections: ${budget.maxConnections} (the pools may claim ${budget.share * 100} %: ${Math.floor(budget.share * budget.maxConnections)})`,
        `Most connections open at once since the server started: ${budget.maxUsedConnections}`,
      ],
    },
  ];
  if (!runningServer) {
    blocks.push({ kind: 'paragraph', text: 'Give --url http://host:port to add a running server\'s pool figures and statements per request.' });
    return blocks;
  }
  const health = runningServer.pool;
  blocks.push(
    { kind: 'heading', level: 3, text: `${runningServer.url}/health/database` },
    {
      kind: 'table',
      header: ['pool size', 'max overflow', 'checked out', 'idle', 'waiting', 'utilization', 'status'],
      rows: [[health.poolSize, health.maxOverflow, health.checkedOut, health.idle, health.waiting, `${Math.round(health.utilization * 100)} %`, health.status].map(String)],
    },
    { kind: 'heading', level: 3, text: 'SQL statements per request (/metrics)' },
  );
  const bounds = unique(runningServer.statementsPerRequest.flatMap((entry) => entry.buckets.map((bucket) => bucket.le))).sort((a, b) => a - b);
  blocks.push({
    kind: 'table',
    header: ['operation', 'requests', 'average', ...bounds.map((le) => `≤ ${le}`)],
    rows: runningServer.statementsPerRequest.map((entry) => [
      entry.operation === '*' ? 'all' : entry.operation,
      formatCount(entry.requests),
      entry.average.toFixed(1),
      ...bounds.map((le) => formatCount(entry.buckets.find((bucket) => bucket.le === le)?.requests ?? 0)),
    ]),
  });
  return blocks;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
