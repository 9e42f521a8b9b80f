import { performance } from 'node:perf_hooks';
import { postGraphQL } from '../graphqlHttp';
import { percentile } from '../stats';

/** The searchMemory request of the scenario: a page of hits with their text, as a client would show them. */
const SEARCH_MEMORY = `query SearchMemory($projectId: ID!, $query: String!, $limit: Int, $maxDistance: Float) {
  searchMemory(projectId: $projectId, query: $query, limit: $limit, maxDistance: $maxDistance) { id sourceType text distance }
}`;

/** The cheapest request on searchMemory's path without the search: the same sign-in and visibility check. */
const PROJECT_ID = `query ProjectId($projectId: ID!) { project(id: $projectId) { id } }`;

/** 5 hits, none dropped for distance (random vectors lie about 1 apart from any query). */
export const SEARCH_PAGE = Object.freeze({ limit: 5, maxDistance: 2 });

/** One GraphQL request of a signed-in user. */
export interface SignedInRequest {
  readonly token: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export interface SearchHit {
  readonly id: string;
  readonly sourceType: string;
  readonly text: string;
  readonly distance: number;
}

/** The median and 95th percentile of some timings. */
export interface Percentiles {
  readonly p50Ms: number;
  readonly p95Ms: number;
}

/**
 * A search's time split as the server reports it in its Server-Timing header: the question's
 * embedding, the Chroma query, and the rest of the request as the client saw it (HTTP, GraphQL,
 * sign-in, the visibility check where it outlasts the search).
 */
export interface SearchParts {
  readonly embedding: Percentiles;
  readonly chroma: Percentiles;
  readonly rest: Percentiles;
}

/** What a run of requests measured. */
export interface RequestRun {
  readonly ok: number;
  readonly failures: number;
  /** The first few failed answers, to say what went wrong. */
  readonly failureExamples: readonly string[];
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSecond: number;
  /** For searches, the parts of each answer's time; undefined for requests without Server-Timing. */
  readonly parts: SearchParts | undefined;
}

/** searchMemory(projectId, text) with SEARCH_PAGE, as `token`'s user. */
export function searchRequest(token: string, projectId: number, text: string): SignedInRequest {
  return { token, query: SEARCH_MEMORY, variables: { projectId: String(projectId), query: text, ...SEARCH_PAGE } };
}

/** project(id) { id }, as `token`'s user. */
export function projectIdRequest(token: string, projectId: number): SignedInRequest {
  return { token, query: PROJECT_ID, variables: { projectId: String(projectId) } };
}

/** Sends one search and returns its hits; an answer with errors throws with them. */
export async function searchMemory(serverUrl: string, request: SignedInRequest): Promise<SearchHit[]> {
  return (await send(serverUrl, request)).data.searchMemory as SearchHit[];
}

/**
 * Sends `requests` over HTTP from `concurrency` clients at once, each sending its next request as
 * soon as its previous one is answered (a closed loop), and times every answer from the start of
 * the request to the last byte of the body. Failed requests are counted, not timed.
 */
export async function runRequests(serverUrl: string, requests: readonly SignedInRequest[], concurrency: number): Promise<RequestRun> {
  const latencies: number[] = [];
  const parts = { embedding: [] as number[], chroma: [] as number[], rest: [] as number[] };
  const failureExamples: string[] = [];
  let failures = 0;
  let next = 0;
  const client = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const started = performance.now();
      try {
        const { serverTiming } = await send(serverUrl, request);
        const latency = performance.now() - started;
        latencies.push(latency);
        const embedding = serverTiming.get('embedding');
        const chroma = serverTiming.get('chroma');
        if (embedding !== undefined && chroma !== undefined) {
          parts.embedding.push(embedding);
          parts.chroma.push(chroma);
          parts.rest.push(latency - embedding - chroma);
        }
      } catch (error) {
        failures += 1;
        if (failureExamples.length < 3) failureExamples.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return {
    ok: latencies.length,
    failures,
    failureExamples,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    requestsPerSecond: latencies.length / seconds,
    parts:
      parts.embedding.length === 0
        ? undefined
        : {
            embedding: percentilesOf(parts.embedding),
            chroma: percentilesOf(parts.chroma),
            rest: percentilesOf(parts.rest),
          },
  };
}

function percentilesOf(values: readonly number[]): Percentiles {
  return { p50Ms: percentile(values, 50), p95Ms: percentile(values, 95) };
}

/** Sends one request; its data, and the milliseconds of its Server-Timing header by name. */
async function send(serverUrl: string, request: SignedInRequest): Promise<{ data: Record<string, unknown>; serverTiming: Map<string, number> }> {
  const reply = await postGraphQL(serverUrl, { query: request.query, variables: request.variables }, request.token);
  if (reply.status !== 200 || reply.body.errors?.length || !reply.body.data) {
    throw new Error(`HTTP ${reply.status}: ${JSON.stringify(reply.body.errors ?? reply.body).slice(0, 300)}`);
  }
  const serverTiming = new Map<string, number>();
  for (const [, name, ms] of (reply.headers.get('server-timing') ?? '').matchAll(/(\w+);dur=([\d.]+)/g)) serverTiming.set(name!, Number(ms));
  return { data: reply.body.data as Record<string, unknown>, serverTiming };
}
