import 'dotenv/config';
import { ConfigError, loadConfig, type Config } from '../config';
import { createDatabase } from '../db/database';
import { ensureDatabase } from '../db/ensureDatabase';
import { migrateToLatest } from '../db/migrate';
import { startServer } from '../http/server';
import { installGracefulShutdown } from '../http/shutdown';
import { createLogger, type Logger } from '../logger';
import { useEmbeddedChroma } from '../memory/embeddedChroma';
import { enqueueAllMemory } from '../memory/reindex';
import { isDatabaseEmpty, seedDatabase } from '../seed/seed';

/**
 * `npm start`: creates the database if missing, applies pending migrations, seeds the demo data
 * into an empty database (and queues it for semantic memory), and serves the API until SIGTERM
 * or SIGINT. Without CHROMA_URL it runs its own Chroma server over ./.data/chroma and stops it
 * on the way out.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);

  const chroma = config.chromaUrl ? undefined : await useEmbeddedChroma();
  if (chroma) logger.info({ url: chroma.url, startedHere: chroma.startedHere }, 'embedded Chroma ready');
  try {
    await prepareDatabase(config, logger);
    const server = await startServer(chroma ? { ...config, chromaUrl: chroma.url } : config, { logger });
    installGracefulShutdown({
      stop: async () => {
        await server.stop();
        await chroma?.stop();
      },
      logger,
      drainTimeoutMs: config.shutdownTimeoutMs,
    });
  } catch (error) {
    await chroma?.stop();
    throw error;
  }
}

/** Creates, migrates and (when empty) seeds the database, and queues unindexed data for memory. */
async function prepareDatabase(config: Config, logger: Logger): Promise<void> {
  await ensureDatabase(config.databaseUrl);
  const setup = createDatabase(config.databaseUrl, { ...config.pool, size: 1, maxOverflow: 0 });
  try {
    const { results = [] } = await migrateToLatest(setup.db);
    for (const result of results) logger.info({ migration: result.migrationName }, 'migration applied');
    if (await isDatabaseEmpty(setup.db)) {
      const summary = await seedDatabase(setup.db, { scale: 'demo' });
      logger.info({ rows: summary.totalRows, ms: Math.round(summary.milliseconds) }, 'demo data seeded');
    }
    // Seeded data (here or by `npm run seed`) bypassed the write path and its outbox: queue it
    // once, and the outbox worker embeds it in the background while the server serves.
    if (!(await setup.db.selectFrom('aiMemoryIndex').select('id').limit(1).executeTakeFirst())) {
      const queued = await enqueueAllMemory(setup.db);
      if (queued > 0) logger.info({ memories: queued }, 'existing data queued for semantic memory');
    }
  } finally {
    await setup.destroy();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`Invalid configuration: ${error.message}`);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
