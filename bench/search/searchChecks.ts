import type { Embedder } from '../../src/memory/embedder';
import { exactNearest, type StoredVector } from './exactNearest';
import { SEARCH_PAGE, searchMemory, type SignedInRequest } from './searchRequests';

/** What the scenario checks of the answers themselves, apart from their speed. */
export interface SearchChecks {
  /**
   * Member searches whose hits are the project's exact nearest memories, in the same order.
   * Chroma's HNSW index is approximate: now and then it misses one of them.
   */
  readonly exactRankings: number;
  /** Member searches answered with the same hits, in the same order, by the baseline build (when there is one). */
  readonly sameAsBaseline: number;
  readonly memberSearches: number;
  /** Hits, over all member searches, that belong to another project than the one searched. */
  readonly foreignHits: number;
  /** Outsider searches answered with no hit at all, as they must be. */
  readonly emptyOutsiderAnswers: number;
  readonly outsiderSearches: number;
}

/** A search of the check, and what it searched. */
export interface CheckedSearch {
  readonly request: SignedInRequest;
  readonly projectId: number;
  readonly text: string;
}

/**
 * Sends every member search once and compares its hits with an exact search over the project's
 * stored vectors (the query embedded by `embedder`, the server's model, in this process) and with
 * the baseline build's answer to the same search, and sends every outsider search, which must
 * answer [].
 */
export async function checkSearches(options: {
  readonly serverUrl: string;
  readonly baselineUrl?: string | undefined;
  readonly embedder: Embedder;
  readonly members: readonly CheckedSearch[];
  readonly outsiders: readonly CheckedSearch[];
  readonly vectorsByProject: ReadonlyMap<number, readonly StoredVector[]>;
}): Promise<SearchChecks> {
  let exactRankings = 0;
  let sameAsBaseline = 0;
  let foreignHits = 0;
  for (const { request, projectId, text } of options.members) {
    const hits = await searchMemory(options.serverUrl, request);
    const stored = options.vectorsByProject.get(projectId) ?? [];
    const ids = new Set(stored.map((memory) => memory.id));
    foreignHits += hits.filter((hit) => !ids.has(hit.id)).length;
    const [embedding] = await options.embedder.embed([text]);
    const exact = exactNearest(embedding!, stored, SEARCH_PAGE.limit);
    if (hits.map((hit) => hit.id).join() === exact.join()) exactRankings += 1;
    if (options.baselineUrl && JSON.stringify(await searchMemory(options.baselineUrl, request)) === JSON.stringify(hits)) sameAsBaseline += 1;
  }
  let emptyOutsiderAnswers = 0;
  for (const { request } of options.outsiders) {
    if ((await searchMemory(options.serverUrl, request)).length === 0) emptyOutsiderAnswers += 1;
  }
  return {
    exactRankings,
    sameAsBaseline,
    memberSearches: options.members.length,
    foreignHits,
    emptyOutsiderAnswers,
    outsiderSearches: options.outsiders.length,
  };
}
