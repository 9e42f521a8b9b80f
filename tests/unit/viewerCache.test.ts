import { ViewerCache } from '../../src/auth/viewerCache';

interface Record {
  readonly name: string;
}

/** A load the test finishes when it wants, to interleave it with invalidations. */
function deferredLoad(value: Record | null) {
  let finish!: () => void;
  const calls = { count: 0 };
  const load = () => {
    calls.count += 1;
    return new Promise<Record | null>((resolve) => (finish = () => resolve(value)));
  };
  return { load, finish: () => finish(), calls };
}

describe('ViewerCache', () => {
  let now = 0;
  const cache = (maxEntries = 10, ttlMs = 1000) => new ViewerCache<Record>({ maxEntries, ttlMs, now: () => now });
  beforeEach(() => (now = 0));

  it('keeps a record until its time-to-live, then reads it again', async () => {
    const viewers = cache();
    let loads = 0;
    const load = async () => ({ name: `read ${++loads}` });
    expect(await viewers.get(1, load)).toEqual({ name: 'read 1' });
    now = 999;
    expect(await viewers.get(1, load)).toEqual({ name: 'read 1' });
    now = 1000;
    expect(await viewers.get(1, load)).toEqual({ name: 'read 2' });
    expect(loads).toBe(2);
  });

  it('drops exactly the invalidated users', async () => {
    const viewers = cache();
    let loads = 0;
    const load = async () => ({ name: `read ${++loads}` });
    await viewers.get(1, load);
    await viewers.get(2, load);
    viewers.invalidate([1]);
    expect(await viewers.get(1, load)).toEqual({ name: 'read 3' });
    expect(await viewers.get(2, load)).toEqual({ name: 'read 2' });
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const viewers = cache(2);
    const load = (name: string) => async () => ({ name });
    await viewers.get(1, load('one'));
    await viewers.get(2, load('two'));
    await viewers.get(1, load('unused'));
    await viewers.get(3, load('three'));
    expect(viewers.size).toBe(2);
    expect(await viewers.get(1, load('again'))).toEqual({ name: 'one' });
    expect(await viewers.get(2, load('two, read again'))).toEqual({ name: 'two, read again' });
  });

  it('does not store what a read saw when an invalidation came while it ran', async () => {
    const viewers = cache();
    const before = deferredLoad({ name: 'before the write' });
    const pending = viewers.get(1, before.load);
    viewers.invalidate([1]);
    before.finish();
    // The request that started before the write gets what it read; nobody after it does.
    expect(await pending).toEqual({ name: 'before the write' });
    expect(await viewers.get(1, async () => ({ name: 'after the write' }))).toEqual({ name: 'after the write' });
  });

  it('shares one read between concurrent requests of one user, but not across an invalidation', async () => {
    const viewers = cache();
    const first = deferredLoad({ name: 'first' });
    const a = viewers.get(1, first.load);
    const b = viewers.get(1, first.load);
    expect(first.calls.count).toBe(1);
    viewers.invalidate([1]);
    const second = deferredLoad({ name: 'second' });
    const c = viewers.get(1, second.load);
    first.finish();
    second.finish();
    expect(await Promise.all([a, b, c])).toEqual([{ name: 'first' }, { name: 'first' }, { name: 'second' }]);
    expect(await viewers.get(1, async () => ({ name: 'third' }))).toEqual({ name: 'second' });
  });

  it('does not keep a missing user', async () => {
    const viewers = cache();
    expect(await viewers.get(1, async () => null)).toBeNull();
    expect(viewers.size).toBe(0);
  });

  it('holds nothing while untrusted, and starts empty when trusted again', async () => {
    const viewers = cache();
    await viewers.get(1, async () => ({ name: 'cached' }));
    viewers.setTrusted(false);
    expect(await viewers.get(1, async () => ({ name: 'read' }))).toEqual({ name: 'read' });
    expect(viewers.size).toBe(0);
    viewers.setTrusted(true);
    expect(await viewers.get(1, async () => ({ name: 'read again' }))).toEqual({ name: 'read again' });
    expect(viewers.size).toBe(1);
  });

  it('is off with maxEntries 0', async () => {
    const viewers = cache(0);
    let loads = 0;
    await viewers.get(1, async () => ({ name: `${++loads}` }));
    await viewers.get(1, async () => ({ name: `${++loads}` }));
    expect(loads).toBe(2);
  });
});
