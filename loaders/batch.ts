import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../src/db/database';

/**
 * Puts `rows` in the order of `keys`: one entry per key, null where no row matched.
 * DataLoader requires exactly this shape from a batch function.
 */
export function orderByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | null)[] {
  const byKey = new Map<K, R>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Groups `rows` under `keys`: one array per key (possibly empty), in the order of `keys`. */
export function groupByKeys<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const byKey = new Map<K, R[]>();
  for (const key of keys) byKey.set(key, []);
  for (const row of rows) byKey.get(keyOf(row))?.push(row);
  return keys.map((key) => byKey.get(key) ?? []);
}

/**
 * Splits a batch of keys into groups that share the same arguments (everything but the parent
 * id), so each group becomes one SQL statement. Returns the results back in key order.
 */
export async function batchByArguments<K, V>(
  keys: readonly K[],
  signatureOf: (key: K) => string,
  loadGroup: (group: K[]) => Promise<V[]>,
): Promise<V[]> {
  const groups = new Map<string, { keys: K[]; positions: number[] }>();
  keys.forEach((key, position) => {
    const signature = signatureOf(key);
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { keys: [], positions: [] }));
    group.keys.push(key);
    group.positions.push(position);
  });
  const results = new Array<V>(keys.length);
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const values = await loadGroup(group.keys);
      group.positions.forEach((position, index) => (results[position] = values[index]));
    }),
  );
  return results;
}

export interface FirstPerParentQuery {
  /** snake_case table name, e.g. `comments`. */
  table: string;
  /** snake_case parent column, e.g. `crs_id`. */
  parentColumn: string;
  parentIds: readonly number[];
  /** Rows per parent. */
  limit: number;
  /** ORDER BY of one parent's rows, on the table's own columns (alias `t`), e.g. sql`t.created_at, t.id`. */
  orderBy: RawBuilder<unknown>;
  /** Extra conditions on the table's rows (alias `t`), or undefined. */
  where?: RawBuilder<unknown>;
  /** Columns to return (alias `t`); defaults to `t.*`. */
  columns?: RawBuilder<unknown>;
  /** A JOIN that adds columns to each returned row, e.g. sql`JOIN users u ON u.id = t.author_id`. */
  join?: RawBuilder<unknown>;
}

/**
 * The first `limit` rows of every parent in ONE statement.
 *
 * For one parent it is a plain `ORDER BY … LIMIT`:
 * ```sql
 * SELECT t.* FROM comments t WHERE t.crs_id = ? [AND …] ORDER BY t.created_at, t.id LIMIT ?
 * ```
 * For several parents it numbers the rows of each parent with a window function over the ids
 * only (windowing rows that carry TEXT makes MariaDB build two temporary tables), then joins
 * back to fetch the rows by primary key:
 * ```sql
 * SELECT t.*, w.rn AS rankInParent FROM comments t
 * JOIN (SELECT t.id, ROW_NUMBER() OVER (PARTITION BY t.crs_id ORDER BY t.created_at, t.id) AS rn
 *       FROM comments t WHERE t.crs_id IN (?, ?, …) [AND …]) w ON w.id = t.id
 * WHERE w.rn <= ?
 * ```
 * and puts the rows in order here, by their rank: an `ORDER BY t.crs_id, w.rn` would make MariaDB
 * sort the whole rows, TEXT columns and all (for 15,000 comments: ~40 of the statement's ~95 ms
 * of MariaDB time), where ordering the returned objects by rank here costs Node under a
 * millisecond. The rows of a parent come out in the window's order; callers group them by parent
 * (groupByKeys). Each row keeps its `rankInParent` (1-based).
 */
export async function firstPerParent<R>(db: Db, query: FirstPerParentQuery): Promise<R[]> {
  const table = sql.table(query.table);
  const parent = sql.ref(`t.${query.parentColumn}`);
  const columns = query.columns ?? sql`t.*`;
  const extra = query.where ? sql`AND ${query.where}` : sql``;
  const join = query.join ?? sql``;
  if (query.parentIds.length === 0) return [];
  if (query.parentIds.length === 1) {
    const result = await sql<R>`SELECT ${columns} FROM ${table} t ${join}
      WHERE ${parent} = ${query.parentIds[0]} ${extra}
      ORDER BY ${query.orderBy} LIMIT ${query.limit}`.execute(db);
    return result.rows;
  }
  const result = await sql<R & { rankInParent: number }>`SELECT ${columns}, w.rn AS rankInParent FROM ${table} t
    JOIN (SELECT t.id, ROW_NUMBER() OVER (PARTITION BY ${parent} ORDER BY ${query.orderBy}) AS rn
          FROM ${table} t WHERE ${parent} IN (${sql.join(query.parentIds)}) ${extra}) w ON w.id = t.id
    ${join}
    WHERE w.rn <= ${query.limit}`.execute(db);
  return inRankOrder(result.rows, query.limit);
}

/**
 * The rows ordered by rank with a counting sort (ranks run from 1 to `limit`): each parent's
 * rows come out in its order, which is all that callers, who group by parent, rely on. For
 * 15,000 comments this takes ~0.5 ms where a comparison sort took ~5 ms.
 */
function inRankOrder<R extends { rankInParent: number }>(rows: readonly R[], limit: number): R[] {
  const next = new Array<number>(limit + 2).fill(0);
  for (const row of rows) next[Number(row.rankInParent) + 1] += 1;
  for (let rank = 1; rank <= limit + 1; rank++) next[rank] += next[rank - 1];
  // next[rank] is now where the first row of that rank goes.
  const ordered = new Array<R>(rows.length);
  for (const row of rows) ordered[next[Number(row.rankInParent)]++] = row;
  return ordered;
}
