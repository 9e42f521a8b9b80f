import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { StatisticsSources } from './statisticsSources';

/** How much each index was used since the server started (or since its statistics were last reset). */
export interface IndexUsage {
  /** Rows read through each index (lookups, scans, and rows found to update or delete), by `table.index`. */
  readonly reads: ReadonlyMap<string, number>;
  /** Rows inserted, updated and deleted per table: the writes every secondary index of the table absorbs. */
  readonly rowWrites: ReadonlyMap<string, number>;
}

/** The key of an index in {@link IndexUsage.reads}. */
export const indexKey = (table: string, index: string) => `${table}.${index}`;

/**
 * Reads the use of every index of `schema` from the source the server has on; null when it has none.
 *
 * performance_schema (the guide's "Index Usage Monitoring"; inserts are counted against no index,
 * so an index's count is its reads, including the rows it found for an UPDATE or DELETE):
 * ```sql
 * SELECT OBJECT_NAME, INDEX_NAME, COUNT_STAR FROM performance_schema.table_io_waits_summary_by_index_usage
 * WHERE OBJECT_SCHEMA = ? AND INDEX_NAME IS NOT NULL
 * SELECT OBJECT_NAME, COUNT_INSERT + COUNT_UPDATE + COUNT_DELETE FROM performance_schema.table_io_waits_summary_by_table
 * WHERE OBJECT_SCHEMA = ?
 * ```
 * MariaDB's user statistics (`userstat`):
 * ```sql
 * SELECT TABLE_NAME, INDEX_NAME, ROWS_READ FROM information_schema.INDEX_STATISTICS WHERE TABLE_SCHEMA = ?
 * SELECT TABLE_NAME, ROWS_CHANGED FROM information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = ?
 * ```
 */
export async function readIndexUsage(db: Db, schema: string, sources: StatisticsSources): Promise<IndexUsage | null> {
  const plain = db.withoutPlugins();
  if (sources.indexUsage === 'performance_schema') {
    const reads = await sql<IndexCount>`SELECT OBJECT_NAME AS table_name, INDEX_NAME AS index_name, COUNT_STAR AS count
      FROM performance_schema.table_io_waits_summary_by_index_usage
      WHERE OBJECT_SCHEMA = ${schema} AND INDEX_NAME IS NOT NULL`.execute(plain);
    const writes = await sql<TableCount>`SELECT OBJECT_NAME AS table_name, COUNT_INSERT + COUNT_UPDATE + COUNT_DELETE AS count
      FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = ${schema}`.execute(plain);
    return usageOf(reads.rows, writes.rows);
  }
  if (sources.indexUsage === 'userstat') {
    const reads = await sql<IndexCount>`SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, ROWS_READ AS count
      FROM information_schema.INDEX_STATISTICS WHERE TABLE_SCHEMA = ${schema}`.execute(plain);
    const writes = await sql<TableCount>`SELECT TABLE_NAME AS table_name, ROWS_CHANGED AS count
      FROM information_schema.TABLE_STATISTICS WHERE TABLE_SCHEMA = ${schema}`.execute(plain);
    return usageOf(reads.rows, writes.rows);
  }
  return null;
}

interface TableCount {
  table_name: string;
  count: number | string;
}
interface IndexCount extends TableCount {
  index_name: string;
}

function usageOf(reads: readonly IndexCount[], writes: readonly TableCount[]): IndexUsage {
  return {
    reads: new Map(reads.map((row) => [indexKey(row.table_name, row.index_name), Number(row.count)])),
    rowWrites: new Map(writes.map((row) => [row.table_name, Number(row.count)])),
  };
}
