import type { PoolStats } from '../db/pool';
import { SQL_STATEMENTS_PER_REQUEST } from '../observability/metrics';
import { parsePrometheusText, type PrometheusSample } from './prometheusText';

/** GET /health/database of a running server (contract: "HTTP"): its pool's figures and status. */
export type PoolHealth = PoolStats & { readonly status: 'healthy' | 'warning' | 'critical' };

/** The statements-per-request histogram of one operation (or of all: operation `*`). */
export interface StatementsPerRequest {
  readonly operation: string;
  readonly requests: number;
  readonly statements: number;
  readonly average: number;
  /** Cumulative, as Prometheus has them: requests that sent at most `le` statements (the `+Inf` bucket is `requests`). */
  readonly buckets: readonly { readonly le: number; readonly requests: number }[];
}

/** What a running server says about its pool and its statements. */
export interface RunningServerFigures {
  readonly url: string;
  readonly pool: PoolHealth;
  /** Every operation, busiest first, after the total (operation `*`). */
  readonly statementsPerRequest: readonly StatementsPerRequest[];
}

/** The server at `--url` did not answer as a bridgeai-graphql server does. */
export class ServerUnreachableError extends Error {
  override name = 'ServerUnreachableError';
}

const TIMEOUT_MS = 10_000;

/** `GET <url>/health/database` and `GET <url>/metrics` (the histogram `bridgeai_sql_statements_per_request`). */
export async function readRunningServer(url: string): Promise<RunningServerFigures> {
  const base = url.replace(/\/+$/, '');
  const pool = JSON.parse(await get(`${base}/health/database`)) as PoolHealth;
  const samples = parsePrometheusText(await get(`${base}/metrics`));
  return { url: base, pool, statementsPerRequest: statementsPerRequest(samples) };
}

async function get(url: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ServerUnreachableError(`GET ${url} failed (${cause}): check --url and that the server runs`);
  }
  if (!response.ok) throw new ServerUnreachableError(`GET ${url} answered HTTP ${response.status}: is --url a bridgeai-graphql server?`);
  return response.text();
}

/** Sums the histogram's samples per operation_name, and over all of them. */
export function statementsPerRequest(samples: readonly PrometheusSample[]): StatementsPerRequest[] {
  const byOperation = new Map<string, { requests: number; statements: number; buckets: Map<number, number> }>();
  const add = (operation: string, sample: PrometheusSample) => {
    const entry = byOperation.get(operation) ?? { requests: 0, statements: 0, buckets: new Map<number, number>() };
    byOperation.set(operation, entry);
    if (sample.name === `${SQL_STATEMENTS_PER_REQUEST}_count`) entry.requests += sample.value;
    else if (sample.name === `${SQL_STATEMENTS_PER_REQUEST}_sum`) entry.statements += sample.value;
    else if (sample.labels.le !== '+Inf') {
      const le = Number(sample.labels.le);
      entry.buckets.set(le, (entry.buckets.get(le) ?? 0) + sample.value);
    }
  };
  for (const sample of samples) {
    if (!sample.name.startsWith(SQL_STATEMENTS_PER_REQUEST)) continue;
    add('*', sample);
    add(sample.labels.operation_name ?? '', sample);
  }
  return [...byOperation.entries()]
    .map(([operation, entry]) => ({
      operation,
      requests: entry.requests,
      statements: entry.statements,
      average: entry.requests === 0 ? 0 : entry.statements / entry.requests,
      buckets: [...entry.buckets.entries()].sort(([a], [b]) => a - b).map(([le, requests]) => ({ le, requests })),
    }))
    .sort((a, b) => (a.operation === '*' ? -1 : b.operation === '*' ? 1 : b.requests - a.requests));
}
