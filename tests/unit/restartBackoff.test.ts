import { RestartBackoff } from '../../src/cli/restartBackoff';

describe('RestartBackoff', () => {
  it('replaces a first crash at once, then doubles the wait while crashes keep coming, up to the maximum', () => {
    let now = 0;
    const backoff = new RestartBackoff({ baseMs: 1000, maxMs: 30_000, streakResetMs: 60_000, now: () => now });
    const delays: number[] = [];
    for (let crash = 0; crash < 9; crash += 1) {
      const delay = backoff.delayAfterCrashMs();
      delays.push(delay);
      // The replacement starts after the delay and dies two seconds later.
      now += delay + 2000;
    }
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over once a worker has stayed up longer than the streak reset', () => {
    let now = 0;
    const backoff = new RestartBackoff({ now: () => now });
    expect(backoff.delayAfterCrashMs()).toBe(0);
    now += 5_000;
    expect(backoff.delayAfterCrashMs()).toBe(1000);
    now += 61_000;
    expect(backoff.delayAfterCrashMs()).toBe(0);
  });
});
