import { performance } from 'node:perf_hooks';
import { createConnection, type Connection } from 'mysql2/promise';
import { createDatabase } from '../../src/db/database';
import { dropDatabase, ensureDatabase } from '../../src/db/ensureDatabase';
import { migrateToLatest } from '../../src/db/migrate';
import { seedDatabase } from '../../src/seed/seed';
import { alternate } from '../alternate';
import type { BenchContext } from '../context';
import { formatSummary } from '../format';
import { generateRows, insertTables, type InsertTable, type Parents, type Row } from '../insert/insertRows';
import { overIndexes, overIndexStatements } from '../insert/overIndexes';
import type { Metric, ScenarioResult } from '../results';
import { pairedRatios, summarize } from '../stats';
import type { Scenario } from './scenario';

const SIDES = ['strategic', 'over-indexed'] as const;
type Side = (typeof SIDES)[number];
const TABLES = Object.keys(insertTables) as InsertTable[];
const BATCH_ROWS = 500;
const SEED_GUIDE_CLAIM = 15;

type Mode = 'batched' | 'transaction' | 'autocommit';
const MODES: readonly Mode[] = ['batched', 'transaction', 'autocommit'];
type RowCounts = Readonly<Record<Mode, Readonly<Record<InsertTable, number>>>>;

/** Rows per table and mode; --quick writes about 3 % of them. */
const fullRows: RowCounts = {
  batched: { comments: 20_000, notifications: 20_000, messages: 10_000 },
  transaction: { comments: 2_000, notifications: 2_000, messages: 1_000 },
  autocommit: { comments: 400, notifications: 400, messages: 200 },
};
const MODE_LABEL: Record<Mode, string> = {
  batched: `multi-row INSERTs of ${BATCH_ROWS} rows, autocommit`,
  transaction: 'single-row INSERTs in one transaction',
  autocommit: 'single-row INSERTs, autocommit (one commit each)',
};

/** Milliseconds per 1,000 rows, by mode and table, for one repetition of one schema. */
type Timings = Record<Mode, Record<InsertTable, number>>;

/**
 * DESIGN.md "Benchmarks": the cost of writes with the migrations' indexes (0002 and 0003) vs an
 * over-indexed copy of the schema (insert/overIndexes.ts), in two scratch databases with the
 * same parent rows, inserting the same generated rows, alternating the schemas.
 */
export const insertCost: Scenario = {
  name: 'insert-cost',
  title: 'Insert cost: strategic indexes vs an over-indexed copy of the schema',
  async run(context) {
    const rows = context.options.quick ? scaled(fullRows, 0.03) : fullRows;
    const base = new URL(context.databaseUrl);
    const urls: Record<Side, string> = {
      strategic: withDatabase(base, `${databaseName(base)}_ins_strategic`),
      'over-indexed': withDatabase(base, `${databaseName(base)}_ins_overindexed`),
    };
    const parentScale = context.options.quick ? 'small' : 'demo';
    const connections = {} as Record<Side, Connection>;
    try {
      for (const side of SIDES) {
        context.log(`  preparing ${side} scratch database (${parentScale} scale as parents)`);
        await prepareScratch(urls[side], parentScale, side === 'over-indexed');
        connections[side] = await createConnection({ uri: urls[side], timezone: 'Z' });
      }
      const indexCounts = await secondaryIndexCounts(connections);
      const parents = await parentsOf(connections.strategic);
      const samples = await alternate<Side, Timings>(SIDES, context.timing.repetitions, async (side, repetition) => {
        context.log(`  repetition ${repetition + 1}/${context.timing.repetitions}: ${side}`);
        return insertAll(connections[side], rows, parents, `repetition-${repetition}`);
      });
      const sizes = await sizesOf(connections);
      return result(context, rows, parentScale, samples, indexCounts, sizes);
    } finally {
      await Promise.all(Object.values(connections).map((connection) => connection.end()));
      for (const side of SIDES) await dropDatabase(urls[side]);
    }
  },
};

