/**
 * Prometheus metric definitions for bridgeai-graphql (DESIGN.md "Observability").
 *
 * This module only *defines* metrics. Recording happens elsewhere (HTTP middleware,
 * GraphQL plugin, DB layer, loaders, Chroma/embedding clients, outbox worker, auth,
 * load shedding). Alert rules that use these names live in `ops/alerts.rules.yml`;
 * `tests/integration/alertRules.test.ts` fails if a rule references a name that is not
 * defined here, so rename metrics in both places.
 *
 * Every call to {@link createMetrics} builds its own {@link Registry} (never prom-client's
 * global `register`), so tests and multiple app instances in one process do not collide.
 *
 * Under a cluster (WEB_CONCURRENCY > 1) /metrics shows every worker's registry merged by
 * prom-client's AggregatorRegistry (clusterMetrics.ts): each family says how with its
 * `aggregator`. Counters and histograms add up (the default); gauges say which figure is the
 * cluster's.
 */
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

/** Prefix of every application metric family. */
export const METRIC_PREFIX = 'bridgeai_';

/** The histogram of SQL statements per GraphQL request (read by `npm run db:report -- --url`). */
export const SQL_STATEMENTS_PER_REQUEST = `${METRIC_PREFIX}sql_statements_per_request`;

/** Latency buckets (seconds) for request/operation durations; 0.2 s is the p95 alert threshold. */
const REQUEST_DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.75, 1, 2.5, 5, 10,
];
/** SQL statements executed while serving one GraphQL request (alert threshold: average > 10). */
const SQL_STATEMENT_BUCKETS = [0, 1, 2, 3, 5, 8, 10, 15, 20, 50, 100, 500];
/** Time spent waiting for a pool connection (seconds). */
const POOL_ACQUIRE_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Keys per DataLoader batch. */
const DATALOADER_BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/** Chroma HTTP calls (seconds). */
const CHROMA_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Local embedding model inference (seconds); CPU inference can be slow. */
const EMBEDDING_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Texts per embedding call. */
const EMBEDDING_BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Snapshot of the database connection pool, supplied by the server at scrape time. */
export interface PoolStats {
  /** Maximum number of connections the pool may hold (e.g. mysql2 `connectionLimit`). */
  size: number;
  /** Connections currently lent out to callers. */
  checkedOut: number;
  /** Callers queued waiting for a connection. */
  waiting: number;
}

/** Called on every scrape; may be async (e.g. a COUNT query for the outbox backlog). */
export type PoolStatsProvider = () => PoolStats | Promise<PoolStats>;
export type BacklogProvider = () => number | Promise<number>;

export interface CreateMetricsOptions {
  /**
   * Register prom-client's default process/Node.js metrics (`process_*`, `nodejs_*`)
   * on the registry. Default: true.
   */
  defaultMetrics?: boolean;
}

export interface Metrics {
  /** The registry holding every family below (plus default process metrics). */
  readonly registry: Registry;
  /** Content-Type header value for the `/metrics` response. */
  readonly contentType: string;
  /** Prometheus text exposition of the registry (runs the scrape-time callbacks). */
  metricsText(): Promise<string>;

  /**
   * Register the callback read at scrape time for the `db_pool_*` gauges.
   * Replaces a previously registered callback; `undefined` unregisters it
   * (the gauges then keep their last values).
   */
  observePool(provider: PoolStatsProvider | undefined): void;
  /**
   * Register the callback read at scrape time for `bridgeai_memory_outbox_backlog`.
   * Replaces a previously registered callback; `undefined` unregisters it.
   */
  observeOutboxBacklog(provider: BacklogProvider | undefined): void;

