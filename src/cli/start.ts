import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { createDatabase } from '../db/database';
import { ensureDatabase } from '../db/ensureDatabase';
import { migrateToLatest } from '../db/migrate';
import { startServer } from '../http/server';
import { createLogger } from '../logger';
import { isDatabaseEmpty, seedDatabase } from '../seed/seed';

/**
 * `npm start`: creates the database if missing, applies pending migrations, seeds the demo data
 * into an empty database, and serves the API until SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  await ensureDatabase(config.databaseUrl);
  const setup = createDatabase(config.databaseUrl, { ...config.pool, size: 1, maxOverflow: 0 });
  try {
    const { results = [] } = await migrateToLatest(setup.db);
    for (const result of results) logger.info({ migration: result.migrationName }, 'migration applied');
    if (await isDatabaseEmpty(setup.db)) {
      const summary = await seedDatabase(setup.db, { scale: 'demo' });
      logger.info({ rows: summary.totalRows, ms: Math.round(summary.milliseconds) }, 'demo data seeded');
    }
  } finally {
    await setup.destroy();
  }

  const server = await startServer(config, { logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Invalid configuration: ${error.message}`);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
