import 'dotenv/config';
import { parseSeedArguments, SeedArgumentError } from '../seed/arguments';
import { loadConfig } from '../config';
import { createDatabase } from '../db/database';
import { ensureDatabase } from '../db/ensureDatabase';
import { migrateToLatest } from '../db/migrate';
import { seedDatabase, type SeedSummary } from '../seed/seed';

/**
 * `npm run seed -- --scale small|demo|bench [--reset]`: creates the database if missing, applies
 * the migrations, writes the scale's deterministic data and prints what it wrote.
 */
async function main(): Promise<void> {
  const { scale, reset } = parseSeedArguments(process.argv.slice(2));
  const config = loadConfig();
  const url = config.databaseUrl;
  await ensureDatabase(url);
  const { db, destroy } = createDatabase(url, { ...config.pool, size: 1, maxOverflow: 0 });
  try {
    await migrateToLatest(db);
    console.log(`seeding scale ${scale} into ${redact(url)}${reset ? ' (reset)' : ''}`);
    const summary = await seedDatabase(db, {
      scale,
      reset,
      onTableSeeded: (table, rows, ms) => console.log(`  ${table.padEnd(16)} ${String(rows).padStart(9)} rows  ${seconds(ms)}`),
    });
    console.log(describe(summary));
  } finally {
    await destroy();
  }
}

function describe(summary: SeedSummary): string {
  return `seeded ${summary.totalRows} rows (scale ${summary.scale}) in ${seconds(summary.milliseconds)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The URL without its password, fit for a log line. */
function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`seed: ${message.split('\n')[0]}`);
  process.exitCode = error instanceof SeedArgumentError ? 2 : 1;
});