  /**
   * `bridgeai_http_request_duration_seconds` — wall time of each HTTP request, from arrival
   * to response finish, by matched route (template, not raw URL), method and status code.
   * Alerts: BridgeAIHighRequestLatencyP95 (p95 > 200 ms for 10m) and BridgeAIHighErrorRatio
   * (5xx share of `_count` > 1% for 5m).
   */
  readonly httpRequestDuration: Histogram<'route' | 'method' | 'status'>;
  /**
   * `bridgeai_graphql_operation_duration_seconds` — execution time of each GraphQL operation
   * by operation name, type (`query` / `mutation`) and outcome (`ok` / `error`).
   * Alerts: none (used to find which operation drives BridgeAIHighRequestLatencyP95).
   */
  readonly graphqlOperationDuration: Histogram<'operation_name' | 'operation_type' | 'outcome'>;
  /**
   * `bridgeai_sql_statements_per_request` — number of SQL statements executed while serving one
   * GraphQL operation, by operation name (observe once per request, at its end).
   * Alert: BridgeAIHighSqlStatementsPerRequest (average > 10 for 5m, possible N+1).
   */
  readonly sqlStatementsPerRequest: Histogram<'operation_name'>;

  /**
   * `bridgeai_db_pool_size` — maximum connections of the DB pool (read at scrape time from
   * {@link Metrics.observePool}). Alerts: none (context for the utilization alerts).
   */
  readonly dbPoolSize: Gauge;
  /**
   * `bridgeai_db_pool_checked_out` — connections currently in use (scrape-time callback).
   * Alerts: none (context for the utilization alerts).
   */
  readonly dbPoolCheckedOut: Gauge;
  /**
   * `bridgeai_db_pool_waiting` — requests queued for a connection (scrape-time callback).
   * Alerts: none (context for the utilization alerts).
   */
  readonly dbPoolWaiting: Gauge;
  /**
   * `bridgeai_db_pool_utilization_ratio` — checked_out / size, 0..1 (scrape-time callback).
   * Alerts: BridgeAIDatabasePoolWarning (> 0.8 for 5m), BridgeAIDatabasePoolCritical
   * (> 0.95 for 2m).
   */
  readonly dbPoolUtilization: Gauge;
  /**
   * `bridgeai_db_pool_acquire_wait_seconds` — time a caller waited to obtain a pool connection.
   * Alerts: none (explains latency when the pool alerts fire).
   */
  readonly dbPoolAcquireWait: Histogram;

  /**
   * `bridgeai_dataloader_batch_size` — keys per DataLoader batch function call, by loader name.
   * Alerts: none (batch size 1 everywhere while SQL/request is high points at a missing loader).
   */
  readonly dataloaderBatchSize: Histogram<'loader'>;

  /**
   * `bridgeai_chroma_request_duration_seconds` — latency of calls to Chroma by operation
   * (`upsert` / `query` / `delete` / `heartbeat`). Alerts: none.
   */
  readonly chromaRequestDuration: Histogram<'operation'>;
  /**
   * `bridgeai_embedding_duration_seconds` — time to compute one batch of embeddings, by model.
   * Alerts: none.
   */
  readonly embeddingDuration: Histogram<'model'>;
  /** `bridgeai_embedding_batch_size` — texts per embedding call. Alerts: none. */
  readonly embeddingBatchSize: Histogram;

  /**
   * `bridgeai_memory_outbox_backlog` — pending rows in the semantic-memory outbox (not yet
   * indexed in Chroma), read at scrape time from {@link Metrics.observeOutboxBacklog}.
   * Alerts: BridgeAIOutboxBacklogHigh (> 1000 for 15m), BridgeAIOutboxBacklogGrowing.
   */
  readonly memoryOutboxBacklog: Gauge;
  /**
   * `bridgeai_memory_outbox_failures_total` — outbox entries whose processing attempt failed.
   * Alerts: none directly (check it when the outbox backlog alerts fire).
   */
  readonly memoryOutboxFailures: Counter;
  /**
   * `bridgeai_memory_outbox_indexed_total` — outbox entries indexed (or removed with their gone
   * source), by lane (`live`: mutations' writes, `backlog`: bulk work); its rate is how fast the
   * backlog drains. Alerts: none (read it beside bridgeai_memory_outbox_backlog).
   */
  readonly memoryOutboxIndexed: Counter<'lane'>;