function result(
  context: BenchContext,
  rows: RowCounts,
  parentScale: string,
  samples: Record<Side, Timings[]>,
  indexCounts: Record<Side, { total: number; written: number }>,
  sizes: Record<Side, { dataMb: number; indexMb: number }>,
): ScenarioResult {
  const perMode = (mode: Mode, table?: InsertTable) => {
    const of = (timings: Timings) => {
      if (table) return timings[mode][table];
      const total = TABLES.reduce((sum, name) => sum + (timings[mode][name] * rows[mode][name]) / 1000, 0);
      return (total / totalRows(rows[mode])) * 1000;
    };
    const strategic = samples.strategic.map(of);
    const over = samples['over-indexed'].map(of);
    return {
      values: { strategic: summarize(strategic), 'over-indexed': summarize(over) },
      ratio: { label: 'over-indexed ÷ strategic', value: summarize(pairedRatios(over, strategic)) },
    };
  };
  const metrics: Metric[] = [];
  for (const mode of MODES) {
    metrics.push({ label: `${MODE_LABEL[mode]}: all ${totalRows(rows[mode]).toLocaleString('en-US')} rows`, unit: 'ms / 1,000 rows', ...perMode(mode), digits: 1 });
    if (mode === 'batched') {
      for (const table of TABLES) {
        metrics.push({ label: `batched, ${table} only (${rows[mode][table].toLocaleString('en-US')} rows)`, unit: 'ms / 1,000 rows', ...perMode(mode, table), digits: 1 });
      }
    }
  }
  const single = (value: number) => summarize([value]);
  metrics.push(
    {
      label: 'secondary indexes, whole schema',
      unit: 'indexes',
      values: { strategic: single(indexCounts.strategic.total), 'over-indexed': single(indexCounts['over-indexed'].total) },
      digits: 0,
    },
    {
      label: `secondary indexes on the written tables (${TABLES.join(', ')})`,
      unit: 'indexes',
      values: { strategic: single(indexCounts.strategic.written), 'over-indexed': single(indexCounts['over-indexed'].written) },
      digits: 0,
    },
    {
      label: 'written tables afterwards: data',
      unit: 'MB',
      values: { strategic: single(sizes.strategic.dataMb), 'over-indexed': single(sizes['over-indexed'].dataMb) },
      digits: 1,
    },
    {
      label: 'written tables afterwards: indexes',
      unit: 'MB',
      values: { strategic: single(sizes.strategic.indexMb), 'over-indexed': single(sizes['over-indexed'].indexMb) },
      ratio: { label: 'over-indexed ÷ strategic', value: single(sizes['over-indexed'].indexMb / sizes.strategic.indexMb) },
      digits: 1,
    },
  );
  const batched = metrics[0]!.ratio!.value;
  const autocommit = metrics.find((metric) => metric.label.startsWith(MODE_LABEL.autocommit))!.ratio!.value;
  return {
    sides: SIDES,
    definition: [
      `Two scratch databases, migrated to the latest version and seeded with the ${parentScale} scale as parent rows; ` +
        `"over-indexed" then gets ${overIndexes.length} more secondary indexes (bench/insert/overIndexes.ts: nearly every column, ` +
        'each column DESIGN.md leaves unindexed, and the composites the seed guide rejected). Both receive the same generated rows ' +
        '(the seed\'s text generators, random existing parents), from the bench process over one connection each: ' +
        MODES.map((mode) => `${MODE_LABEL[mode]} (${TABLES.map((table) => `${rows[mode][table].toLocaleString('en-US')} ${table}`).join(', ')})`).join('; ') +
        `. ${context.timing.repetitions} repetitions alternating the schemas; rows stay in, so both schemas grow alike; ` +
        'the databases are dropped afterwards. Times are milliseconds per 1,000 rows (lower is better).',
    ],
    metrics,
    goals: [
      {
        goal: `the seed guide's claim: writes ${SEED_GUIDE_CLAIM}–30× faster with the strategic indexes (batched inserts)`,
        measured: `${formatSummary(batched, 2)}×`,
        met: context.options.quick ? null : batched.median >= SEED_GUIDE_CLAIM,
      },
    ],
    notes: [
      `Single-row autocommit inserts are dominated by the commit's log flush (innodb_flush_log_at_trx_commit=1), which no index changes: ` +
        `there the ratio is ${formatSummary(autocommit, 2)}×.`,
      'The tables are small (all indexes fit in the buffer pool), so each extra index costs CPU, not disk reads; on tables larger than ' +
        'the buffer pool, secondary-index maintenance costs random I/O and the gap widens.',
    ],
    chart: {
      title: `Insert cost, ${MODE_LABEL.batched}`,
      unit: 'ms / 1,000 rows',
      bars: SIDES.map((side) => ({ label: side, value: metrics[0]!.values[side]! })),
    },
  };
}

