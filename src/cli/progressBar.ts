import type { IndexingProgress } from '../memory/indexingProgress';

/** Cells of the bar. */
const WIDTH = 30;
/** A terminal's line is redrawn at most this often. */
const REDRAW_EVERY_MS = 100;

/**
 * Shows an indexing run's progress on `stream`. On a terminal, one line redrawn in place:
 * `[###############···············] 1,900 of 3,800 (50 %), 48.2 a second, about 39 s left`.
 * Elsewhere, where redrawing would leave a mess, a plain line at every tenth, starting with
 * `label`: `reindex: 1,900 of 3,800 (50 %), 48.2 a second, about 39 s left`.
 */
export class ProgressBar {
  readonly #stream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly #progress: IndexingProgress;
  readonly #label: string;
  #drawnAt = Number.NEGATIVE_INFINITY;

  constructor(stream: NodeJS.WritableStream & { isTTY?: boolean }, progress: IndexingProgress, label: string) {
    this.#stream = stream;
    this.#progress = progress;
    this.#label = label;
  }

  /** Shows the progress as it is now (on a terminal, unless it was drawn a moment ago). */
  update(now: number = performance.now()): void {
    if (this.#stream.isTTY) {
      if (now - this.#drawnAt < REDRAW_EVERY_MS) return;
      this.#drawnAt = now;
      // \r goes back to the line's start; ESC [K clears what a longer line left behind.
      this.#stream.write(`\r${this.#bar()} ${this.#progress.describe(now)}\x1b[K`);
      return;
    }
    if (this.#progress.passedATenth()) this.#stream.write(`${this.#label}: ${this.#progress.describe(now)}\n`);
  }

  /** Draws the final state and ends the terminal's line. */
  finish(): void {
    if (!this.#stream.isTTY) return;
    this.#drawnAt = Number.NEGATIVE_INFINITY;
    this.update();
    this.#stream.write('\n');
  }

  #bar(): string {
    const filled = Math.round(this.#progress.fraction * WIDTH);
    return `[${'#'.repeat(filled)}${'·'.repeat(WIDTH - filled)}]`;
  }
}
