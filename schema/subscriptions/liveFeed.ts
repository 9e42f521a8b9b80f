import type { KeysetPosition } from '../../loaders/rows';
import type { LiveEvent, LiveEvents, LiveTopic } from '../../src/events/liveEvents';

/** Rows read from MySQL per replay statement. */
export const REPLAY_PAGE_SIZE = 200;
/** Ids remembered as sent, so that a row both replayed and heard live goes out once. */
const REMEMBERED_IDS = 2000;

/** What one subscription field streams: its topic, how to read what was missed, and who may see a row. */
export interface FeedSource<T extends { id: number }> {
  readonly topic: LiveTopic;
  /** The event's row when it belongs to this feed, else null. */
  rowOf(event: LiveEvent): T | null;
  positionOf(row: T): KeysetPosition;
  /** Rows after `position`, oldest first, at most `limit` (one statement). */
  rowsAfter(position: KeysetPosition, limit: number): Promise<T[]>;
  /** The position of the newest row now, or null when there is none (one statement). */
  newestPosition(): Promise<KeysetPosition | null>;
  /** Whether the viewer may see the row now; asked for every row sent. */
  visible(row: T): Promise<boolean>;
  /** Called before each row is handed out: drops what was loaded for the previous one. */
  forgetLoaded(): void;
}

/**
 * The rows of one subscription, in order, with no gap and no duplicate: it listens to live
 * events first and buffers them, then (with a start position) replays every newer row from
 * MySQL page by page, then sends the buffered and later live rows, skipping those already sent.
 * When the event transport says events may have been missed (Redis came back), it replays again
 * from the newest position it has sent. Without a start position it starts from the newest row
 * at subscription time, so such a replay has a place to start from too.
 */
export class LiveFeed<T extends { id: number }> implements AsyncIterableIterator<T> {
  readonly #source: FeedSource<T>;
  readonly #live: T[] = [];
  /** The page of the replay not yet handed out. */
  readonly #replayed: T[] = [];
  readonly #sent = new Set<number>();
  readonly #stopListening: Array<() => void>;
  #position: KeysetPosition | null;
  #started: boolean;
  #replayNeeded: boolean;
  #closed = false;
  #wake: (() => void) | null = null;

  constructor(events: LiveEvents, source: FeedSource<T>, start: KeysetPosition | null) {
    this.#source = source;
    this.#position = start;
    this.#started = start !== null;
    this.#replayNeeded = start !== null;
    this.#stopListening = [
      events.listen(source.topic, (event) => {
        const row = source.rowOf(event);
        if (!row) return;
        this.#live.push(row);
        this.#wakeUp();
      }),
      events.onMissedEvents(() => {
        this.#replayNeeded = this.#position !== null;
        this.#wakeUp();
      }),
    ];
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<T>> {
    if (!this.#started) {
      this.#started = true;
      this.#position ??= await this.#source.newestPosition();
    }
    while (!this.#closed) {
      if (this.#replayed.length === 0 && this.#replayNeeded) {
        await this.#readReplayPage();
        continue;
      }
      const row = this.#replayed.shift() ?? this.#live.shift();
      if (row === undefined) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        continue;
      }
      if (this.#sent.has(row.id) || !(await this.#source.visible(row))) continue;
      this.#remember(row);
      this.#source.forgetLoaded();
      return { value: row, done: false };
    }
    return { value: undefined, done: true };
  }

  async return(): Promise<IteratorResult<T>> {
    this.#closed = true;
    for (const stop of this.#stopListening) stop();
    this.#wakeUp();
    return { value: undefined, done: true };
  }

  /** Reads the next page of the replay; a short page ends it. */
  async #readReplayPage(): Promise<void> {
    const page = this.#position === null ? [] : await this.#source.rowsAfter(this.#position, REPLAY_PAGE_SIZE);
    this.#replayed.push(...page);
    this.#replayNeeded = page.length === REPLAY_PAGE_SIZE;
    if (page.length > 0) this.#position = this.#source.positionOf(page[page.length - 1]);
  }

  #remember(row: T): void {
    this.#sent.add(row.id);
    if (this.#sent.size > REMEMBERED_IDS) this.#sent.delete(this.#sent.values().next().value as number);
    const position = this.#source.positionOf(row);
    if (this.#position === null || isAfter(position, this.#position)) this.#position = position;
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}

function isAfter(a: KeysetPosition, b: KeysetPosition): boolean {
  const difference = a.time.getTime() - b.time.getTime();
  return difference > 0 || (difference === 0 && a.id > b.id);
}
