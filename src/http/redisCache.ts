import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import Redis from 'ioredis';

/** A command slower than this fails (and Apollo treats a failed read as a miss) rather than stall a request. */
const COMMAND_TIMEOUT_MS = 1000;
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Apollo's KeyValueCache over Redis (ioredis), so several server instances share one store:
 * an automatic persisted query registered through one instance is found by the others.
 * Keys are prefixed (`bridgeai:`) so the store can live in a Redis used for other things.
 */
export class RedisCache implements KeyValueCache<string> {
  readonly #redis: Redis;
  readonly #prefix: string;

  private constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /**
   * Connects to `url` (e.g. redis://127.0.0.1:6379/0) and fails at once when Redis does not
   * answer, so a wrong REDIS_URL stops start-up instead of silently disabling the shared store.
   */
  static async connect(url: string, prefix = 'bridgeai:'): Promise<RedisCache> {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 1,
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`REDIS_URL: cannot connect to ${redactPassword(url)} (${reason}); start Redis or unset REDIS_URL`);
    }
    return new RedisCache(redis, prefix);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#prefix + key)) ?? undefined;
  }

  /** `ttl` is in seconds, as in Apollo's KeyValueCache; without it the key never expires. */
  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    if (options?.ttl) {
      await this.#redis.set(this.#prefix + key, value, 'EX', options.ttl);
    } else {
      await this.#redis.set(this.#prefix + key, value);
    }
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#redis.del(this.#prefix + key)) > 0;
  }

  async close(): Promise<void> {
    await this.#redis.quit();
  }
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
