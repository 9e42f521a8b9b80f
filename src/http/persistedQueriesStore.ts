import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { PersistedOperationsManifest } from './persistedQueriesManifest';

/**
 * Where Apollo Server looks up the query of a hash-only request (its `persistedQueries.cache`):
 * the trusted documents first, then the queries clients registered through automatic persisted
 * queries (`registered`). Clients built from the manifest thus send the hash alone from their
 * first request, whatever the mode; without `registered` (PERSISTED_OPERATIONS=only) nothing new
 * can be registered.
 *
 * A registered store that fails to answer (Redis down) is a miss: the client then sends its
 * query again, and the request still succeeds.
 *
 * Apollo prefixes its keys (`apq:<hash>`); the prefix is stripped for the manifest lookup.
 */
export class PersistedQueriesStore implements KeyValueCache<string> {
  readonly #manifest: PersistedOperationsManifest;
  readonly #registered: KeyValueCache<string> | undefined;
  readonly #onLookupError: (error: unknown) => void;

  constructor(
    manifest: PersistedOperationsManifest,
    registered?: KeyValueCache<string>,
    onLookupError: (error: unknown) => void = () => {},
  ) {
    this.#manifest = manifest;
    this.#registered = registered;
    this.#onLookupError = onLookupError;
  }

  async get(key: string): Promise<string | undefined> {
    const trusted = this.#manifest[hashOf(key)];
    if (trusted !== undefined) return trusted;
    try {
      return await this.#registered?.get(key);
    } catch (error) {
      this.#onLookupError(error);
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (this.#manifest[hashOf(key)] !== undefined) return;
    await this.#registered?.set(key, value, options);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#registered?.delete(key)) === true;
  }
}

function hashOf(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}
