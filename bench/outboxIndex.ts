import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import { up as createTables } from '../db-migrations/0001_create_tables';
import { up as addMemoryLanes } from '../db-migrations/0004_memory_lanes';
import { createDatabase, type DatabaseHandle } from '../src/db/database';
import { databaseNameOf, dropDatabase, ensureDatabase } from '../src/db/ensureDatabase';
import { dueOutboxEntries } from '../src/memory/dueOutboxEntries';
import { enqueueMemory } from '../src/memory/outbox';
import { alternate } from './alternate';
import { formatNumber } from './format';
import { summarize } from './stats';

/**
 * The decision on ai_memory_index's outbox index (docs/indexes.md, "ai_memory_index"): the bench
 * database's ai_memory_index (900,000 rows at the bench scale, every memory indexed) is copied into
 * two scratch databases, both with the lane column of migration 0004, one with its index on
 * (status, lane, updated_at) and one without. In both, 3,800 entries spread over the table are set
 * pending (the demo data's backlog), 10 of them in the live lane. Then, alternating between the two:
 *
 * - EXPLAIN and the time of the outbox worker's poll (dueOutboxEntries, batch size 64), of the
 *   backlog count (/metrics, /health/ready), and of the poll as it was before (status alone);
 * - the rows each statement reads (MariaDB's Handler_read_* counters);
 * - the insert cost: 2,000 single-row enqueueMemory calls (a mutation's write) and marking 64
 *   entries indexed (the worker's UPDATE), each timed.
 *
 * Prints markdown; drops the scratch databases.
 * ```
 * npx tsc -p tsconfig.build.json && BENCH_DATABASE_URL=mysql://root@127.0.0.1:3306/bridgeai_bench_mem node dist/bench/outboxIndex.js
 * ```
 */

const PENDING_EVERY = 237;
const COPY_SLICE = 50_000;
/** One pending entry in this many is a live one: 10 of the 3,800. */
const LIVE_EVERY = 380;
const TIMED_RUNS = 30;
const INSERTS = 2000;
/** Each marks 64 of the 3,800 pending entries, different ones every time. */
const MARKS = 50;
const POLICY = { batchSize: 64, retryBaseMs: 1000, retryMaxMs: 300_000 };

const SIDES = ['without the index', 'with the index'] as const;
type Side = (typeof SIDES)[number];

/** The poll before lanes: the pending entries whose back-off has passed, oldest first. */
const POLL_BEFORE = sql`SELECT id, project_id, source_type, source_id, embedding_id, content_hash FROM ai_memory_index
  WHERE status = 'pending'
    AND updated_at <= UTC_TIMESTAMP(3) - INTERVAL CAST(IF(attempts = 0, 0, LEAST(1000 * POW(2, LEAST(attempts, 30)), 300000)) * 1000 AS UNSIGNED) MICROSECOND
  ORDER BY updated_at, id LIMIT 64`;
const BACKLOG_COUNT = sql`SELECT lane, COUNT(*) AS pending FROM ai_memory_index WHERE status = 'pending' GROUP BY lane`;

const STATEMENTS: Readonly<Record<string, RawBuilder<unknown>>> = {
  'the poll (dueOutboxEntries: both lanes, batch size 64)': dueOutboxEntries(POLICY),
  'the backlog count by lane': BACKLOG_COUNT,
  'the poll before lanes (status alone)': POLL_BEFORE,
};

