import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { PersistedQueriesStore } from '../../src/http/persistedQueriesStore';

const TRUSTED_HASH = 'a'.repeat(64);
const manifest = { [TRUSTED_HASH]: 'query Trusted { __typename }' };

describe('PersistedQueriesStore', () => {
  it('finds trusted documents under Apollo\'s prefixed key, then registered queries', async () => {
    const registered = new InMemoryLRUCache<string>();
    const store = new PersistedQueriesStore(manifest, registered);
    await store.set('apq:bbb', 'query Registered { __typename }');
    expect(await store.get(`apq:${TRUSTED_HASH}`)).toBe('query Trusted { __typename }');
    expect(await store.get('apq:bbb')).toBe('query Registered { __typename }');
    expect(await store.get('apq:ccc')).toBeUndefined();
  });

  it('never copies trusted documents into the registered store', async () => {
    const registered = new InMemoryLRUCache<string>();
    await new PersistedQueriesStore(manifest, registered).set(`apq:${TRUSTED_HASH}`, 'query Trusted { __typename }');
    expect(registered.keys()).toEqual([]);
  });

  it('registers nothing without a registered store (PERSISTED_OPERATIONS=only)', async () => {
    const store = new PersistedQueriesStore(manifest);
    await store.set('apq:bbb', 'query Registered { __typename }');
    expect(await store.get('apq:bbb')).toBeUndefined();
  });

  it('answers a failing registered store (Redis down) with a miss, and reports the error', async () => {
    const failing: KeyValueCache<string> = {
      get: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      },
      set: async () => {},
      delete: async () => false,
    };
    const errors: unknown[] = [];
    const store = new PersistedQueriesStore(manifest, failing, (error) => errors.push(error));
    expect(await store.get('apq:bbb')).toBeUndefined();
    expect(await store.get(`apq:${TRUSTED_HASH}`)).toBe('query Trusted { __typename }');
    expect(errors).toEqual([new Error('connect ECONNREFUSED 127.0.0.1:6379')]);
  });
});
