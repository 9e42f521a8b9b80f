import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type IRateLimiterOptions } from 'rate-limiter-flexible';
import { ClientError } from '../errors';
import type { Logger } from '../logger';

export interface LoginThrottleOptions {
  /** Failed logins allowed for one email within the window (default 5). */
  readonly maxFailuresPerEmail?: number;
  /** Failed logins allowed from one client address within the window (default 20). */
  readonly maxFailuresPerAddress?: number;
  /** The window, counted from the first failure (default 15 minutes). */
  readonly windowSeconds?: number;
  /** Shared counters in Redis (REDIS_URL); in this process's memory when unset. */
  readonly redisUrl?: string;
  /** Separates the counters of deployments sharing one Redis, e.g. by database name. */
  readonly keyPrefix: string;
  readonly logger: Logger;
  /** Called for every failed login (wrong email or password). */
  readonly onFailure?: () => void;
  /** Called for every login refused because of earlier failures. */
  readonly onRefused?: () => void;
}

/**
 * Refused because of earlier failures: UNAUTHENTICATED, as any other failed login, with
 * its own message and `extensions.retryAfterSeconds`. It does not say whether the email exists.
 */
export class LoginThrottledError extends ClientError {
  constructor(retryAfterSeconds: number) {
    super('UNAUTHENTICATED', `Too many failed sign-in attempts: try again in ${retryAfterSeconds} seconds.`, {
      retryAfterSeconds,
    });
  }
}

/**
 * Throttles password guessing: after `maxFailuresPerEmail` failed logins for one email, or
 * `maxFailuresPerAddress` from one client address, within the window, further logins for that
 * email (or from that address) are refused until the window ends, even with the right password,
 * and without comparing any password. A successful login clears the email's count.
 *
 * The counters live in Redis when REDIS_URL is set (shared by every server process), else in
 * memory. When Redis is unreachable the counting falls back to memory rather than failing
 * logins: throttling is a defence, not a dependency.
 */
export class LoginThrottle {
  readonly #byEmail: RateLimiterAbstract;
  readonly #byAddress: RateLimiterAbstract;
  readonly #redis: Redis | undefined;
  readonly #options: LoginThrottleOptions;

  constructor(options: LoginThrottleOptions) {
    this.#options = options;
    const windowSeconds = options.windowSeconds ?? 15 * 60;
    if (options.redisUrl) {
      const redis = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
      let reported = false;
      redis.on('error', (error) => {
        // ioredis reconnects by itself; one line per outage is enough.
        if (!reported) options.logger.warn({ err: error }, 'login throttle: Redis unavailable, counting in memory');
        reported = true;
      });
      redis.on('ready', () => (reported = false));
      this.#redis = redis;
    }
    const limiter = (name: string, points: number): RateLimiterAbstract => {
      const settings: IRateLimiterOptions = { keyPrefix: `${options.keyPrefix}:login-failures:${name}`, points, duration: windowSeconds };
      const memory = new RateLimiterMemory(settings);
      return this.#redis
        ? new RateLimiterRedis({ ...settings, storeClient: this.#redis, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory;
    };
    this.#byEmail = limiter('email', options.maxFailuresPerEmail ?? 5);
    this.#byAddress = limiter('address', options.maxFailuresPerAddress ?? 20);
  }

  /** Throws LoginThrottledError when this email or address has used up its failures. */
  async assertAllowed(email: string, address: string): Promise<void> {
    const [byEmail, byAddress] = await Promise.all([
      this.#read(this.#byEmail, emailKey(email)),
      this.#read(this.#byAddress, address),
    ]);
    const waitMs = Math.max(
      byEmail && byEmail.consumedPoints >= this.#byEmail.points ? byEmail.msBeforeNext : 0,
      byAddress && byAddress.consumedPoints >= this.#byAddress.points ? byAddress.msBeforeNext : 0,
    );
    if (waitMs > 0) {
      this.#options.onRefused?.();
      throw new LoginThrottledError(Math.max(1, Math.ceil(waitMs / 1000)));
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    this.#options.onFailure?.();
    await Promise.all([this.#guard(this.#byEmail.penalty(emailKey(email))), this.#guard(this.#byAddress.penalty(address))]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.#guard(this.#byEmail.delete(emailKey(email)));
  }

  async close(): Promise<void> {
    if (this.#redis && this.#redis.status !== 'end') {
      await this.#redis.quit().catch(() => this.#redis?.disconnect());
    }
  }

  #read(limiter: RateLimiterAbstract, key: string) {
    return this.#guard(limiter.get(key));
  }

  /** A store failure the insurance limiter did not absorb is logged and ignored (fail open). */
  async #guard<T>(operation: Promise<T>): Promise<T | null> {
    try {
      return await operation;
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'login throttle: counter unavailable');
      return null;
    }
  }
}

/** Emails are compared as the login compares them; bounded so a huge input is not a huge key. */
function emailKey(email: string): string {
  return email.trim().toLowerCase().slice(0, 254);
}
