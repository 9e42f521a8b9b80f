import { CompiledQuery } from 'kysely';
import type { Db } from '../db/database';
import type { ServerInfo } from './serverInfo';

/** One row of EXPLAIN: how one table of the statement is read. */
export interface PlanRow {
  /** The table, or the optimizer's name for an intermediate result (`<derived2>`). */
  readonly table: string | null;
  /** How it is read: const, eq_ref, ref, range, index (every entry of an index), ALL (every row)… */
  readonly type: string | null;
  readonly key: string | null;
  /** The optimizer's estimate of the rows it examines (for each row of the tables read before it). */
  readonly rows: number | null;
  readonly extra: string;
}

/** What ANALYZE measured while running the statement. */
export interface MeasuredRun {
  readonly totalMs: number | null;
  /** Rows read from the statement's tables (intermediate results left out). */
  readonly rowsExamined: number | null;
}

export interface ExplainedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
  readonly plan: readonly PlanRow[];
  /** Every key the plan uses to read the statement's tables (not the optimizer's keys on intermediate results, such as `key0`). */
  readonly keys: readonly string[];
  /** Tables the plan reads in full (type ALL), with their estimated rows. */
  readonly fullScans: readonly { readonly table: string; readonly rows: number }[];
  /** The optimizer's estimate of the rows examined: the sum over the statement's tables. */
  readonly estimatedRows: number;
  readonly filesort: boolean;
  readonly temporaryTable: boolean;
  /** With `--analyze`, where the server can: null otherwise. */
  readonly measured: MeasuredRun | null;
}

/** A captured statement that is not a SELECT: the report explains SELECTs only, so it never writes. */
export class NotASelectError extends Error {
  override name = 'NotASelectError';
}

/**
 * EXPLAIN of a captured statement, with its own parameters, on the live data:
 * ```sql
 * EXPLAIN <statement>
 * ```
 * and with `analyze`, where the server supports it, the statement is also run and measured
 * (still read-only: it is a SELECT):
 * ```sql
 * ANALYZE FORMAT=JSON <statement>   -- MariaDB
 * EXPLAIN ANALYZE <statement>       -- MySQL 8.0.18 and later
 * ```
 */
export async function explainStatement(db: Db, statement: CompiledQuery, server: ServerInfo, analyze: boolean): Promise<ExplainedStatement> {
  if (!/^[\s(]*(select|with)\b/i.test(statement.sql)) {
    throw new NotASelectError(`not a SELECT, so not explained: ${statement.sql.slice(0, 80)}`);
  }
  const plain = db.withoutPlugins();
  const explained = await plain.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`EXPLAIN ${statement.sql}`, [...statement.parameters]));
  const plan = explained.rows.map(
    (row): PlanRow => ({
      table: nullableString(row.table),
      type: nullableString(row.type),
      key: nullableString(row.key),
      rows: row.rows === null || row.rows === undefined ? null : Number(row.rows),
      extra: String(row.Extra ?? ''),
    }),
  );
  const tables = plan.filter((row) => row.table !== null && !row.table.startsWith('<'));
  let measured: MeasuredRun | null = null;
  if (analyze && analyzeSupported(server)) {
    const prefix = server.product === 'MariaDB' ? 'ANALYZE FORMAT=JSON' : 'EXPLAIN ANALYZE';
    const result = await plain.executeQuery<Record<string, unknown>>(CompiledQuery.raw(`${prefix} ${statement.sql}`, [...statement.parameters]));
    const output = String(Object.values(result.rows[0] ?? {})[0] ?? '');
    measured = server.product === 'MariaDB' ? measuredFromMariadbAnalyze(output) : measuredFromMysqlAnalyze(output);
  }
  return {
    sql: statement.sql,
    parameters: statement.parameters,
    plan,
    keys: [...new Set(tables.flatMap((row) => (row.key === null ? [] : row.key.split(','))))],
    fullScans: tables.filter((row) => row.type === 'ALL').map((row) => ({ table: row.table as string, rows: row.rows ?? 0 })),
    estimatedRows: tables.reduce((sum, row) => sum + (row.rows ?? 0), 0),
    filesort: plan.some((row) => /Using filesort/i.test(row.extra)),
    temporaryTable: plan.some((row) => /Using temporary/i.test(row.extra)),
    measured,
  };
}

/** MariaDB has ANALYZE since 10.1; MySQL has EXPLAIN ANALYZE since 8.0.18. */
export function analyzeSupported(server: ServerInfo): boolean {
  if (server.product === 'MariaDB') return true;
  const [major = 0, minor = 0, patch = 0] = server.version.split(/[.-]/).map(Number);
  return major > 8 || (major === 8 && (minor > 0 || patch >= 18));
}

/**
 * MariaDB's ANALYZE FORMAT=JSON: the top query block's `r_total_time_ms`, and for every table
 * (`{"table": {"table_name", "r_loops", "r_rows"}}`, at any depth) its rows per loop times its loops.
 */
export function measuredFromMariadbAnalyze(output: string): MeasuredRun {
  const document = JSON.parse(output) as { query_block?: { r_total_time_ms?: number } };
  let rowsExamined = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const table = (node as { table?: { table_name?: unknown; r_loops?: number; r_rows?: number } }).table;
    if (typeof table?.table_name === 'string' && !table.table_name.startsWith('<')) rowsExamined += (table.r_rows ?? 0) * (table.r_loops ?? 0);
    Object.values(node).forEach(visit);
  };
  visit(document);
  return { totalMs: document.query_block?.r_total_time_ms ?? null, rowsExamined: Math.round(rowsExamined) };
}

/**
 * MySQL's EXPLAIN ANALYZE tree: the first line's `actual time=first..last` (ms, per loop) times
 * its loops, and the rows times loops of every line that reads a table or index.
 */
export function measuredFromMysqlAnalyze(output: string): MeasuredRun {
  const actual = /\(actual time=[\d.]+\.\.([\d.]+) rows=([\d.e+]+) loops=(\d+)\)/;
  const [first = ''] = output.split('\n');
  const top = actual.exec(first);
  let rowsExamined = 0;
  for (const line of output.split('\n')) {
    const match = actual.exec(line);
    if (match && /(Table scan|Index scan|Index lookup|Index range scan|index lookup|index scan|index range scan) on (?!<)/.test(line)) {
      rowsExamined += Number(match[2]) * Number(match[3]);
    }
  }
  return { totalMs: top ? Number(top[1]) * Number(top[3]) : null, rowsExamined: Math.round(rowsExamined) };
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
