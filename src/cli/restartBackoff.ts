export interface RestartBackoffOptions {
  /** The wait before the second restart of a streak; it doubles with every further crash. 1 s by default. */
  readonly baseMs?: number;
  /** The longest wait. 30 s by default. */
  readonly maxMs?: number;
  /** A crash this long after the previous one starts a new streak. 60 s by default. */
  readonly streakResetMs?: number;
  readonly now?: () => number;
}

/**
 * How long the cluster primary waits before replacing a worker that died. The first crash is
 * replaced at once; crashes that follow each other within `streakResetMs` wait 1 s, 2 s, 4 s …
 * up to 30 s, so a worker that dies on every request cannot keep a core busy with restarts,
 * while a rare crash costs no waiting at all.
 */
export class RestartBackoff {
  readonly #baseMs: number;
  readonly #maxMs: number;
  readonly #streakResetMs: number;
  readonly #now: () => number;
  #streak = 0;
  #lastCrashAt = Number.NEGATIVE_INFINITY;

  constructor(options: RestartBackoffOptions = {}) {
    this.#baseMs = options.baseMs ?? 1000;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#streakResetMs = options.streakResetMs ?? 60_000;
    this.#now = options.now ?? Date.now;
  }

  /** Records a crash now and returns how long to wait before the replacement starts. */
  delayAfterCrashMs(): number {
    const now = this.#now();
    this.#streak = now - this.#lastCrashAt > this.#streakResetMs ? 1 : this.#streak + 1;
    this.#lastCrashAt = now;
    if (this.#streak === 1) return 0;
    return Math.min(this.#maxMs, this.#baseMs * 2 ** Math.min(this.#streak - 2, 30));
  }
}
