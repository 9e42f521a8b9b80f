import { ProgressBar } from '../../src/cli/progressBar';
import { IndexingProgress } from '../../src/memory/indexingProgress';

/** A stream that keeps what is written to it, a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) > 0 } as unknown as NodeJS.WritableStream & { isTTY: boolean; written: string[] };
}

describe('ProgressBar', () => {
  it('redraws one line in place on a terminal, at most every 100 ms, with the rate and the time left', () => {
    const terminal = stream(true);
    const progress = new IndexingProgress(200, 0);
    const bar = new ProgressBar(terminal, progress, 'reindex');

    progress.add(50, 1000);
    bar.update(1000);
    progress.add(50, 1050);
    bar.update(1050);
    progress.add(100, 2000);
    bar.update(2000);
    bar.finish();

    expect(terminal.written[0]).toBe('\r[########······················] 50 of 200 (25 %), 50.0 a second, about 3 s left\x1b[K');
    // The update 50 ms later was not drawn; the next one and the final state were.
    expect(terminal.written.slice(1, 3).map((line) => line.slice(0, 40))).toEqual(['\r[##############################] 200 of', '\r[##############################] 200 of']);
    expect(terminal.written.at(-1)).toBe('\n');
    expect(terminal.written).toHaveLength(4);
  });

  it('writes a plain line at every tenth when the stream is not a terminal', () => {
    const log = stream(false);
    const progress = new IndexingProgress(100, 0);
    const bar = new ProgressBar(log, progress, 'reindex');

    for (let second = 1; second <= 40; second += 1) {
      progress.add(2.5, second * 1000);
      bar.update(second * 1000);
    }
    bar.finish();

    expect(log.written).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((tenth) => `reindex: ${tenth * 10} of 100 (${tenth * 10} %), 2.5 a second, about ${40 - tenth * 4} s left\n`),
    );
  });
});
