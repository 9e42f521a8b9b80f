import { parseSeedArguments, SeedArgumentError } from '../seed/arguments';
import { createDatabaseIfMissing, migrateToLatest, openSeedDatabase } from '../seed/prepare';
import { seedDatabase, type SeedSummary } from '../seed/seed';

/**
 * `npm run seed -- --scale small|demo|bench [--reset]`: creates the database if missing, applies
 * the migrations, writes the scale's deterministic data and prints what it wrote.
 */
const defaultDatabaseUrl = 'mysql://root@127.0.0.1:3306/bridgeai';

async function main(): Promise<void> {
  const { scale, reset } = parseSeedArguments(process.argv.slice(2));
  const url = process.env.DATABASE_URL || defaultDatabaseUrl;
  await createDatabaseIfMissing(url);
  const db = openSeedDatabase(url);
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
    await db.destroy();
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
