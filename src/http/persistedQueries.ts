import type { PersistedQueryOptions } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { persistedQueriesGate } from './persistedQueriesGate';
import { type PersistedOperationsManifest, persistedOperations } from './persistedQueriesManifest';
import { PersistedQueriesStore } from './persistedQueriesStore';
import { RedisCache } from './redisCache';

/** Query text kept in memory for automatic persisted queries, in characters (the LRU evicts beyond). */
export const APQ_MEMORY_MAX_CHARACTERS = 8 * 1024 * 1024;
/** A registered query is forgotten a day after registration; its client then simply registers it again. */
export const APQ_TTL_SECONDS = 24 * 3600;

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option. */
  readonly apolloOptions: PersistedQueryOptions;
  /** Express middleware for /graphql, before Apollo Server (see persistedQueriesGate). */
  readonly gate: RequestHandler;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * Persisted queries as the contract describes them:
 * - PERSISTED_OPERATIONS=allow (default): the manifest's operations by hash, plus Apollo's
 *   automatic persisted queries, registered in memory (a bounded LRU) or, with REDIS_URL, in
 *   Redis shared by every instance;
 * - PERSISTED_OPERATIONS=only: the manifest's operations and nothing else.
 */
export async function createPersistedQueries(
  config: Pick<Config, 'persistedOperations' | 'redisUrl'>,
  logger: Logger,
  manifest: PersistedOperationsManifest = persistedOperations,
): Promise<PersistedQueries> {
  const gate = persistedQueriesGate({ mode: config.persistedOperations, manifest });
  if (config.persistedOperations === 'only') {
    return { apolloOptions: { cache: new PersistedQueriesStore(manifest), ttl: null }, gate, close: async () => {} };
  }

  const redis = config.redisUrl ? await RedisCache.connect(config.redisUrl) : undefined;
  const registered: KeyValueCache<string> = redis ?? new InMemoryLRUCache<string>({ maxSize: APQ_MEMORY_MAX_CHARACTERS });
  const store = new PersistedQueriesStore(manifest, registered, (error) =>
    logger.warn({ err: error }, 'persisted query lookup failed; answered as a miss'),
  );
  return {
    apolloOptions: { cache: store, ttl: APQ_TTL_SECONDS },
    gate,
    close: async () => redis?.close(),
  };
}
