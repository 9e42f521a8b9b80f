/**
 * Chroma could not be reached or failed on its side (connection refused, timeout, 5xx).
 * The GraphQL layer maps it to SERVICE_UNAVAILABLE and the outbox worker retries later;
 * it is never turned into an empty search result.
 */
export class MemoryUnavailableError extends Error {
  override name = 'MemoryUnavailableError';
}
