import { sql } from 'kysely';
import type { Db } from '../db/database';
import { indexKey, type IndexUsage } from './indexUsage';

/** One secondary index as the report shows it. */
export interface IndexStatistics {
  readonly name: string;
  /** Its columns in index order, comma-separated (`team_id,user_id`), as db-migrations/intendedIndexes.ts writes them. */
  readonly columns: string;
  readonly unique: boolean;
  /** InnoDB's estimate of its distinct values (of all its columns). */
  readonly cardinality: number | null;
  /** Bytes of its pages (mysql.innodb_index_stats); null where that table cannot be read. */
  readonly sizeBytes: number | null;
  /** Rows read through it since the server started; null without index statistics. */
  readonly reads: number | null;
}

/** One table: its size and its secondary indexes. */
export interface TableStatistics {
  readonly name: string;
  /** InnoDB's estimate of its rows (information_schema.TABLES). */
  readonly rows: number;
  readonly dataBytes: number;
  /** Bytes of all its secondary indexes. */
  readonly indexBytes: number;
  /** Rows inserted, updated and deleted since the server started, each of which every secondary index absorbs; null without index statistics. */
  readonly rowWrites: number | null;
  readonly indexes: readonly IndexStatistics[];
}

/**
 * Every base table of `schema` with its secondary indexes, their columns, cardinality and size,
 * and, given `usage`, their reads and the table's writes:
 * ```sql
 * SELECT TABLE_NAME, TABLE_ROWS, DATA_LENGTH, INDEX_LENGTH FROM information_schema.TABLES
 * WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'
 * SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, CARDINALITY FROM information_schema.STATISTICS
 * WHERE TABLE_SCHEMA = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
 * SELECT table_name, index_name, stat_value * @@innodb_page_size FROM mysql.innodb_index_stats
 * WHERE database_name = ? AND stat_name = 'size'
 * ```
 */
export async function readTableStatistics(db: Db, schema: string, usage: IndexUsage | null): Promise<TableStatistics[]> {
  const plain = db.withoutPlugins();
  const tables = await sql<{ table_name: string; table_rows: number | string | null; data_length: number | string; index_length: number | string }>`
    SELECT TABLE_NAME AS table_name, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length, INDEX_LENGTH AS index_length
    FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`.execute(plain);
  const columns = await sql<{ table_name: string; index_name: string; non_unique: number | string; column_name: string; cardinality: number | string | null }>`
    SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique, COLUMN_NAME AS column_name, CARDINALITY AS cardinality
    FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ${schema} AND INDEX_NAME <> 'PRIMARY'
    ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`.execute(plain);
  const sizes = await readIndexSizes(db, schema);

  const indexesByTable = new Map<string, Map<string, { columns: string[]; unique: boolean; cardinality: number | null }>>();
  for (const row of columns.rows) {
    const indexes = indexesByTable.get(row.table_name) ?? new Map();
    indexesByTable.set(row.table_name, indexes);
    const index = indexes.get(row.index_name) ?? { columns: [], unique: Number(row.non_unique) === 0, cardinality: null };
    indexes.set(row.index_name, index);
    index.columns.push(row.column_name);
    // The last column's cardinality counts the distinct values of the whole index.
    index.cardinality = row.cardinality === null ? null : Number(row.cardinality);
  }

  return tables.rows.map((table) => ({
    name: table.table_name,
    rows: Number(table.table_rows ?? 0),
    dataBytes: Number(table.data_length),
    indexBytes: Number(table.index_length),
    rowWrites: usage ? (usage.rowWrites.get(table.table_name) ?? 0) : null,
    indexes: [...(indexesByTable.get(table.table_name) ?? new Map()).entries()].map(([name, index]) => ({
      name,
      columns: index.columns.join(','),
      unique: index.unique,
      cardinality: index.cardinality,
      sizeBytes: sizes?.get(indexKey(table.table_name, name)) ?? null,
      reads: usage ? (usage.reads.get(indexKey(table.table_name, name)) ?? 0) : null,
    })),
  }));
}

/** Index sizes by `table.index`, or null when the account may not read mysql.innodb_index_stats. */
async function readIndexSizes(db: Db, schema: string): Promise<Map<string, number> | null> {
  try {
    const { rows } = await sql<{ table_name: string; index_name: string; bytes: number | string }>`
      SELECT table_name, index_name, stat_value * @@innodb_page_size AS bytes FROM mysql.innodb_index_stats
      WHERE database_name = ${schema} AND stat_name = 'size'`.execute(db.withoutPlugins());
    return new Map(rows.map((row) => [indexKey(row.table_name, row.index_name), Number(row.bytes)]));
  } catch (error) {
    if (isAccessDenied(error)) return null;
    throw error;
  }
}

function isAccessDenied(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR';
}
