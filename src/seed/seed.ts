import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { insertRows } from './bulkInsert';
import { demoAccount } from './generators/people';
import { seededPasswordHash } from './password';
import type { ScaleName } from './scales';
import { firstNonEmptyTable, seededTables, truncateSeededTables, type SeededTable } from './seededTables';
import { planWorld, worldRows } from './world';

export { isDatabaseEmpty } from './seededTables';

export interface SeedOptions {
  readonly scale: ScaleName;
  /** Empty every seeded table first; without it a database that holds rows is refused. */
  readonly reset?: boolean;
  /** Called after each table is written, e.g. to show progress. */
  readonly onTableSeeded?: (table: SeededTable, rows: number, milliseconds: number) => void;
}

export interface SeedSummary {
  readonly scale: ScaleName;
  /** Rows written per table (ai_memory_index is left to the indexer: always 0). */
  readonly rows: Readonly<Record<SeededTable, number>>;
  readonly totalRows: number;
  readonly milliseconds: number;
}

/** Seeding refuses to add rows to a database that already has some, unless asked to reset it. */
export class DatabaseNotEmptyError extends Error {
  override name = 'DatabaseNotEmptyError';

  constructor(readonly table: SeededTable) {
    super(`the database is not empty (table ${table} has rows); seed with reset (--reset) to replace its data`);
  }
}

/**
 * Fills the migrated database with the deterministic data of `scale`: the same scale writes the
 * same rows, byte for byte. All rows go in one transaction, so a failed seed leaves the tables
 * as empty as it found them, with foreign-key and unique checks off during the load (every key is
 * computed, and unique by construction) and restored afterwards.
 */
export async function seedDatabase(db: Kysely<any>, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  if (options.reset) {
    await truncateSeededTables(db);
  } else {
    const table = await firstNonEmptyTable(db);
    if (table !== undefined) throw new DatabaseNotEmptyError(table);
  }

  const world = planWorld(options.scale);
  const sources = worldRows(world, await seededPasswordHash(demoAccount.password));
  const rows = Object.fromEntries(seededTables.map((table) => [table, 0])) as Record<SeededTable, number>;

  await db.connection().execute(async (connection) => {
    const { rows: saved } = await sql<{ fkchecks: number; uniquechecks: number }>`
      SELECT @@foreign_key_checks AS fkchecks, @@unique_checks AS uniquechecks`.execute(connection);
    await sql`SET foreign_key_checks = 0, unique_checks = 0`.execute(connection);
    try {
      await sql`START TRANSACTION`.execute(connection);
      try {
        for (const source of sources) {
          const tableStarted = performance.now();
          rows[source.table] = await insertRows(connection, source);
          options.onTableSeeded?.(source.table, rows[source.table], performance.now() - tableStarted);
        }
        await sql`COMMIT`.execute(connection);
      } catch (error) {
        // The load's own error is the one worth reporting, not a failed rollback after it.
        await sql`ROLLBACK`.execute(connection).catch(() => undefined);
        throw error;
      }
    } finally {
      const previous = saved[0];
      await sql`SET foreign_key_checks = ${sql.lit(previous?.fkchecks ?? 1)},
        unique_checks = ${sql.lit(previous?.uniquechecks ?? 1)}`.execute(connection);
    }
  });

  const totalRows = Object.values(rows).reduce((sum, count) => sum + count, 0);
  return { scale: options.scale, rows, totalRows, milliseconds: Math.round(performance.now() - started) };
}
