import { formatDuration, IndexingProgress } from '../../src/memory/indexingProgress';

describe('IndexingProgress', () => {
  it('knows no rate before the first batch, then the rate over the last 30 s and the time left at it', () => {
    const progress = new IndexingProgress(1000, 0);
    expect(progress.report(5000)).toEqual({ total: 1000, indexed: 0, perSecond: null, secondsLeft: null });

    // 10 a second for a minute, then 40 a second: the rate follows the last 30 s only.
    for (let second = 1; second <= 60; second += 1) progress.add(10, second * 1000);
    expect(progress.report(60_000)).toMatchObject({ indexed: 600, perSecond: 10, secondsLeft: 40 });
    for (let second = 61; second <= 70; second += 1) progress.add(40, second * 1000);
    expect(progress.report(70_000)).toEqual({ total: 1000, indexed: 1000, perSecond: (20 * 10 + 10 * 40) / 30, secondsLeft: 0 });
  });

  it('grows when more turn out to be waiting, and says each tenth once', () => {
    const progress = new IndexingProgress(100, 0);
    progress.add(25, 1000);
    expect(progress.passedATenth()).toBe(true);
    expect(progress.passedATenth()).toBe(false);
    progress.growTo(250);
    expect(progress.fraction).toBe(0.1);
    progress.add(225, 2000);
    // The whole run is not a tenth: runs say when they are done.
    expect(progress.passedATenth()).toBe(false);
    expect(progress.describe(2000)).toBe('250 of 250 (100 %), 125.0 a second, about 0 s left');
  });

  it('writes durations as a person reads them', () => {
    expect([47, 725, 12_000].map(formatDuration)).toEqual(['47 s', '12 min 5 s', '3 h 20 min']);
  });
});
