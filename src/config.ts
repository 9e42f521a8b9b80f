import { randomBytes } from 'node:crypto';
import { bool, cleanEnv, makeValidator, str, url, EnvError, EnvMissingError } from 'envalid';

/**
 * The server's configuration, read once from the environment (and `.env` when present).
 * Names and defaults are the contract's (contract/README.md "Configuration").
 */
export interface Config {
  readonly nodeEnv: string;
  readonly isProduction: boolean;
  readonly databaseUrl: string;
  readonly pool: PoolConfig;
  /** DATABASE_REPLICA_URL and its pool and lag bound; undefined when every statement goes to DATABASE_URL. */
  readonly replicas: ReplicasConfig | undefined;
  readonly chromaUrl: string | undefined;
  readonly embeddingModel: string;
  readonly embeddingModelDir: string | undefined;
  /** Entries per batch of the memory outbox worker (MEMORY_OUTBOX_BATCH_SIZE). */
  readonly memoryOutboxBatchSize: number;
  readonly port: number;
  readonly host: string;
  readonly jwtSecret: string;
  readonly persistedOperations: 'allow' | 'only';
  readonly useOptimizedQueries: boolean;
  /** `compiled`: operations run as functions graphql-jit compiled once per document; `graphql-js`: the reference executor. */
  readonly graphqlExecution: 'compiled' | 'graphql-js';
  readonly maxQueryDepth: number;
  readonly maxQueryCost: number;
  readonly maxBodyBytes: number;
  /** Aliases one operation may use (fragments counted where spread); more is QUERY_TOO_COMPLEX. */
  readonly maxQueryAliases: number;
  /** Top-level fields one operation may select; more is QUERY_TOO_COMPLEX. */
  readonly maxQueryRootFields: number;
  /** Requests slower than this are logged at warn and counted as slow operations. */
  readonly slowOperationMs: number;
  /** A GraphQL request still unanswered after this gets 503 SERVICE_UNAVAILABLE. */
  readonly requestTimeoutMs: number;
  readonly maxInFlight: number;
  /** Total query cost executing at once (src/http/limits/costBudget.ts); more waits its turn. */
  readonly maxCostInFlight: number;
  readonly maxQueued: number;
  /** How long shutdown waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs: number;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (0: none). */
  readonly trustProxyHops: number;
  readonly logLevel: string;
  readonly redisUrl: string | undefined;
  readonly introspection: boolean;
  /** HTTP worker processes `npm start` runs (node:cluster); 1 serves from the one process, without a cluster. */
  readonly webConcurrency: number;
  /** VIEWER_CACHE_SIZE (0: off) and VIEWER_CACHE_TTL_MS: signed-in users' records kept between requests (src/auth/viewerCache.ts). */
  readonly viewerCache: { readonly maxEntries: number; readonly ttlMs: number };
  /** Subscriptions (src/http/subscriptions/): at most so many at once on one socket, and for one user on this process. */
  readonly subscriptions: {
    readonly maxPerConnection: number;
    readonly maxPerUser: number;
    /** A socket whose unsent data passes this many bytes is closed (a client that does not read). */
    readonly maxBufferedBytes: number;
  };
}

export interface ReplicasConfig {
  /** One URL per replica, each naming the same database as DATABASE_URL. */
  readonly urls: readonly string[];
  /** DB_REPLICA_POOL_SIZE / DB_REPLICA_POOL_MAX_OVERFLOW (default: DB_POOL_*); timeout, recycle and pre-ping as the primary's. */
  readonly pool: PoolConfig;
  /** DB_REPLICA_MAX_LAG_MS: a replica further behind the primary is out of rotation until it catches up. */
  readonly maxLagMs: number;
}

export interface PoolConfig {
  readonly size: number;
  readonly maxOverflow: number;
  readonly timeoutMs: number;
  readonly recycleMs: number;
  readonly prePing: boolean;
}

/**
 * One process unless told otherwise. Where MariaDB (and here the load generator) share the
 * server's cores, a second worker competes with them: on 2 cores it measured 0.81x the seed mix's
 * throughput of one process, with twice the memory (`npm run bench -- --scenario
 * workers-vs-one-process`). Set WEB_CONCURRENCY to the cores where the database has its own.
 */
export const DEFAULT_WEB_CONCURRENCY = 1;

/**
 * Entries per batch of the memory outbox worker: measured by `npm run bench -- --scenario
 * memory-backlog` (16, 64 and 256 while the seed mix runs).
 */
export const DEFAULT_OUTBOX_BATCH_SIZE = 64;

const positiveInt = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new Error('must be a whole number of at least 1');
  }
  return value;
});

const wholeNumber = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || !Number.isSafeInteger(value)) {
    throw new Error('must be a whole number of at least 0');
  }
  return value;
});

