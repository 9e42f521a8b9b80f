import { randomUUID } from 'node:crypto';
import { redisKeyPrefix } from '../redisKeyPrefix';
import Redis from 'ioredis';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { LocalLiveEvents, type LiveEvent, type LiveEvents, type LiveTopic } from './liveEvents';

const CONNECT_TIMEOUT_MS = 5000;

/** What travels on the channel: the publishing instance and its events, dates as ISO strings. */
interface Envelope {
  origin: string;
  events: LiveEvent[];
}

/**
 * Fan-out across instances on one Redis channel per database (`bridgeai:<database>:events`),
 * in the manner of src/auth/viewerInvalidations.ts. A publishing instance hands its events to
 * its own listeners at once and publishes them; the others hand them to theirs. Redis pub/sub
 * keeps nothing for a subscriber that is away, so when the subscriber connection comes back after
 * a loss every subscription is told to read what it missed from MySQL (onMissedEvents), and a
 * publish that fails is only logged: the receivers replay it once they are connected again.
 */
export class RedisLiveEvents implements LiveEvents {
  readonly #local = new LocalLiveEvents();
  readonly #origin = randomUUID();
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #logger: Logger;
  #lost = false;

  private constructor(publisher: Redis, subscriber: Redis, channel: string, logger: Logger) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#channel = channel;
    this.#logger = logger;
  }

  /** Connects and subscribes; fails at once when Redis does not answer, so a wrong REDIS_URL stops start-up. */
  static async connect(url: string, options: { logger: Logger; keyPrefix: string }): Promise<RedisLiveEvents> {
    const settings = { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1, autoResubscribe: false };
    const channel = `${options.keyPrefix}:events`;
    const publisher = new Redis(url, settings);
    // Named, so that an operator (or a test) can find this connection in CLIENT LIST.
    const subscriber = new Redis(url, { ...settings, connectionName: channel });
    const events = new RedisLiveEvents(publisher, subscriber, channel, options.logger);
    try {
      await Promise.all([publisher.connect(), subscriber.connect()]);
      await subscriber.subscribe(events.#channel);
    } catch (error) {
      publisher.disconnect();
      subscriber.disconnect();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`REDIS_URL: cannot subscribe to subscription events (${reason}); start Redis or unset REDIS_URL`);
    }
    events.#watchSubscription();
    return events;
  }

  publish(events: readonly LiveEvent[]): void {
    if (events.length === 0) return;
    this.#local.publish(events);
    const envelope: Envelope = { origin: this.#origin, events: [...events] };
    this.#publisher.publish(this.#channel, JSON.stringify(envelope)).catch((error) => {
      this.#logger.warn({ err: error }, 'subscription events could not be published; other instances replay them when Redis is back');
    });
  }

  listen(topic: LiveTopic, listener: (event: LiveEvent) => void): () => void {
    return this.#local.listen(topic, listener);
  }

  onMissedEvents(listener: () => void): () => void {
    return this.#local.onMissedEvents(listener);
  }

  async close(): Promise<void> {
    this.#subscriber.removeAllListeners();
    await Promise.allSettled([this.#subscriber.quit(), this.#publisher.quit()]);
  }

  #watchSubscription(): void {
    this.#subscriber.on('message', (_channel: string, message: string) => this.#onMessage(message));
    const lost = () => {
      this.#lost = true;
    };
    this.#subscriber.on('close', lost);
    this.#subscriber.on('reconnecting', lost);
    this.#subscriber.on('ready', () => {
      if (!this.#lost) return;
      this.#subscriber
        .subscribe(this.#channel)
        .then(() => {
          this.#lost = false;
          this.#local.missedEvents();
        })
        .catch((error) => this.#logger.warn({ err: error }, 'subscription events: subscribing again failed'));
    });
  }

  #onMessage(message: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message, reviveDates);
    } catch {
      return;
    }
    if (envelope.origin === this.#origin || !Array.isArray(envelope.events)) return;
    this.#local.publish(envelope.events);
  }
}

/** The rows' Date columns, which JSON carries as ISO strings. */
const DATE_FIELDS = new Set(['createdAt', 'timestamp']);

function reviveDates(key: string, value: unknown): unknown {
  return DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value;
}

/** Events through Redis with REDIS_URL, within the process otherwise. */
export async function createLiveEvents(config: Pick<Config, 'redisUrl' | 'databaseUrl'>, logger: Logger): Promise<LiveEvents> {
  if (!config.redisUrl) return new LocalLiveEvents();
  const keyPrefix = redisKeyPrefix(config.databaseUrl);
  return RedisLiveEvents.connect(config.redisUrl, { logger, keyPrefix });
}
