import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { DatabaseProcess } from '../processes/databaseProcess';
import type { ServerProcess } from '../processes/serverProcess';
import { percentile } from '../stats';

/** A POST body; a function makes a new body for every request (e.g. a random session id). */
export type RequestBody = string | (() => string);

export interface LoadOptions {
  /** The server; only 127.0.0.1 is accepted. */
  readonly server: Pick<ServerProcess, 'url' | 'trackPeakRss' | 'cpuSeconds'>;
  readonly path?: string;
  readonly token?: string;
  readonly connections: number;
  /** Every connection sends these in turn, round and round (so a list of 3 A, 2 B, 1 C is a 3:2:1 mix). */
  readonly bodies: readonly RequestBody[];
  /** Load for this many seconds… */
  readonly durationSeconds?: number;
  /** …or until this many responses arrived, but never longer than `maxSeconds`. */
  readonly amount?: number;
  readonly maxSeconds?: number;
  /** A request unanswered after this many seconds counts as a timeout. Default 30. */
  readonly timeoutSeconds?: number;
  /** The database server, when its CPU time can be read (bench/processes/databaseProcess.ts). */
  readonly database?: Pick<DatabaseProcess, 'cpuSeconds'>;
}

/** One load run, as the client saw it. */
export interface LoadSample {
  readonly seconds: number;
  /** Responses with a 2xx status and no GraphQL `errors`. */
  readonly ok: number;
  readonly requestsPerSecond: number;
  /** Latency percentiles of the `ok` responses (NaN when there were none). */
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly failures: {
    /** Non-2xx responses. */
    readonly http: number;
    /** 2xx responses whose body starts with `{"errors"` (Apollo writes `errors` first). */
    readonly graphql: number;
    readonly connection: number;
    readonly timeouts: number;
  };
  /** Failures over everything that ended (ok + failures). */
  readonly errorRate: number;
  /** The server's peak RSS during the run, in MB. */
  readonly peakRssMb: number | null;
  /** CPU milliseconds the server process spent per `ok` response (its database work not included). */
  readonly serverCpuMsPerResponse: number;
  /** CPU milliseconds the database server spent per `ok` response; NaN when it cannot be read. */
  readonly databaseCpuMsPerResponse: number;
  /** An `amount` run that `maxSeconds` cut short. */
  readonly hitBound: boolean;
  /** The first few distinct failed bodies (status and 200 characters), to say what went wrong. */
  readonly failureExamples: readonly string[];
}

const FAILURE_EXAMPLES = 3;

/**
 * Drives `options.server` with autocannon (in this process, programmatically), bounded in time
 * and connections, and measures latency percentiles itself from every response (autocannon's
 * own summary has no p95).
 */
export async function runLoad(options: LoadOptions): Promise<LoadSample> {
  const url = new URL(options.server.url);
  if (url.hostname !== '127.0.0.1') throw new Error(`load tests only target 127.0.0.1, not ${url.hostname}`);
  if ((options.durationSeconds === undefined) === (options.amount === undefined)) {
    throw new Error('a load run needs either durationSeconds or amount');
  }

  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // autocannon calls onResponse and then emits 'response' synchronously for the same response.
  let lastHadErrors = false;
  const failureExamples = new Set<string>();
  const onResponse = (status: number, body: string) => {
    const ok = status >= 200 && status < 300;
    lastHadErrors = ok && body.startsWith('{"errors"');
    if ((!ok || lastHadErrors) && failureExamples.size < FAILURE_EXAMPLES) failureExamples.add(`${status} ${body.slice(0, 200)}`);
  };
  const requests = options.bodies.map((body): autocannon.Request =>
    typeof body === 'string'
      ? { method: 'POST', path: options.path ?? '/graphql', headers, body, onResponse }
      : {
          method: 'POST',
          path: options.path ?? '/graphql',
          headers,
          setupRequest: (request) => ({ ...request, body: body() }),
          onResponse,
        },
  );

  const latencies: number[] = [];
  let ok = 0;
  let http = 0;
  let graphql = 0;
  const peakRss = options.server.trackPeakRss();
  const cpuBefore = options.server.cpuSeconds();
  const databaseCpuBefore = options.database?.cpuSeconds() ?? null;
  const started = performance.now();
  const instance = autocannon({
    url: url.origin,
    connections: options.connections,
    ...(options.durationSeconds !== undefined ? { duration: options.durationSeconds } : { amount: options.amount }),
    timeout: options.timeoutSeconds ?? 30,
    requests,
  });
  // autocannon notices the end only at its next one-second tick: responses after the planned
  // end are left out, and an `amount` run ends at its last response.
  const deadline = options.durationSeconds === undefined ? Infinity : started + options.durationSeconds * 1000;
  let lastResponseAt = started;
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    const now = performance.now();
    if (now > deadline) return;
    lastResponseAt = now;
    if (status < 200 || status >= 300) http++;
    else if (lastHadErrors) graphql++;
    else {
      ok++;
      latencies.push(ms);
    }
  });
  let stoppedAtBound = false;
  const bound =
    options.amount !== undefined && options.maxSeconds !== undefined
      ? setTimeout(() => {
          stoppedAtBound = true;
          instance.stop();
        }, options.maxSeconds * 1000)
      : undefined;
  let result: autocannon.Result;
  try {
    result = await instance;
  } finally {
    clearTimeout(bound);
  }
  const cpuAfter = options.server.cpuSeconds();
  const databaseCpuAfter = options.database?.cpuSeconds() ?? null;
  // A bounded `amount` run that hit its bound kept the server busy until the bound.
  const seconds =
    options.durationSeconds !== undefined
      ? Math.min(options.durationSeconds, (performance.now() - started) / 1000)
      : stoppedAtBound || lastResponseAt === started
        ? (options.maxSeconds ?? (performance.now() - started) / 1000)
        : (lastResponseAt - started) / 1000;
  const connection = Math.max(0, result.errors - result.timeouts);
  const failures = { http, graphql, connection, timeouts: result.timeouts };
  const failed = http + graphql + connection + result.timeouts;
  return {
    seconds,
    ok,
    requestsPerSecond: ok / seconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    failures,
    errorRate: ok + failed === 0 ? 0 : failed / (ok + failed),
    peakRssMb: peakRss(),
    serverCpuMsPerResponse: msPerResponse(cpuBefore, cpuAfter, ok),
    databaseCpuMsPerResponse: msPerResponse(databaseCpuBefore, databaseCpuAfter, ok),
    hitBound: stoppedAtBound,
    failureExamples: [...failureExamples],
  };
}

/** CPU milliseconds per `ok` response between two readings of CPU seconds; NaN without both or without responses. */
function msPerResponse(before: number | null, after: number | null, ok: number): number {
  return before === null || after === null || ok === 0 ? Number.NaN : ((after - before) * 1000) / ok;
}
