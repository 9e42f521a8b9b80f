import 'dotenv/config';
import cluster from 'node:cluster';
import { ConfigError, loadConfig, type Config } from '../config';
import { checkConnectionBudget } from '../db/connectionBudget';
import { createDatabase } from '../db/database';
import { ensureDatabase } from '../db/ensureDatabase';
import { migrateToLatest } from '../db/migrate';
import { startServer } from '../http/server';
import { CLOSE_ALLOWANCE_MS, installGracefulShutdown } from '../http/shutdown';
import { createLogger, type Logger } from '../logger';
import { useEmbeddedChroma } from '../memory/embeddedChroma';
import { enqueueAllMemory } from '../memory/reindex';
import { isDatabaseEmpty, seedDatabase } from '../seed/seed';
import { startCluster, WorkerStartError } from './clusterPrimary';
import { serveAsClusterWorker } from './clusterWorker';

/**
 * `npm start`: creates the database if missing, applies pending migrations, seeds the demo data
 * into an empty database (and queues it for semantic memory), and serves the API until SIGTERM
 * or SIGINT. Without CHROMA_URL it uses the Chroma server over ./.data/chroma that the commands
 * in this folder share (embeddedChroma.ts): started by the first, stopped by the last to leave. With WEB_CONCURRENCY > 1 this process does that one-time work and then forks
 * the workers that serve (clusterPrimary.ts); each of them runs this file again as a worker.
 */
async function main(): Promise<void> {
  if (cluster.isWorker) {
    await serveAsClusterWorker();
    return;
  }
  const config = loadConfig();
  const logger = config.webConcurrency > 1 ? createLogger(config.logLevel).child({ role: 'primary' }) : createLogger(config.logLevel);

  const chroma = config.chromaUrl ? undefined : await useEmbeddedChroma();
  if (chroma) {
    logger.info(
      { url: chroma.url, startedHere: chroma.startedHere },
      chroma.startedHere ? 'embedded Chroma ready' : 'embedded Chroma ready: joined the one another command in this folder started',
    );
  }
  const leaveChroma = async () => {
    if (!chroma) return;
    const { stopped, otherUsers } = await chroma.stop();
    logger.info({ otherUsers }, stopped ? 'embedded Chroma stopped' : 'embedded Chroma left running for the other commands using it');
  };
  try {
    await prepareDatabase(config, logger);
    const serverConfig = chroma ? { ...config, chromaUrl: chroma.url } : config;
    if (config.webConcurrency > 1) {
      const workers = startCluster(serverConfig, logger);
      installGracefulShutdown({
        stop: async () => {
          try {
            await workers.stop();
          } finally {
            await leaveChroma();
          }
        },
        logger,
        // The workers' drain and the time each has to close its pool, which the primary waits for.
        drainTimeoutMs: config.shutdownTimeoutMs + CLOSE_ALLOWANCE_MS,
      });
      await workers.failed;
      return;
    }
    const server = await startServer(serverConfig, { logger });
    installGracefulShutdown({
      stop: async () => {
        await server.stop();
        await leaveChroma();
      },
      logger,
      drainTimeoutMs: config.shutdownTimeoutMs,
    });
  } catch (error) {
    await leaveChroma();
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
    await checkConnectionBudget(setup.db, config.webConcurrency, config.pool, logger);
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
  } else if (error instanceof WorkerStartError) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
