import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler } from 'express';
import { sql } from 'kysely';
import { buildSchema } from '../../schema/buildSchema';
import type { GraphQLContext } from '../../schema/context';
import { CursorCodec } from '../../schema/cursor';
import type { Config } from '../config';
import { createDatabase, type DatabaseHandle } from '../db/database';
import type { Logger } from '../logger';
import { createMetrics, type Metrics } from '../observability/metrics';
import { createFormatError } from './formatError';
import { healthRouter, type ReadinessCheck } from './health';
import { createContextFactory } from './requestContext';
import { queryCountPlugin } from './queryCountPlugin';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly database: DatabaseHandle;
  readonly metrics: Metrics;
  readonly httpServer: Server;
  /** Stops accepting, lets in-flight requests finish, then closes the pool. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  logger: Logger;
  /** Readiness checks besides MySQL's (e.g. Chroma). */
  readinessChecks?: ReadinessCheck[];
}

/**
 * Starts the HTTP server: POST/GET /graphql (Apollo Server), the health endpoints and /metrics.
 * Listens on config.host:config.port (port 0 picks a free one).
 */
export async function startServer(config: Config, options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const database = createDatabase(config.databaseUrl, config.pool);
  const metrics = createMetrics();
  metrics.observePool(() => {
    const stats = database.pool.stats();
    return { size: stats.poolSize + stats.maxOverflow, checkedOut: stats.checkedOut, waiting: stats.waiting };
  });
  database.pool.onAcquireWait((ms) => metrics.dbPoolAcquireWait.observe(ms / 1000));

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);

  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(),
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: createFormatError(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      queryCountPlugin({
        exposeToClient: !config.isProduction,
        observe: (count, operationName) =>
          metrics.sqlStatementsPerRequest.observe({ operation_name: operationName ?? 'anonymous' }, count),
      }),
    ],
  });
  await apollo.start();

  const createContext = createContextFactory({
    db: database.db,
    jwtSecret: config.jwtSecret,
    cursors: new CursorCodec(config.jwtSecret),
    useOptimizedQueries: config.useOptimizedQueries,
    onLoaderBatch: (loader, size) => metrics.dataloaderBatchSize.observe({ loader }, size),
  });

  app.use((req, res, next) => {
    const end = metrics.httpRequestDuration.startTimer({ method: req.method });
    res.on('finish', () => end({ route: req.route?.path ?? routeOf(req.path), status: String(res.statusCode) }));
    next();
  });
  app.use(
    healthRouter({
      checks: [
        { name: 'mysql', check: async () => void (await sql`SELECT 1`.execute(database.db)) },
        ...(options.readinessChecks ?? []),
      ],
      poolStats: () => database.pool.stats(),
    }),
  );
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metricsText());
  });
  app.use(
    '/graphql',
    express.json({ limit: config.maxBodyBytes, type: ['application/json', 'application/graphql-response+json'] }),
    expressMiddleware(apollo, { context: async ({ req }) => createContext(req.headers) }),
  );
  app.use(bodyErrors);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url }, 'listening');

  return {
    url,
    port,
    database,
    metrics,
    httpServer,
    async stop() {
      await apollo.stop();
      await database.destroy();
    },
  };
}

/** Known paths keep their name in metrics; anything else is one label, so labels stay bounded. */
function routeOf(path: string): string {
  return ['/graphql', '/health', '/health/ready', '/health/database', '/metrics'].includes(path) ? path : 'other';
}

/** Body parser failures as GraphQL-shaped errors: 413 for an oversized body, 400 for malformed JSON. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { status?: number }).status;
  if (status === 413) {
    res.status(413).json({ errors: [{ message: 'The request body is too large.', extensions: { code: 'BAD_USER_INPUT' } }] });
  } else if (status === 400) {
    res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_USER_INPUT' } }] });
  } else {
    next(error);
  }
};
