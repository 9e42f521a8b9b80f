export interface ViewerCacheOptions {
  /** Records kept at most; the least recently used goes first. 0 turns the cache off. */
  readonly maxEntries: number;
  /** A record older than this is read again (a backstop: invalidation is what keeps records exact). */
  readonly ttlMs: number;
  /** The clock, in ms; tests pass their own. */
  readonly now?: () => number;
}

interface Entry<R> {
  readonly record: R;
  readonly expiresAt: number;
}

/**
 * The signed-in users' records (their row and active memberships with the teams' rows) kept
 * between requests, so that most requests cost no statement for them. A record is dropped
 * exactly when it may have changed: every write that changes a membership calls
 * {@link invalidate} for the users concerned after its transaction commits (and, with Redis,
 * every instance hears of it before the mutation answers: viewerInvalidations.ts). The size
 * bound and the time-to-live are a backstop, not the mechanism.
 *
 * A read that started before an invalidation and ends after it would store what it read before
 * the write; so each invalidation bumps a generation, and a read stores its record only when no
 * invalidation happened while it ran. Concurrent reads of one user share one statement.
 *
 * The records hold team rows too: a write that changes a team's name or description must
 * invalidate that team's members the same way.
 */
export class ViewerCache<R extends object = object> {
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<number, Entry<R>>();
  readonly #loading = new Map<number, Promise<R | null>>();
  #generation = 0;
  #trusted = true;

  constructor(options: ViewerCacheOptions) {
    this.#maxEntries = options.maxEntries;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The number of records held. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The user's record: the cached one while it is fresh, otherwise what `load` reads (stored for
   * the next requests unless an invalidation happened meanwhile). Null (no such user) is not stored.
   */
  async get(userId: number, load: () => Promise<R | null>): Promise<R | null> {
    const entry = this.#entries.get(userId);
    if (entry && entry.expiresAt > this.#now()) {
      // Map order is recency: the entry moves to the end.
      this.#entries.delete(userId);
      this.#entries.set(userId, entry);
      return entry.record;
    }
    if (entry) this.#entries.delete(userId);
    if (!this.#enabled()) return load();
    const pending = this.#loading.get(userId);
    if (pending) return pending;
    const generation = this.#generation;
    const loading = load();
    this.#loading.set(userId, loading);
    try {
      const record = await loading;
      if (record && generation === this.#generation && this.#enabled()) this.#store(userId, record);
      return record;
    } finally {
      if (this.#loading.get(userId) === loading) this.#loading.delete(userId);
    }
  }

  /** Drops the records of `userIds` (after a write to their memberships committed). */
  invalidate(userIds: Iterable<number>): void {
    this.#generation += 1;
    for (const userId of userIds) {
      this.#entries.delete(userId);
      // A read already under way may have read before the write: the next request reads again.
      this.#loading.delete(userId);
    }
  }

  /**
   * Whether invalidations can reach this cache. While they cannot (the instances' shared channel
   * is down), it holds nothing and every request reads its viewer; when they can again, it starts
   * empty, since what it missed is unknown.
   */
  setTrusted(trusted: boolean): void {
    this.#trusted = trusted;
    this.#generation += 1;
    this.#entries.clear();
    this.#loading.clear();
  }

  #enabled(): boolean {
    return this.#trusted && this.#maxEntries > 0;
  }

  #store(userId: number, record: R): void {
    this.#entries.set(userId, { record, expiresAt: this.#now() + this.#ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as number;
      this.#entries.delete(oldest);
    }
  }
}