async function prepareScratch(url: string, scale: 'small' | 'demo', overIndexed: boolean): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
  const handle = createDatabase(url, { size: 1, maxOverflow: 0, timeoutMs: 600_000, recycleMs: 3_600_000, prePing: false });
  try {
    await migrateToLatest(handle.db);
    await seedDatabase(handle.db, { scale });
  } finally {
    await handle.destroy();
  }
  if (overIndexed) {
    const connection = await createConnection({ uri: url });
    try {
      for (const statement of overIndexStatements()) await connection.query(statement);
    } finally {
      await connection.end();
    }
  }
}

async function insertAll(connection: Connection, rows: RowCounts, parents: Parents, label: string): Promise<Timings> {
  const timings = {} as Timings;
  for (const mode of MODES) {
    timings[mode] = {} as Record<InsertTable, number>;
    for (const table of TABLES) {
      const generated = generateRows(table, rows[mode][table], parents, `${label}:${mode}`);
      const started = performance.now();
      await insert(connection, mode, table, generated);
      timings[mode][table] = ((performance.now() - started) / generated.length) * 1000;
    }
  }
  return timings;
}

/**
 * Writes `rows` into `table` the `mode` way:
 * `INSERT INTO t (…) VALUES (…), (…), …` in chunks of 500; or one `INSERT … VALUES (?, …)` per
 * row, inside `START TRANSACTION … COMMIT` or each committing on its own.
 */
async function insert(connection: Connection, mode: Mode, table: InsertTable, rows: Row[]): Promise<void> {
  const columns = insertTables[table];
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  if (mode === 'batched') {
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      await connection.query(`${head}?`, [rows.slice(start, start + BATCH_ROWS)]);
    }
    return;
  }
  const single = `${head}(${columns.map(() => '?').join(', ')})`;
  if (mode === 'transaction') await connection.query('START TRANSACTION');
  for (const row of rows) await connection.query(single, row);
  if (mode === 'transaction') await connection.query('COMMIT');
}

async function secondaryIndexCounts(connections: Record<Side, Connection>): Promise<Record<Side, { total: number; written: number }>> {
  const counts = {} as Record<Side, { total: number; written: number }>;
  for (const side of SIDES) {
    const [rows] = await connections[side].query<any[]>(
      `SELECT TABLE_NAME AS tableName, COUNT(DISTINCT INDEX_NAME) AS indexes FROM information_schema.STATISTICS
       WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY' AND TABLE_NAME NOT LIKE 'kysely%' GROUP BY TABLE_NAME`,
    );
    const total = rows.reduce((sum, row) => sum + Number(row.indexes), 0);
    const written = rows.filter((row) => (TABLES as string[]).includes(row.tableName)).reduce((sum, row) => sum + Number(row.indexes), 0);
    counts[side] = { total, written };
  }
  return counts;
}

async function sizesOf(connections: Record<Side, Connection>): Promise<Record<Side, { dataMb: number; indexMb: number }>> {
  const sizes = {} as Record<Side, { dataMb: number; indexMb: number }>;
  for (const side of SIDES) {
    await connections[side].query(`ANALYZE TABLE ${TABLES.join(', ')}`);
    const [rows] = await connections[side].query<any[]>(
      `SELECT SUM(DATA_LENGTH) AS data, SUM(INDEX_LENGTH) AS indexes FROM information_schema.TABLES
       WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?)`,
      [TABLES],
    );
    sizes[side] = { dataMb: Number(rows[0].data) / 1e6, indexMb: Number(rows[0].indexes) / 1e6 };
  }
  return sizes;
}

async function parentsOf(connection: Connection): Promise<Parents> {
  const [rows] = await connection.query<any[]>(
    'SELECT (SELECT MAX(id) FROM users) AS users, (SELECT MAX(id) FROM crs_documents) AS crs, (SELECT MAX(id) FROM chat_sessions) AS sessions',
  );
  return { users: Number(rows[0].users), crsDocuments: Number(rows[0].crs), chatSessions: Number(rows[0].sessions) };
}

function totalRows(rows: Record<InsertTable, number>): number {
  return TABLES.reduce((sum, table) => sum + rows[table], 0);
}

function scaled(rows: RowCounts, factor: number): RowCounts {
  return Object.fromEntries(
    MODES.map((mode) => [mode, Object.fromEntries(TABLES.map((table) => [table, Math.max(10, Math.round(rows[mode][table] * factor))]))]),
  ) as RowCounts;
}

function databaseName(url: URL): string {
  return decodeURIComponent(url.pathname.slice(1));
}

function withDatabase(url: URL, name: string): string {
  const copy = new URL(url.toString());
  copy.pathname = `/${name}`;
  return copy.toString();
}
