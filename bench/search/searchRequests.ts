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
  return (await send(serverUrl, request)).searchMemory as SearchHit[];
}

/**
 * Sends `requests` over HTTP from `concurrency` clients at once, each sending its next request as
 * soon as its previous one is answered (a closed loop), and times every answer from the start of
 * the request to the last byte of the body. Failed requests are counted, not timed.
 */
export async function runRequests(serverUrl: string, requests: readonly SignedInRequest[], concurrency: number): Promise<RequestRun> {
  const latencies: number[] = [];
  const failureExamples: string[] = [];
  let failures = 0;
  let next = 0;
  const client = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const started = performance.now();
      try {
        await send(serverUrl, request);
        latencies.push(performance.now() - started);
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
  };
}

async function send(serverUrl: string, request: SignedInRequest): Promise<Record<string, unknown>> {
  const reply = await postGraphQL(serverUrl, { query: request.query, variables: request.variables }, request.token);
  if (reply.status !== 200 || reply.body.errors?.length || !reply.body.data) {
    throw new Error(`HTTP ${reply.status}: ${JSON.stringify(reply.body.errors ?? reply.body).slice(0, 300)}`);
  }
  return reply.body.data as Record<string, unknown>;
}
