import { join } from 'node:path';
import type { Scale } from '../src/seed/scales';
import type { NestedShape } from './queries';
import { login } from './graphqlHttp';
import type { BenchOptions } from './options';
import { findDatabaseProcess, type DatabaseProcess } from './processes/databaseProcess';
import { ServerProcess } from './processes/serverProcess';

/** The demo account of the seed (contract/README.md), the seed guide's load-test user. */
export const DEMO_ACCOUNT = Object.freeze({ email: 'test@example.com', password: 'testpass' });

/** How long and how often things run: the full suite, or `--quick` (checks the suite works). */
export interface Timing {
  /** Repetitions of every measured side (≥ 3, so the median means something). */
  readonly repetitions: number;
  /** Seed mix: seconds of load per repetition, and of warm-up per server. */
  readonly mixSeconds: number;
  readonly warmUpSeconds: number;
  /**
   * The nested query takes long enough (~0.5 s alone, seconds under load) that a time window
   * would cut off much of the work in flight: instead every connection sends this many requests
   * per repetition, and requests/s = answered requests ÷ time to the last answer.
   */
  readonly nestedRequestsPerConnection: number;
  readonly naiveRequestsPerConnection: number;
  /** The bound on one nested repetition (and the client's request timeout). */
  readonly nestedMaxSeconds: number;
  /**
   * --quick only: the seed mix and warm-ups end after this many requests per connection instead
   * of after a duration, so that every side answers something even on a busy machine.
   */
  readonly quickRequestsPerConnection?: number;
}

const fullTiming: Timing = Object.freeze({
  repetitions: 3,
  mixSeconds: 15,
  warmUpSeconds: 3,
  nestedRequestsPerConnection: 3,
  naiveRequestsPerConnection: 1,
  nestedMaxSeconds: 120,
});

const quickTiming: Timing = Object.freeze({
  repetitions: 3,
  mixSeconds: 1,
  warmUpSeconds: 1,
  nestedRequestsPerConnection: 1,
  naiveRequestsPerConnection: 1,
  nestedMaxSeconds: 60,
  quickRequestsPerConnection: 2,
});

/** How one load run ends: after a duration, or after an amount of requests within a bound. */
export type LoadBound =
  | { readonly durationSeconds: number }
  | { readonly amount: number; readonly maxSeconds: number; readonly timeoutSeconds?: number };

export interface ServerKind {
  /** USE_OPTIMIZED_QUERIES. */
  readonly optimized: boolean;
  /** NODE_ENV=production (no extensions.queryCount) or development. */
  readonly production: boolean;
  /** WEB_CONCURRENCY; by default options.webConcurrency (production's default). */
  readonly webConcurrency?: number;
  /** Extra environment, e.g. a profiler preload's output file. */
  readonly env?: Readonly<Record<string, string>>;
  readonly nodeArguments?: readonly string[];
  /** Another build to run instead of this one (its dist/ folder), e.g. a baseline commit to compare with. */
  readonly build?: { readonly name: string; readonly distDirectory: string };
}

/** What every scenario gets: options, the seeded database, and ways to start servers. */
export class BenchContext {
  readonly options: BenchOptions;
  readonly scale: Scale;
  readonly databaseUrl: string;
  /** The database server's process when it runs here (for its CPU per request); undefined otherwise. */
  readonly database: DatabaseProcess | undefined;
  readonly timing: Timing;
  readonly logDirectory: string;
  readonly #jwtSecret: string;
  readonly #distDirectory: string;
  readonly #log: (line: string) => void;
  #token: string | undefined;

  constructor(init: {
    options: BenchOptions;
    scale: Scale;
    jwtSecret: string;
    logDirectory: string;
    /** dist/ of the build this bench runs from. */
    distDirectory: string;
    log: (line: string) => void;
  }) {
    this.options = init.options;
    this.scale = init.scale;
    this.databaseUrl = init.options.databaseUrl;
    this.database = findDatabaseProcess(this.databaseUrl);
    this.timing = init.options.quick ? quickTiming : fullTiming;
    this.logDirectory = init.logDirectory;
    this.#jwtSecret = init.jwtSecret;
    this.#distDirectory = init.distDirectory;
    this.#log = init.log;
  }

