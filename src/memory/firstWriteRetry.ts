import { setTimeout as sleep } from 'node:timers/promises';
import { ChromaServerError } from 'chromadb';

/**
 * The pauses before each retry of a query that met a collection's first write: five attempts
 * within 0.75 s. Measured on the 2-core machine (40 fresh collections, a first upsert of 50
 * memories, a query every 2 ms meanwhile), one race in four met the state, and it lasted up to
 * 15 ms.
 */
export const FIRST_WRITE_RETRY_DELAYS_MS: readonly number[] = Object.freeze([50, 100, 200, 400]);

/**
 * Whether Chroma failed a query because the collection's first write has not reached its vector
 * index on disk yet: a query that arrives while the first upsert of a collection is applied
 * answers HTTP 500 "Error executing plan: Internal error: Error creating hnsw segment reader:
 * Nothing found on disk" (chroma-core/chroma#4212), and the same query succeeds a moment later.
 * Every other server error is an outage or a bug, and is not retried.
 */
export function isFirstWriteInProgress(error: unknown): boolean {
  return error instanceof ChromaServerError && error.message.includes('Nothing found on disk');
}

/**
 * Runs `query`, and again after each of `delaysMs` while it fails because a collection's first
 * write is in progress; any other failure, or the last one, is thrown as it is.
 */
export async function retryDuringFirstWrite<T>(query: () => Promise<T>, delaysMs: readonly number[] = FIRST_WRITE_RETRY_DELAYS_MS): Promise<T> {
  for (const delayMs of delaysMs) {
    try {
      return await query();
    } catch (error) {
      if (!isFirstWriteInProgress(error)) throw error;
    }
    await sleep(delayMs);
  }
  return query();
}