async function main(sourceUrl: string): Promise<void> {
  const source = databaseNameOf(sourceUrl);
  const databases = {} as Record<Side, DatabaseHandle>;
  const urls = { 'without the index': `${sourceUrl}_oi_without`, 'with the index': `${sourceUrl}_oi_with` } as const;
  try {
    for (const side of SIDES) {
      await dropDatabase(urls[side]);
      await ensureDatabase(urls[side]);
      databases[side] = createDatabase(urls[side], { size: 1, maxOverflow: 0, timeoutMs: 600_000, recycleMs: 3_600_000, prePing: false });
      await copyTable(databases[side], source, side === 'with the index');
    }
    const rows = Number((await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ai_memory_index`.execute(databases['with the index'].db)).rows[0]!.n);
    console.log(`ai_memory_index: ${formatNumber(rows)} rows copied from ${source}; ${formatNumber(Math.floor(rows / PENDING_EVERY))} pending, 10 of them live\n`);

    for (const [name, statement] of Object.entries(STATEMENTS)) {
      console.log(`### ${name}\n`);
      for (const side of SIDES) console.log(`${side}:\n\n${await explain(databases[side], statement)}\n`);
      const reads = {} as Record<Side, number>;
      const times = await alternate(SIDES, TIMED_RUNS, async (side) => {
        const before = await handlerReads(databases[side]);
        const ms = await timed(() => statement.execute(databases[side].db));
        reads[side] = (await handlerReads(databases[side])) - before;
        return ms;
      });
      for (const side of SIDES) {
        const { median, min, max } = summarize(times[side]);
        console.log(`- ${side}: ${median.toFixed(2)} ms (${min.toFixed(2)}–${max.toFixed(2)}), ${formatNumber(reads[side])} rows read`);
      }
      console.log(`- without ÷ with: ${(summarize(times['without the index']).median / summarize(times['with the index']).median).toFixed(1)}×\n`);
    }

    console.log('### insert cost\n');
    let sourceId = 10_000_000;
    const inserts = await alternate(SIDES, INSERTS, (side) =>
      timed(() => enqueueMemory(databases[side].db, [{ projectId: 1, sourceType: 'COMMENT', sourceId: (sourceId += 1), text: `comment ${sourceId}` }], 'live')),
    );
    const marks = await alternate(SIDES, MARKS, (side, run) => {
      const ids = Array.from({ length: 64 }, (_, n) => (run * 64 + n + 1) * PENDING_EVERY);
      return timed(() => sql`UPDATE ai_memory_index SET status = 'indexed', updated_at = UTC_TIMESTAMP(3) WHERE status = 'pending' AND id IN (${sql.join(ids)})`.execute(databases[side].db));
    });
    for (const side of SIDES) {
      console.log(`- ${side}: a mutation's enqueueMemory (one new row) ${summarize(inserts[side]).median.toFixed(2)} ms; marking 64 entries indexed ${summarize(marks[side]).median.toFixed(2)} ms`);
    }
  } finally {
    for (const side of SIDES) {
      await databases[side]?.destroy();
      await dropDatabase(urls[side]);
    }
  }
}

/** ai_memory_index as migrations 0001, 0002 and 0004 make it (without 0004's index, unless `withIndex`), holding the source's rows. */
async function copyTable(handle: DatabaseHandle, source: string, withIndex: boolean): Promise<void> {
  const db = handle.db;
  const unchecked = db as unknown as Kysely<unknown>;
  await createTables(unchecked);
  // 0002's index on project_id, without its foreign key (the copy has no projects).
  await sql`CREATE INDEX ix_ai_memory_index_project_id ON ai_memory_index (project_id)`.execute(db);
  // In slices: one INSERT … SELECT of 900,000 rows takes more row locks than the default buffer pool holds.
  const { rows } = await sql<{ last: number | null }>`SELECT MAX(id) AS last FROM ${sql.table(`${source}.ai_memory_index`)}`.execute(db);
  for (let from = 0; from < Number(rows[0]?.last ?? 0); from += COPY_SLICE) {
    await sql`INSERT INTO ai_memory_index (id, project_id, source_type, source_id, embedding_id, content_hash, status, attempts, last_error, updated_at)
      SELECT id, project_id, source_type, source_id, embedding_id, content_hash, 'indexed', 0, NULL, updated_at FROM ${sql.table(`${source}.ai_memory_index`)}
      WHERE id > ${from} AND id <= ${from + COPY_SLICE}`.execute(db);
  }
  await addMemoryLanes(unchecked);
  if (!withIndex) await sql`DROP INDEX ix_ai_memory_index_status_lane_updated_at ON ai_memory_index`.execute(db);
  await sql`UPDATE ai_memory_index SET status = 'pending', updated_at = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id % ${PENDING_EVERY} = 0`.execute(db);
  await sql`UPDATE ai_memory_index SET lane = 'live' WHERE status = 'pending' AND (id DIV ${PENDING_EVERY}) % ${LIVE_EVERY} = 0`.execute(db);
  await sql`ANALYZE TABLE ai_memory_index`.execute(db);
}

/** EXPLAIN's rows as a markdown table: table, type, key, rows, Extra. */
async function explain(handle: DatabaseHandle, statement: RawBuilder<unknown>): Promise<string> {
  const compiled = statement.compile(handle.db);
  const { rows } = await handle.db.withoutPlugins().executeQuery<Record<string, unknown>>(CompiledQuery.raw(`EXPLAIN ${compiled.sql}`, [...compiled.parameters]));
  const columns = ['table', 'type', 'key', 'rows', 'Extra'];
  return [`| ${columns.join(' | ')} |`, `| ${columns.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${columns.map((c) => String(row[c] ?? '')).join(' | ')} |`)].join(
    '\n',
  );
}

/** Rows the session's statements have read so far, over every Handler_read_* counter. */
async function handlerReads(handle: DatabaseHandle): Promise<number> {
  const { rows } = await sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Handler_read%'`.execute(handle.db.withoutPlugins());
  return rows.reduce((sum, row) => sum + Number(row.Value), 0);
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

main(process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/bridgeai_bench').catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
