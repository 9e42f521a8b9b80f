import { createServer, type Server } from 'node:http';
import { redisKeyPrefix } from '../redisKeyPrefix';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express, { type ErrorRequestHandler } from 'express';
import { MaxIntrospectionDepthRule } from 'graphql';
import { sql } from 'kysely';
import { buildSchema } from '../../schema/buildSchema';
import type { GraphQLContext } from '../../schema/context';
import { CursorCodec } from '../../schema/cursor';
import { LoginThrottle } from '../auth/loginThrottle';
import { createViewerCaching } from '../auth/viewerInvalidations';
import { createLiveEvents } from '../events/redisLiveEvents';
import type { Config } from '../config';
import { createDatabase, type DatabaseHandle } from '../db/database';
import { startReadRouting } from '../db/replicas/readRouting';
import { replicaStatus } from '../db/replicas/replicaSet';
import type { Logger } from '../logger';
import { createMemoryService, type MemoryService } from '../memory/memoryService';
import type { OutboxWorkerSettings } from '../memory/outboxWorker';
import { createMetrics, type Metrics } from '../observability/metrics';
import { registerReplicaMetrics } from '../observability/replicaMetrics';
import { cacheHeadersPlugin, cachePolicyPlugin, varyByAcceptAndAuthorization } from './cacheHeaders';
import { compiledExecutionGateway } from './compiledExecution';
import { apolloMiddleware } from './apolloMiddleware';
import { errorRequestIdsPlugin } from './errorRequestIds';
import { errorLoggingPlugin, formatError } from './formatError';
import { handlerChain } from './handlerChain';
import { healthRouter, type ReadinessCheck } from './health';
import { jsonBody } from './jsonBody';
import { CostBudget } from './limits/costBudget';
import { ExecutableOperationsRule } from './limits/executableOperations';
import { MAX_DOCUMENT_TOKENS, queryLimitsPlugin } from './limits/queryLimitsPlugin';
import { inFlightLimit } from './limits/inFlightLimit';
import { dropLateResponse, requestTimeout } from './limits/requestTimeout';
import { createOperationLabels, operationObserverPlugin } from './operationObserver';
import { createPersistedQueries } from './persistedQueries';
import { persistedOperations } from './persistedQueriesManifest';
import { playgroundAssets, playgroundLandingPage } from './playground';
import { requestLogging, requestRecordOf } from './requestLogging';
import { unexpectedErrors } from './unexpectedErrors';
import { outboxWakeUpPlugin } from './outboxWakeUpPlugin';
import { createContextFactory } from './requestContext';
import { queryCountPlugin } from './queryCountPlugin';
import { readRoutingPlugin } from './readRoutingPlugin';
import { startSubscriptionServer } from './subscriptions/subscriptionServer';
import { serverTimingPlugin } from './serverTiming';

/** How much longer than REQUEST_TIMEOUT_MS a statement may run (statementTimeLimit.ts). */
const STATEMENT_GRACE_MS = 500;

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly database: DatabaseHandle;
  readonly metrics: Metrics;
  readonly httpServer: Server;
  /** Semantic memory; present when config.chromaUrl is set. */
  readonly memory: MemoryService | undefined;
  /** Stops accepting, lets in-flight requests finish, then closes the pool. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  logger: Logger;
  /** Readiness checks besides MySQL's (and Chroma's, which memory adds). */
  readinessChecks?: ReadinessCheck[];
  /** Pacing of the memory outbox worker; `autoStart: false` leaves it to the caller (tests call runOnce). */
  outboxWorker?: OutboxWorkerSettings & { autoStart?: boolean };
  /**
   * Called once a mutation that writes memory has committed; by default it wakes this process's
   * outbox worker. A cluster worker that does not run the outbox passes it on to the one that does.
   */
  onMemoryWritten?: () => void;
  /**
   * Given this process's metrics as soon as they exist, returns what GET /metrics answers; by
   * default their text. A cluster worker answers with the whole cluster's (clusterMetrics.ts).
   */
  metricsText?: (metrics: Metrics) => () => Promise<string>;
}

/**
 * Starts the HTTP server: POST/GET /graphql (Apollo Server), the health endpoints and /metrics.
 * Listens on config.host:config.port (port 0 picks a free one).
 */
