import { sql, type Kysely } from 'kysely';
import { escape } from 'mysql2';
import type { SeededTable } from './seededTables';

/** A value as written into an INSERT: numbers, strings (DATETIME as `toSqlDateTime` text) and NULL. */
export type SqlValue = string | number | null;

/** The rows of one table, produced lazily so that the biggest tables never sit in memory whole. */
export interface TableRows {
  readonly table: SeededTable;
  readonly columns: readonly string[];
  readonly rows: () => Iterable<readonly SqlValue[]>;
}

export interface ChunkLimits {
  /** Rows per INSERT statement. */
  readonly rows: number;
  /** Characters per statement, far below max_allowed_packet (16 MiB by default). */
  readonly characters: number;
}

const defaultLimits: ChunkLimits = Object.freeze({ rows: 5_000, characters: 2_000_000 });

/**
 * Writes `source` as multi-row INSERTs, each at most `limits` large:
 *
 *     INSERT INTO `comments` (`id`, `crs_id`, …) VALUES (1, 1, …), (2, 1, …), …
 *
 * Values are inlined as escaped literals, not bound, because a statement of thousands of rows
 * would otherwise carry tens of thousands of parameters. One statement is in flight while the
 * next is generated, so the database and the generator work at the same time.
 * Returns the number of rows written. `connection` should be a single connection (inside
 * `db.connection().execute`), so that the caller's session settings and transaction apply.
 */
export async function insertRows(connection: Kysely<any>, source: TableRows, limits = defaultLimits): Promise<number> {
  const head = `INSERT INTO ${escapeId(source.table)} (${source.columns.map(escapeId).join(', ')}) VALUES `;
  let tuples: string[] = [];
  let characters = head.length;
  let inFlight: Promise<unknown> | undefined;
  let written = 0;

  const send = async (): Promise<void> => {
    const statement = head + tuples.join(', ');
    tuples = [];
    characters = head.length;
    if (inFlight) await inFlight;
    const execution = sql.raw(statement).execute(connection);
    execution.catch(() => undefined);
    inFlight = execution;
    // Let the driver put the statement on the wire before the next chunk is generated.
    await new Promise((resolve) => setImmediate(resolve));
  };

  for (const row of source.rows()) {
    if (row.length !== source.columns.length) {
      throw new Error(`${source.table}: a row has ${row.length} values for ${source.columns.length} columns`);
    }
    const tuple = `(${row.map(literal).join(', ')})`;
    if (tuples.length > 0 && (tuples.length >= limits.rows || characters + tuple.length + 2 > limits.characters)) {
      await send();
    }
    tuples.push(tuple);
    characters += tuple.length + 2;
    written += 1;
  }
  if (tuples.length > 0) await send();
  if (inFlight) await inFlight;
  return written;
}

function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} to SQL`);
    return String(value);
  }
  return escape(value);
}

function escapeId(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}