/** A TCP port; 0 asks the system for a free one (tests, benchmarks). */
const tcpPort = makeValidator<number>((input) => {
  const value = Number(input);
  if (!/^\d+$/.test(String(input).trim()) || value > 65535) throw new Error('must be a port number from 0 to 65535');
  return value;
});

const mysqlUrl = makeValidator<string>((input) => checkMysqlUrl(input));

/** `input` when it is a mysql:// URL naming a database; throws saying what is wrong otherwise. */
function checkMysqlUrl(input: string): string {
  let parsed: URL;
  try {
    parsed = new URL(input);
  } catch {
    throw new Error('must be a URL such as mysql://user:password@host:3306/database');
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error('must start with mysql://');
  }
  if (parsed.pathname.length <= 1) throw new Error('must name a database, e.g. mysql://root@127.0.0.1:3306/bridgeai');
  return input;
}

/** One or more mysql:// URLs separated by commas. */
const mysqlUrlList = makeValidator<string[]>((input) => {
  const urls = String(input).split(',').map((url) => url.trim()).filter((url) => url !== '');
  if (urls.length === 0) throw new Error('must be one or more mysql:// URLs separated by commas');
  return urls.map(checkMysqlUrl);
});

/** Thrown when a variable is malformed; its message is one line naming the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates `env` and returns the frozen configuration.
 * Any bad value throws a ConfigError whose message names the variable, e.g.
 * `DB_POOL_SIZE: must be a whole number of at least 1 (got "abc")`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = cleanEnv(
    env,
    {
      NODE_ENV: str({ default: 'development' }),
      DATABASE_URL: mysqlUrl({ default: 'mysql://root@127.0.0.1:3306/bridgeai' }),
      DATABASE_REPLICA_URL: mysqlUrlList({ default: undefined }),
      DB_REPLICA_POOL_SIZE: positiveInt({ default: undefined }),
      DB_REPLICA_POOL_MAX_OVERFLOW: wholeNumber({ default: undefined }),
      DB_REPLICA_MAX_LAG_MS: positiveInt({ default: 5000 }),
      DB_POOL_SIZE: positiveInt({ default: 20 }),
      DB_POOL_MAX_OVERFLOW: wholeNumber({ default: 10 }),
      DB_POOL_TIMEOUT_MS: positiveInt({ default: 30000 }),
      DB_POOL_RECYCLE_MS: positiveInt({ default: 3600000 }),
      DB_POOL_PRE_PING: bool({ default: true }),
      CHROMA_URL: url({ default: undefined }),
      EMBEDDING_MODEL: str({ default: 'use-lite' }),
      EMBEDDING_MODEL_DIR: str({ default: undefined }),
      MEMORY_OUTBOX_BATCH_SIZE: positiveInt({ default: DEFAULT_OUTBOX_BATCH_SIZE }),
      PORT: tcpPort({ default: 4000 }),
      HOST: str({ default: '127.0.0.1' }),
      JWT_SECRET: str({ default: undefined }),
      PERSISTED_OPERATIONS: str({ choices: ['allow', 'only'], default: 'allow' }),
      USE_OPTIMIZED_QUERIES: bool({ default: true }),
      GRAPHQL_EXECUTION: str({ choices: ['compiled', 'graphql-js'], default: 'compiled' }),
      MAX_QUERY_DEPTH: positiveInt({ default: 10 }),
      MAX_QUERY_COST: positiveInt({ default: 50000 }),
      MAX_BODY_BYTES: positiveInt({ default: 1048576 }),
      MAX_QUERY_ALIASES: positiveInt({ default: 100 }),
      MAX_QUERY_ROOT_FIELDS: positiveInt({ default: 20 }),
      SLOW_OPERATION_MS: positiveInt({ default: 500 }),
      REQUEST_TIMEOUT_MS: positiveInt({ default: 15000 }),
      MAX_IN_FLIGHT: positiveInt({ default: 32 }),
      MAX_COST_IN_FLIGHT: positiveInt({ default: 50000 }),
      MAX_QUEUED: wholeNumber({ default: 1000 }),
      SHUTDOWN_TIMEOUT_MS: positiveInt({ default: 10000 }),
      TRUST_PROXY: wholeNumber({ default: 0 }),
      LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
      REDIS_URL: url({ default: undefined }),
      INTROSPECTION: bool({ default: undefined }),
      WEB_CONCURRENCY: positiveInt({ default: DEFAULT_WEB_CONCURRENCY }),
      VIEWER_CACHE_SIZE: wholeNumber({ default: 10000 }),
      VIEWER_CACHE_TTL_MS: positiveInt({ default: 60000 }),
      MAX_SUBSCRIPTIONS_PER_CONNECTION: positiveInt({ default: 10 }),
      MAX_SUBSCRIPTIONS_PER_USER: positiveInt({ default: 50 }),
      SUBSCRIPTION_MAX_BUFFERED_BYTES: positiveInt({ default: 1048576 }),
    },
    { reporter: throwOneLine(env) },
  );

  const isProduction = raw.NODE_ENV === 'production';
  if (isProduction && !raw.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET: required when NODE_ENV=production (set a long random string)');
  }
  if (raw.JWT_SECRET !== undefined && raw.JWT_SECRET.length < 16) {
    throw new ConfigError('JWT_SECRET: must be at least 16 characters');
  }

  const pool: PoolConfig = Object.freeze({
    size: raw.DB_POOL_SIZE,
    maxOverflow: raw.DB_POOL_MAX_OVERFLOW,
    timeoutMs: raw.DB_POOL_TIMEOUT_MS,
    recycleMs: raw.DB_POOL_RECYCLE_MS,
    prePing: raw.DB_POOL_PRE_PING,
  });
  return Object.freeze({
    nodeEnv: raw.NODE_ENV,
    isProduction,
    databaseUrl: raw.DATABASE_URL,
    pool,
    replicas: raw.DATABASE_REPLICA_URL
      ? Object.freeze({
          urls: Object.freeze(raw.DATABASE_REPLICA_URL),
          pool: Object.freeze({
            ...pool,
            size: raw.DB_REPLICA_POOL_SIZE ?? pool.size,
            maxOverflow: raw.DB_REPLICA_POOL_MAX_OVERFLOW ?? pool.maxOverflow,
          }),
          maxLagMs: raw.DB_REPLICA_MAX_LAG_MS,
        })
      : undefined,
    chromaUrl: raw.CHROMA_URL,
    embeddingModel: raw.EMBEDDING_MODEL,
    embeddingModelDir: raw.EMBEDDING_MODEL_DIR,
    memoryOutboxBatchSize: raw.MEMORY_OUTBOX_BATCH_SIZE,
    port: raw.PORT,
    host: raw.HOST,
    // A secret generated per start keeps development free of set-up; tokens die with the process.
    jwtSecret: raw.JWT_SECRET ?? randomBytes(32).toString('hex'),
    persistedOperations: raw.PERSISTED_OPERATIONS as 'allow' | 'only',
    useOptimizedQueries: raw.USE_OPTIMIZED_QUERIES,
    graphqlExecution: raw.GRAPHQL_EXECUTION as 'compiled' | 'graphql-js',
    maxQueryDepth: raw.MAX_QUERY_DEPTH,
    maxQueryCost: raw.MAX_QUERY_COST,
    maxBodyBytes: raw.MAX_BODY_BYTES,
    maxQueryAliases: raw.MAX_QUERY_ALIASES,
    maxQueryRootFields: raw.MAX_QUERY_ROOT_FIELDS,
    slowOperationMs: raw.SLOW_OPERATION_MS,
    requestTimeoutMs: raw.REQUEST_TIMEOUT_MS,
    maxInFlight: raw.MAX_IN_FLIGHT,
    maxCostInFlight: raw.MAX_COST_IN_FLIGHT,
    maxQueued: raw.MAX_QUEUED,
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    trustProxyHops: raw.TRUST_PROXY,
    logLevel: raw.LOG_LEVEL,
    redisUrl: raw.REDIS_URL,
    introspection: raw.INTROSPECTION ?? !isProduction,
    webConcurrency: raw.WEB_CONCURRENCY,
    viewerCache: Object.freeze({ maxEntries: raw.VIEWER_CACHE_SIZE, ttlMs: raw.VIEWER_CACHE_TTL_MS }),
    subscriptions: Object.freeze({
      maxPerConnection: raw.MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxPerUser: raw.MAX_SUBSCRIPTIONS_PER_USER,
      maxBufferedBytes: raw.SUBSCRIPTION_MAX_BUFFERED_BYTES,
    }),
  });
}

function throwOneLine(env: NodeJS.ProcessEnv) {
  return ({ errors }: { errors: Partial<Record<string, Error>> }) => {
    const [name, error] = Object.entries(errors)[0] ?? [];
    if (!name || !error) return;
    const got = env[name];
    const reason = error instanceof EnvMissingError ? 'is required' : describe(error);
    throw new ConfigError(`${name}: ${reason}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`);
  };
}

function describe(error: Error): string {
  if (error instanceof EnvError && /Value ".*" not in choices/.test(error.message)) {
    return `must be one of ${error.message.replace(/^.*not in choices /, '')}`;
  }
  return error.message.replace(/^Invalid \w+ input: ".*"$/, 'is not a valid value');
}