export async function startServer(config: Config, options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const persistedQueries = await createPersistedQueries(config, logger);
  const viewers = await createViewerCaching(config, logger);
  const liveEvents = await createLiveEvents(config, logger);
  // No statement outlives the longest a request may take by more than a grace: the request's own
  // timeout answers first (HTTP 503), and the statement stops right after, not with it (a race).
  const statementTimeoutMs = config.requestTimeoutMs + STATEMENT_GRACE_MS;
  const database = createDatabase(config.databaseUrl, config.pool, { statementTimeoutMs });
  const metrics = createMetrics();
  const metricsText = options.metricsText?.(metrics) ?? (() => metrics.metricsText());
  metrics.observePool(() => {
    const stats = database.pool.stats();
    return { size: stats.poolSize + stats.maxOverflow, checkedOut: stats.checkedOut, waiting: stats.waiting };
  });
  database.pool.onAcquireWait((ms) => metrics.dbPoolAcquireWait.observe(ms / 1000));
  // Semantic memory only with a Chroma to talk to; most tests run without it.
  const worker = { batchSize: config.memoryOutboxBatchSize, ...options.outboxWorker };
  const memory = config.chromaUrl ? await startMemory(config, config.chromaUrl, database, { logger, metrics, worker }) : undefined;
  // After memory, whose failure to start closes the primary's pool: the replicas' would stay open.
  const readRouting = config.replicas
    ? await startReadRouting(database, config.replicas, {
        statementTimeoutMs,
        onFallback: (replica) => replicaMetrics?.fallbacks.inc({ replica: replica.name }),
      })
    : undefined;
  const replicaStatuses = readRouting && (() => readRouting.replicas.replicas.map(replicaStatus));
  const replicaMetrics = replicaStatuses && registerReplicaMetrics(metrics.registry, replicaStatuses);
  const operationLabel = createOperationLabels();
  const loginThrottle = new LoginThrottle({
    redisUrl: config.redisUrl,
    keyPrefix: redisKeyPrefix(config.databaseUrl),
    logger,
    onFailure: () => metrics.loginFailures.inc(),
    onRefused: () => metrics.requestsShed.inc(),
  });

  const app = express();
  app.disable('x-powered-by');
  // No ETag: Express would hash every response body (2.7 MB for a page of 15,000 comments) to
  // serve conditional GETs, which only anonymous GET queries could use; those get max-age instead.
  app.set('etag', false);
  // req.ip (login throttling, logs) is the client's address only once the proxies in front are known.
  if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
  const httpServer = createServer(app);

  const schema = buildSchema();
  const apollo = new ApolloServer<GraphQLContext>({
    ...(config.graphqlExecution === 'compiled' ? { gateway: compiledExecutionGateway(schema) } : { schema }),
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: persistedQueries.apolloOptions,
    includeStacktraceInErrorResponses: false,
    // Signals belong to installGracefulShutdown (src/cli/start.ts); Apollo's own handler would stop
    // the server and re-raise the signal, which the handler takes for a second, "exit now" one.
    stopOnTerminationSignals: false,
    formatError,
    // Our limits leave introspection to graphql-js's own bound on its nesting.
    validationRules: [MaxIntrospectionDepthRule, ExecutableOperationsRule],
    // Parsing and validating a huge document costs seconds of CPU before any limit could look at it.
    parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      playgroundLandingPage(),
      errorLoggingPlugin(logger),
      errorRequestIdsPlugin(),
      cachePolicyPlugin(),
      cacheHeadersPlugin(),
      serverTimingPlugin(),
      ...(memory ? [outboxWakeUpPlugin(options.onMemoryWritten ? { notify: options.onMemoryWritten } : memory.worker)] : []),
      queryLimitsPlugin({
        maxDepth: config.maxQueryDepth,
        maxCost: config.maxQueryCost,
        maxAliases: config.maxQueryAliases,
        maxRootFields: config.maxQueryRootFields,
        costBudget: new CostBudget(config.maxCostInFlight),
      }),
      operationObserverPlugin({ metrics, logger, slowOperationMs: config.slowOperationMs, operationLabel }),
      ...(readRouting ? [readRoutingPlugin(readRouting.writePositions)] : []),
      queryCountPlugin({
        exposeToClient: !config.isProduction,
        observe: (count, operationName) =>
          metrics.sqlStatementsPerRequest.observe({ operation_name: operationLabel(operationName) }, count),
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
    loginThrottle,
    viewerCache: viewers.cache,
    viewerInvalidations: viewers.invalidations,
    liveEvents,
    memory,
    readRouting,
  });
  const subscriptions = startSubscriptionServer({
    httpServer,
    schema,
    createContext,
    config,
    limits: { maxDepth: config.maxQueryDepth, maxCost: config.maxQueryCost, maxAliases: config.maxQueryAliases, maxRootFields: config.maxQueryRootFields },
    manifest: persistedOperations,
    metrics,
    logger,
  });

  app.use(requestLogging(logger));
  app.use((req, res, next) => {
    const end = metrics.httpRequestDuration.startTimer({ method: req.method });
    // Read before routing: inside app.use('/graphql', …) Express shows req.path without the mount path.
    const path = req.path;
    res.on('finish', () => end({ route: req.route?.path ?? routeOf(path), status: String(res.statusCode) }));
    next();
  });
  // /graphql first: most requests are GraphQL, and Express tries each layer in order.
  app.use(
    '/graphql',
    handlerChain(
      requestTimeout({ timeoutMs: config.requestTimeoutMs, logger }),
      inFlightLimit({ maxInFlight: config.maxInFlight, maxQueued: config.maxQueued, onShed: () => metrics.requestsShed.inc() }),
      jsonBody({ limit: config.maxBodyBytes, types: ['application/json', 'application/graphql-response+json'] }),
      varyByAcceptAndAuthorization,
      persistedQueries.gate,
      apolloMiddleware(apollo, (req, res) =>
        createContext(req.headers, { requestId: requestRecordOf(res)?.id ?? '', clientAddress: req.ip ?? 'unknown' }),
      ),
    ),
  );
  app.use(
    healthRouter({
      checks: [
        { name: 'mysql', check: async () => void (await sql`SELECT 1`.execute(database.db)) },
        ...(memory ? [{ name: 'chroma', check: () => memory.store.heartbeat() }] : []),
        ...(options.readinessChecks ?? []),
      ],
      poolStats: () => database.pool.stats(),
      replicas: replicaStatuses,
      details: memory && (async () => ({ memory: { pending: await memory.worker.pending(), backlog: memory.worker.backlogProgress() ?? null } })),
    }),
  );
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metricsText());
  });
  app.use(playgroundAssets());
  app.use(dropLateResponse, bodyErrors, unexpectedErrors(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url }, 'listening');
  if (memory && options.outboxWorker?.autoStart !== false) memory.worker.start();

  return {
    url,
    port,
    database,
    metrics,
    httpServer,
    memory,
    async stop() {
      await subscriptions.close();
      await apollo.stop();
      // Finishes the outbox batch in flight before the pool closes.
      await memory?.worker.stop();
      await memory?.close();
      await readRouting?.stop();
      await database.destroy();
      await loginThrottle.close();
      await viewers.invalidations.close();
      await liveEvents.close();
      await persistedQueries.close();
    },
  };
}