  log(line: string): void {
    this.#log(line);
  }

  /** A load run of `seconds` (full suite) or of a few requests per connection (--quick). */
  loadBound(seconds: number, connections: number): LoadBound {
    const perConnection = this.timing.quickRequestsPerConnection;
    return perConnection === undefined ? { durationSeconds: seconds } : { amount: perConnection * connections, maxSeconds: 60 };
  }

  /** A nested-query run: `perConnection` requests on each connection, within timing.nestedMaxSeconds. */
  nestedBound(connections: number, perConnection: number): LoadBound {
    const { nestedMaxSeconds } = this.timing;
    return { amount: connections * perConnection, maxSeconds: nestedMaxSeconds, timeoutSeconds: nestedMaxSeconds };
  }

  /** How loadBound(seconds, …) reads in a report: "10 s", or the --quick request count. */
  describeBound(seconds: number): string {
    const perConnection = this.timing.quickRequestsPerConnection;
    return perConnection === undefined ? `${seconds} s` : `${perConnection} requests per connection (--quick)`;
  }

  /**
   * `node dist/src/cli/start.js` (what `npm start` runs) as a child process on the bench
   * database. Request and pool timeouts are raised to 5 minutes on every bench server, so that
   * the naive server's slow requests are measured rather than cut off (the seed's "before" had no
   * such limits); everything else is the contract's default. WEB_CONCURRENCY is always set, so a
   * value in the bench's own environment never decides it unseen.
   */
  startServer(kind: ServerKind): Promise<ServerProcess> {
    const workers = kind.webConcurrency ?? this.options.webConcurrency;
    const name = `${kind.optimized ? 'optimized' : 'naive'}, ${kind.production ? 'production' : 'development'}, ${workers} ${workers === 1 ? 'process' : 'workers'}${kind.build ? `, ${kind.build.name}` : ''}`;
    this.log(`  starting server (${name})`);
    const env: Record<string, string> = {
      WEB_CONCURRENCY: String(workers),
      NODE_ENV: kind.production ? 'production' : 'development',
      DATABASE_URL: this.databaseUrl,
      JWT_SECRET: this.#jwtSecret,
      USE_OPTIMIZED_QUERIES: String(kind.optimized),
      LOG_LEVEL: 'warn',
      REQUEST_TIMEOUT_MS: '300000',
      DB_POOL_TIMEOUT_MS: '300000',
      ...(this.options.chromaUrl ? { CHROMA_URL: this.options.chromaUrl } : {}),
      ...kind.env,
    };
    return ServerProcess.start({
      name,
      script: join(kind.build?.distDirectory ?? this.#distDirectory, 'src', 'cli', 'start.js'),
      env,
      nodeArguments: kind.nodeArguments,
      logDirectory: this.logDirectory,
    });
  }

  /** The floor: bench/floor/floorServer.ts, one SQL statement per request behind node:http. */
  startFloorServer(shape: NestedShape): Promise<ServerProcess> {
    this.log('  starting server (SQL floor)');
    return ServerProcess.start({
      name: 'SQL floor',
      script: join(this.#distDirectory, 'bench', 'floor', 'floorServer.js'),
      env: { DATABASE_URL: this.databaseUrl, JWT_SECRET: this.#jwtSecret, FLOOR_SHAPE: JSON.stringify(shape) },
      logDirectory: this.logDirectory,
    });
  }

  /** The profiler preload (bench/profile/cpuProfilePreload.ts), for `node --require`. */
  get cpuProfilePreload(): string {
    return join(this.#distDirectory, 'bench', 'profile', 'cpuProfilePreload.js');
  }

  /**
   * A bearer token of the demo account, from the login mutation of `server` (once per run:
   * every bench server shares one JWT secret, so the token works on all of them).
   */
  async demoToken(server: ServerProcess): Promise<string> {
    this.#token ??= await login(server.url, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password);
    return this.#token;
  }
}
