import { randomUUID } from 'node:crypto';
import { redisKeyPrefix } from '../redisKeyPrefix';
import Redis from 'ioredis';
import type { ViewerRecord } from '../../loaders/viewer';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { ViewerCache } from './viewerCache';

/** How long a write waits for the other instances to confirm; past it, their time-to-live is the bound. */
const CONFIRM_TIMEOUT_MS = 2000;
const CONNECT_TIMEOUT_MS = 5000;

/** Tells every instance's viewer cache that some users' memberships changed. */
export interface ViewerInvalidations {
  /**
   * Drops the users' records in this process and, with Redis, on every instance; resolves once
   * every instance listening has dropped them (or after a bounded wait, logged). Called after
   * the write's transaction committed and before its mutation answers.
   */
  membershipsChanged(userIds: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

/** One process: dropping the records here is all there is. */
export function localViewerInvalidations(cache: ViewerCache): ViewerInvalidations {
  return {
    async membershipsChanged(userIds) {
      cache.invalidate(userIds);
    },
    async close() {},
  };
}

/**
 * Every instance subscribes to one Redis channel per database (`bridgeai:<database>:viewers`).
 * A write publishes the changed users there; each instance drops their records and answers on
 * a second channel (`…:viewers:dropped`) with the message's id. PUBLISH says how many
 * subscribers received the message, so the writer waits for that many answers, its own among
 * them, before its mutation answers: the next request to any instance reads the new memberships.
 *
 * While an instance's subscription is down it cannot hear invalidations, so its cache holds
 * nothing until the subscription is back (ViewerCache.setTrusted): a Redis outage costs
 * statements, never a stale membership.
 */
export class RedisViewerInvalidations implements ViewerInvalidations {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #cache: ViewerCache;
  readonly #logger: Logger;
  readonly #channel: string;
  readonly #droppedChannel: string;
  readonly #waiting = new Map<string, { remaining: number; done: () => void }>();

  private constructor(publisher: Redis, subscriber: Redis, cache: ViewerCache, logger: Logger, channel: string) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#cache = cache;
    this.#logger = logger;
    this.#channel = channel;
    this.#droppedChannel = `${channel}:dropped`;
  }

  /**
   * Connects both Redis clients and subscribes; fails at once when Redis does not answer, so a
   * wrong REDIS_URL stops start-up. `keyPrefix` keeps two databases on one Redis apart.
   */
  static async connect(url: string, options: { cache: ViewerCache; logger: Logger; keyPrefix: string }): Promise<RedisViewerInvalidations> {
    const settings = { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, autoResubscribe: false };
    const publisher = new Redis(url, settings);
    const subscriber = new Redis(url, settings);
    const invalidations = new RedisViewerInvalidations(publisher, subscriber, options.cache, options.logger, `${options.keyPrefix}:viewers`);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await invalidations.#subscribe();
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`REDIS_URL: cannot subscribe to viewer invalidations (${reason}); start Redis or unset REDIS_URL`);
    }
    invalidations.#watchSubscription();
    return invalidations;
  }

  async membershipsChanged(userIds: readonly number[]): Promise<void> {
    this.#cache.invalidate(userIds);
    const id = randomUUID();
    let receivers: number;
    try {
      receivers = await this.#publisher.publish(this.#channel, JSON.stringify({ id, userIds }));
    } catch (error) {
      // The other instances lost Redis too, so their caches hold nothing (see the class comment).
      this.#logger.warn({ err: error }, 'viewer invalidation could not be published');
      return;
    }
    if (receivers === 0) return;
    const confirmed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(false);
      }, CONFIRM_TIMEOUT_MS);
      this.#waiting.set(id, {
        remaining: receivers,
        done: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
    if (!confirmed) {
      this.#logger.warn({ receivers, timeoutMs: CONFIRM_TIMEOUT_MS }, 'not every instance confirmed a viewer invalidation in time');
    }
  }

  async close(): Promise<void> {
    this.#subscriber.removeAllListeners();
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()]);
  }

  async #subscribe(): Promise<void> {
    await this.#subscriber.subscribe(this.#channel, this.#droppedChannel);
    this.#cache.setTrusted(true);
  }

  #watchSubscription(): void {
    this.#subscriber.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
    const lost = () => this.#cache.setTrusted(false);
    this.#subscriber.on('close', lost);
    this.#subscriber.on('reconnecting', lost);
    this.#subscriber.on('ready', () => {
      this.#subscribe().catch((error) => this.#logger.warn({ err: error }, 'viewer invalidations: subscribing again failed'));
    });
  }

  #onMessage(channel: string, message: string): void {
    if (channel === this.#droppedChannel) {
      const waiting = this.#waiting.get(message);
      if (waiting && --waiting.remaining === 0) {
        this.#waiting.delete(message);
        waiting.done();
      }
      return;
    }
    let parsed: { id?: unknown; userIds?: unknown };
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (typeof parsed.id !== 'string' || !Array.isArray(parsed.userIds)) return;
    this.#cache.invalidate(parsed.userIds.filter((id): id is number => Number.isSafeInteger(id)));
    this.#publisher.publish(this.#droppedChannel, parsed.id).catch((error) => {
      this.#logger.warn({ err: error }, 'viewer invalidation could not be confirmed');
    });
  }
}

/**
 * The process's viewer cache and how writes reach it: through Redis with REDIS_URL, within the
 * process otherwise. Several workers without Redis could not tell each other, so their caches
 * stay off (one line at start says so).
 */
export async function createViewerCaching(
  config: Pick<Config, 'redisUrl' | 'webConcurrency' | 'viewerCache' | 'databaseUrl'>,
  logger: Logger,
): Promise<{ cache: ViewerCache<ViewerRecord>; invalidations: ViewerInvalidations }> {
  if (!config.redisUrl && config.webConcurrency > 1 && config.viewerCache.maxEntries > 0) {
    logger.info('viewer cache off: WEB_CONCURRENCY > 1 without REDIS_URL, so a membership write could not reach the other workers');
    const cache = new ViewerCache<ViewerRecord>({ ...config.viewerCache, maxEntries: 0 });
    return { cache, invalidations: localViewerInvalidations(cache) };
  }
  const cache = new ViewerCache<ViewerRecord>(config.viewerCache);
  if (!config.redisUrl) return { cache, invalidations: localViewerInvalidations(cache) };
  const keyPrefix = redisKeyPrefix(config.databaseUrl);
  return { cache, invalidations: await RedisViewerInvalidations.connect(config.redisUrl, { cache, logger, keyPrefix }) };
}
