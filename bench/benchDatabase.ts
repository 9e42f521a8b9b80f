import { sql } from 'kysely';
import { createDatabase, type DatabaseHandle } from '../src/db/database';
import { ensureDatabase } from '../src/db/ensureDatabase';
import { migrateToLatest } from '../src/db/migrate';
import { enqueueAllMemory } from '../src/memory/reindex';
import type { ScaleName } from '../src/seed/scales';
import { seedDatabase } from '../src/seed/seed';
import { seededTables } from '../src/seed/seededTables';

/** A small pool for the bench's own statements (seeding runs on one connection). */
export function openBenchDatabase(url: string): DatabaseHandle {
  return createDatabase(url, { size: 2, maxOverflow: 0, timeoutMs: 600_000, recycleMs: 3_600_000, prePing: false });
}

export interface PreparedDatabase {
  /** False when the database was complete already and reused. */
  readonly seeded: boolean;
  readonly rows: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/**
 * Makes `url` hold the deterministic data of `scale`: migrated to the latest version, and seeded
 * (with its semantic memory marked up to date, see markMemoryIndexed) unless its marker (table `bench_seed_marker`: the scale and the row count of every seeded
 * table, written after a successful seed) matches the rows the tables hold now. Any mismatch
 * (another scale, rows written by a test run, a new seeded table, an interrupted seed) re-seeds
 * from scratch.
 */
export async function prepareBenchDatabase(
  url: string,
  scale: ScaleName,
  options: { reseed: boolean; log: (line: string) => void },
): Promise<PreparedDatabase> {
  const started = Date.now();
  await ensureDatabase(url);
  const handle = openBenchDatabase(url);
  try {
    await migrateToLatest(handle.db);
    const current = await countRows(handle);
    if (!options.reseed && (await markerMatches(handle, scale, current))) {
      return { seeded: false, rows: current, seconds: (Date.now() - started) / 1000 };
    }
    options.log(`seeding scale ${scale} into ${new URL(url).pathname.slice(1)} (about 90 s for bench, once)…`);
    await sql`DROP TABLE IF EXISTS bench_seed_marker`.execute(handle.db);
    await seedDatabase(handle.db, { scale, reset: true });
    await markMemoryIndexed(handle);
    const rows = await countRows(handle);
    await sql`CREATE TABLE bench_seed_marker (scale VARCHAR(16) NOT NULL, row_counts TEXT NOT NULL,
      seeded_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)`.execute(handle.db);
    await sql`INSERT INTO bench_seed_marker (scale, row_counts) VALUES (${scale}, ${JSON.stringify(rows)})`.execute(handle.db);
    return { seeded: true, rows, seconds: (Date.now() - started) / 1000 };
  } finally {
    await handle.destroy();
  }
}

/**
 * Records every CRS document, comment and message as already indexed in ai_memory_index, as in a
 * deployment whose semantic memory is up to date. Otherwise `npm start` would queue the whole
 * seeded data set for embedding (900,000 memories at the bench scale) and its outbox worker
 * would embed in the background during every load test. No vectors are written: the bench's
 * scenarios do not search memory.
 */
async function markMemoryIndexed(handle: DatabaseHandle): Promise<void> {
  await enqueueAllMemory(handle.db, { pageSize: 5_000 });
  await sql`UPDATE ai_memory_index SET status = 'indexed' WHERE status = 'pending'`.execute(handle.db);
}

async function countRows(handle: DatabaseHandle): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of seededTables) {
    const result = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`.execute(handle.db);
    rows[table] = Number(result.rows[0]?.n ?? 0);
  }
  return rows;
}

async function markerMatches(handle: DatabaseHandle, scale: ScaleName, current: Record<string, number>): Promise<boolean> {
  let marker: { scale: string; rowCounts: string } | undefined;
  try {
    const result = await sql<{ scale: string; rowCounts: string }>`SELECT scale, row_counts FROM bench_seed_marker`.execute(handle.db);
    if (result.rows.length !== 1) return false;
    marker = result.rows[0];
  } catch {
    return false;
  }
  if (!marker || marker.scale !== scale) return false;
  const recorded = JSON.parse(marker.rowCounts) as Record<string, number>;
  const tables = Object.keys(current);
  return tables.length === Object.keys(recorded).length && tables.every((table) => recorded[table] === current[table]);
}
