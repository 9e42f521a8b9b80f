/** The memories per second of an indexing run are measured over this recent stretch of it. */
const RATE_WINDOW_MS = 30_000;

/** What {@link IndexingProgress.report} says, e.g. for /health/ready. */
export interface IndexingReport {
  readonly total: number;
  readonly indexed: number;
  /** Memories indexed per second over the last 30 s; null before the first batch is done. */
  readonly perSecond: number | null;
  /** The time left at that rate; null while there is no rate. */
  readonly secondsLeft: number | null;
}

/**
 * How far a run that indexes a known number of memories has come (the outbox's backlog,
 * `npm run reindex`): how many are done, how fast it goes lately and how long the rest will take
 * at that pace.
 */
export class IndexingProgress {
  #total: number;
  #indexed = 0;
  #tenthsReported = 0;
  /** (time, memories indexed by then), oldest first: the rate is read across this window. */
  readonly #samples: { at: number; indexed: number }[];

  constructor(total: number, now: number = performance.now()) {
    this.#total = total;
    this.#samples = [{ at: now, indexed: 0 }];
  }

  get total(): number {
    return this.#total;
  }

  get indexed(): number {
    return this.#indexed;
  }

  /** The share done, 0 to 1 (1 for an empty run). */
  get fraction(): number {
    return this.#total === 0 ? 1 : Math.min(1, this.#indexed / this.#total);
  }

  /** `count` more memories are indexed. */
  add(count: number, now: number = performance.now()): void {
    this.#indexed += count;
    this.#total = Math.max(this.#total, this.#indexed);
    this.#samples.push({ at: now, indexed: this.#indexed });
    // Keep the newest sample older than the window, so the rate always spans the whole window.
    while (this.#samples.length > 2 && this.#samples[1]!.at <= now - RATE_WINDOW_MS) this.#samples.shift();
  }

  /**
   * Whether the run has completed another tenth (10 %, 20 %, … 90 %) since this last said so: for
   * a log line at every tenth. The end is not a tenth: runs say when they are done.
   */
  passedATenth(): boolean {
    const tenths = Math.floor(this.fraction * 10);
    if (tenths <= this.#tenthsReported || tenths >= 10) return false;
    this.#tenthsReported = tenths;
    return true;
  }

  /** More memories turned out to be waiting than the run started with. */
  growTo(total: number): void {
    this.#total = Math.max(this.#total, total);
  }

  report(now: number = performance.now()): IndexingReport {
    const first = this.#samples[0]!;
    const seconds = (now - first.at) / 1000;
    const perSecond = this.#samples.length > 1 && seconds > 0 ? (this.#indexed - first.indexed) / seconds : null;
    const left = this.#total - this.#indexed;
    const secondsLeft = perSecond === null ? null : left === 0 ? 0 : perSecond > 0 ? left / perSecond : null;
    return { total: this.#total, indexed: this.#indexed, perSecond, secondsLeft };
  }

  /** E.g. `1,520 of 3,800 (40 %), 48.2 a second, about 47 s left`. */
  describe(now: number = performance.now()): string {
    const { total, indexed, perSecond, secondsLeft } = this.report(now);
    const rate = perSecond === null ? 'rate not known yet' : `${perSecond.toFixed(1)} a second`;
    const left = secondsLeft === null ? '' : `, about ${formatDuration(secondsLeft)} left`;
    return `${indexed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} (${Math.floor(this.fraction * 100)} %), ${rate}${left}`;
  }
}

/** `47 s`, `12 min 5 s`, `3 h 20 min`. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}
