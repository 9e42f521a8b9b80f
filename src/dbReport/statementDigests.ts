import { sql } from 'kysely';
import type { Db } from '../db/database';
import { SLOW_LOG_VARIABLES, type ServerInfo } from './serverInfo';

/** One normalized statement (its digest) and what its executions cost since the server started. */
export interface StatementDigest {
  /** The statement with its literals replaced by `?`, at most 1,000 characters. */
  readonly text: string;
  readonly executions: number;
  readonly totalMs: number;
  readonly averageMs: number;
  readonly maxMs: number;
  readonly rowsExamined: number;
  readonly rowsSent: number;
  /** Executions that used no index at all. */
  readonly withoutIndex: number;
}

/** The slowest statements by performance_schema, or, where its digests are off, the slow log's settings. */
export type SlowStatements =
  | { readonly source: 'performance_schema'; readonly byTotalTime: readonly StatementDigest[]; readonly byAverageTime: readonly StatementDigest[] }
  | { readonly source: 'slow_query_log'; readonly settings: Readonly<Record<string, string>>; readonly howToEnable: readonly string[] };

export const TOP_DIGESTS = 20;
const PICOSECONDS_PER_MS = 1e9;

/**
 * The report's own statements (EXPLAIN, ANALYZE, SHOW, the reads of information_schema,
 * performance_schema and mysql, and its parameter choices, which force the PRIMARY key) are
 * left out, so the list shows what the product sent.
 */
const REPORT_STATEMENT =
  "(DIGEST_TEXT REGEXP '^(EXPLAIN|ANALYZE|SHOW|SET|SELECT @@)' OR DIGEST_TEXT REGEXP 'information_schema|performance_schema|`mysql`|FORCE INDEX')";

/**
 * The top 20 statement digests of `schema`, by total and by average time (the guide's "Slow
 * Query Monitoring"), timer columns being picoseconds:
 * ```sql
 * SELECT DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT, AVG_TIMER_WAIT, MAX_TIMER_WAIT, SUM_ROWS_EXAMINED, SUM_ROWS_SENT, SUM_NO_INDEX_USED
 * FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME = ? AND NOT <the report's own>
 * ORDER BY SUM_TIMER_WAIT DESC LIMIT 20   -- and again ORDER BY AVG_TIMER_WAIT DESC
 * ```
 */
export async function readStatementDigests(db: Db, schema: string): Promise<SlowStatements> {
  const top = async (order: 'SUM_TIMER_WAIT' | 'AVG_TIMER_WAIT') => {
    const { rows } = await sql<Record<string, string | number | null>>`
      SELECT LEFT(DIGEST_TEXT, 1000) AS text, COUNT_STAR AS executions, SUM_TIMER_WAIT AS total, AVG_TIMER_WAIT AS average,
             MAX_TIMER_WAIT AS max, SUM_ROWS_EXAMINED AS rows_examined, SUM_ROWS_SENT AS rows_sent, SUM_NO_INDEX_USED AS without_index
      FROM performance_schema.events_statements_summary_by_digest
      WHERE SCHEMA_NAME = ${schema} AND DIGEST_TEXT IS NOT NULL AND NOT ${sql.raw(REPORT_STATEMENT)}
      ORDER BY ${sql.raw(order)} DESC LIMIT ${sql.lit(TOP_DIGESTS)}`.execute(db.withoutPlugins());
    return rows.map(
      (row): StatementDigest => ({
        text: String(row.text),
        executions: Number(row.executions),
        totalMs: Number(row.total) / PICOSECONDS_PER_MS,
        averageMs: Number(row.average) / PICOSECONDS_PER_MS,
        maxMs: Number(row.max) / PICOSECONDS_PER_MS,
        rowsExamined: Number(row.rows_examined),
        rowsSent: Number(row.rows_sent),
        withoutIndex: Number(row.without_index),
      }),
    );
  };
  return { source: 'performance_schema', byTotalTime: await top('SUM_TIMER_WAIT'), byAverageTime: await top('AVG_TIMER_WAIT') };
}

/** Where digests are off: the slow log's settings (already read with the server's variables) and the guide's way to turn it on. */
export function slowLogSettings(server: ServerInfo): SlowStatements {
  const settings = Object.fromEntries(SLOW_LOG_VARIABLES.filter((name) => name in server.variables).map((name) => [name, server.variables[name]!]));
  const howToEnable = [
    "SET GLOBAL slow_query_log = 'ON'",
    'SET GLOBAL long_query_time = 0.5   -- the guide: log statements slower than 500 ms',
    "SET GLOBAL log_queries_not_using_indexes = 'ON'",
    ...(server.product === 'MariaDB' ? ["SET GLOBAL log_slow_verbosity = 'query_plan,explain'   -- MariaDB: each entry with its plan"] : []),
    'and the same settings in the server configuration, to keep them after a restart; or turn performance_schema on for digests.',
  ];
  return { source: 'slow_query_log', settings, howToEnable };
}