  /** `bridgeai_login_failures_total` — rejected login attempts. Alerts: none. */
  readonly loginFailures: Counter;
  /** `bridgeai_requests_shed_total` — requests rejected by load shedding / rate limiting. Alerts: none. */
  readonly requestsShed: Counter;
  /**
   * `bridgeai_slow_operations_total` — GraphQL operations that exceeded the slow-operation
   * log threshold (each one is also logged). Alerts: none.
   */
  readonly slowOperations: Counter;
  /** `bridgeai_subscription_connections` — open graphql-ws sockets. Alerts: none. */
  readonly subscriptionConnections: Gauge;
  /** `bridgeai_subscriptions` — running subscriptions. Alerts: none. */
  readonly subscriptionsActive: Gauge;
  /** `bridgeai_subscription_events_delivered_total` — events sent to subscribers, by field. Alerts: none. */
  readonly subscriptionEventsDelivered: Counter<'field'>;
  /**
   * `bridgeai_subscription_events_dropped_total` — sockets closed with events undelivered, by
   * reason (`slow_consumer`: the client read too slowly). Alerts: none.
   */
  readonly subscriptionEventsDropped: Counter<'reason'>;
}

/** Build a fresh registry with all bridgeai metric families. */
export function createMetrics(options: CreateMetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) {
    collectDefaultMetrics({ register: registry });
  }

  let poolProvider: PoolStatsProvider | undefined;
  let backlogProvider: BacklogProvider | undefined;

  const httpRequestDuration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP request duration in seconds, by route template, method and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers,
  });

  const graphqlOperationDuration = new Histogram({
    name: `${METRIC_PREFIX}graphql_operation_duration_seconds`,
    help: 'GraphQL operation duration in seconds, by operation name, type (query/mutation) and outcome (ok/error).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: REQUEST_DURATION_BUCKETS,
    registers,
  });

  const sqlStatementsPerRequest = new Histogram({
    name: SQL_STATEMENTS_PER_REQUEST,
    help: 'SQL statements executed per GraphQL request, by operation name.',
    labelNames: ['operation_name'] as const,
    buckets: SQL_STATEMENT_BUCKETS,
    registers,
  });

  const dbPoolSize = new Gauge({
    name: `${METRIC_PREFIX}db_pool_size`,
    help: 'Maximum number of connections in the database pool.',
    // Each worker has its own pool: the cluster may hold the sum (what max_connections must allow).
    aggregator: 'sum',
    registers,
    async collect() {
      if (poolProvider) this.set((await poolProvider()).size);
    },
  });

  const dbPoolCheckedOut = new Gauge({
    name: `${METRIC_PREFIX}db_pool_checked_out`,
    help: 'Database pool connections currently checked out.',
    aggregator: 'sum',
    registers,
    async collect() {
      if (poolProvider) this.set((await poolProvider()).checkedOut);
    },
  });

  const dbPoolWaiting = new Gauge({
    name: `${METRIC_PREFIX}db_pool_waiting`,
    help: 'Requests waiting for a database pool connection.',
    aggregator: 'sum',
    registers,
    async collect() {
      if (poolProvider) this.set((await poolProvider()).waiting);
    },
  });

  const dbPoolUtilization = new Gauge({
    name: `${METRIC_PREFIX}db_pool_utilization_ratio`,
    help: 'Database pool utilization: checked-out connections / pool size (0..1).',
    // The fullest worker's pool: its requests wait for a connection whatever the others have free.
    aggregator: 'max',
    registers,
    async collect() {
      if (poolProvider) this.set(utilization(await poolProvider()));
    },
  });

  const dbPoolAcquireWait = new Histogram({
    name: `${METRIC_PREFIX}db_pool_acquire_wait_seconds`,
    help: 'Time spent waiting to acquire a database pool connection, in seconds.',
    buckets: POOL_ACQUIRE_BUCKETS,
    registers,
  });

  const dataloaderBatchSize = new Histogram({
    name: `${METRIC_PREFIX}dataloader_batch_size`,
    help: 'Keys per DataLoader batch, by loader.',
    labelNames: ['loader'] as const,
    buckets: DATALOADER_BATCH_BUCKETS,
    registers,
  });

  const chromaRequestDuration = new Histogram({
    name: `${METRIC_PREFIX}chroma_request_duration_seconds`,
    help: 'Chroma request duration in seconds, by operation (upsert/query/delete/heartbeat).',
    labelNames: ['operation'] as const,
    buckets: CHROMA_DURATION_BUCKETS,
    registers,
  });

  const embeddingDuration = new Histogram({
    name: `${METRIC_PREFIX}embedding_duration_seconds`,
    help: 'Embedding computation duration in seconds per batch, by model.',
    labelNames: ['model'] as const,
    buckets: EMBEDDING_DURATION_BUCKETS,
    registers,
  });

  const embeddingBatchSize = new Histogram({
    name: `${METRIC_PREFIX}embedding_batch_size`,
    help: 'Texts per embedding call.',
    buckets: EMBEDDING_BATCH_BUCKETS,
    registers,
  });

  const memoryOutboxBacklog = new Gauge({
    name: `${METRIC_PREFIX}memory_outbox_backlog`,
    help: 'Pending semantic-memory outbox entries not yet indexed.',
    // Every worker counts the same table: one figure, not one per worker added up.
    aggregator: 'max',
    registers,
    async collect() {
      if (backlogProvider) this.set(await backlogProvider());
    },
  });

  const memoryOutboxFailures = new Counter({
    name: `${METRIC_PREFIX}memory_outbox_failures_total`,
    help: 'Failed semantic-memory outbox processing attempts.',
    registers,
  });

  const memoryOutboxIndexed = new Counter({
    name: `${METRIC_PREFIX}memory_outbox_indexed_total`,
    help: 'Semantic-memory outbox entries indexed, by lane (live: mutations, backlog: bulk work).',
    labelNames: ['lane'] as const,
    registers,
  });

  const loginFailures = new Counter({
    name: `${METRIC_PREFIX}login_failures_total`,
    help: 'Rejected login attempts.',
    registers,
  });

  const requestsShed = new Counter({
    name: `${METRIC_PREFIX}requests_shed_total`,
    help: 'Requests rejected by load shedding or rate limiting.',
    registers,
  });

  const slowOperations = new Counter({
    name: `${METRIC_PREFIX}slow_operations_total`,
    help: 'GraphQL operations slower than the slow-operation threshold.',
    registers,
  });

  const subscriptionConnections = new Gauge({
    name: `${METRIC_PREFIX}subscription_connections`,
    help: 'Open graphql-ws (WebSocket) connections.',
    // Every worker holds its own sockets: the cluster's figure is their sum.
    aggregator: 'sum',
    registers,
  });

  const subscriptionsActive = new Gauge({
    name: `${METRIC_PREFIX}subscriptions`,
    help: 'Running GraphQL subscriptions.',
    // Every worker holds its own sockets: the cluster's figure is their sum.
    aggregator: 'sum',
    registers,
  });

  const subscriptionEventsDelivered = new Counter({
    name: `${METRIC_PREFIX}subscription_events_delivered_total`,
    help: 'Subscription events sent to clients, by subscription field.',
    labelNames: ['field'] as const,
    registers,
  });

  const subscriptionEventsDropped = new Counter({
    name: `${METRIC_PREFIX}subscription_events_dropped_total`,
    help: 'Subscription connections closed with events undelivered, by reason.',
    labelNames: ['reason'] as const,
    registers,
  });

  return {
    registry,
    contentType: registry.contentType,
    metricsText: () => registry.metrics(),
    observePool(provider) {
      poolProvider = provider;
    },
    observeOutboxBacklog(provider) {
      backlogProvider = provider;
    },
    httpRequestDuration,
    graphqlOperationDuration,
    sqlStatementsPerRequest,
    dbPoolSize,
    dbPoolCheckedOut,
    dbPoolWaiting,
    dbPoolUtilization,
    dbPoolAcquireWait,
    dataloaderBatchSize,
    chromaRequestDuration,
    embeddingDuration,
    embeddingBatchSize,
    memoryOutboxBacklog,
    memoryOutboxFailures,
    memoryOutboxIndexed,
    loginFailures,
    requestsShed,
    slowOperations,
    subscriptionConnections,
    subscriptionsActive,
    subscriptionEventsDelivered,
    subscriptionEventsDropped,
  };
}

/** checkedOut / size, clamped to 0..1; 0 when the pool has no capacity configured. */
function utilization(stats: PoolStats): number {
  if (!(stats.size > 0)) return 0;
  return Math.min(1, Math.max(0, stats.checkedOut / stats.size));
}