/** The process's embedder, Chroma store and outbox worker; the pool is closed if the model fails to load. */
async function startMemory(
  config: Config,
  chromaUrl: string,
  database: DatabaseHandle,
  options: { logger: Logger; metrics: Metrics; worker: OutboxWorkerSettings | undefined },
): Promise<MemoryService> {
  const { embeddingModel, embeddingModelDir, databaseUrl } = config;
  try {
    return await createMemoryService({ chromaUrl, databaseUrl, embeddingModel, embeddingModelDir, db: database.db, ...options });
  } catch (error) {
    await database.destroy();
    throw error;
  }
}

/** Known paths keep their name in metrics; anything else is one label, so labels stay bounded. */
function routeOf(path: string): string {
  return ['/graphql', '/health', '/health/ready', '/health/database', '/metrics'].includes(path) ? path : 'other';
}

/** Body parser failures as GraphQL-shaped errors: 413 for an oversized body, 400 for malformed JSON. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { status?: number }).status;
  const extensions = { code: 'BAD_USER_INPUT', requestId: requestRecordOf(res)?.id };
  if (status === 413) {
    res.status(413).json({ errors: [{ message: 'The request body is too large.', extensions }] });
  } else if (status === 400) {
    res.status(400).json({ errors: [{ message: 'The request body is not valid JSON.', extensions }] });
  } else {
    next(error);
  }
};
