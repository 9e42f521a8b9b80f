import pino from 'pino';
import { PUBLIC_MAX_AGE_SECONDS } from '../../../src/http/cacheHeaders';
import { APQ_MEMORY_MAX_CHARACTERS, createPersistedQueries } from '../../../src/http/persistedQueries';
import { persistedOperations } from '../../../src/http/persistedQueriesManifest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { FIXTURE_PASSWORD, Fixtures } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { getGraphQL, persistedQuery, postGraphQL, sha256Hex } from './rawHttp';

/** A query text no earlier run can have registered (the in-memory store is per server anyway). */
function uniqueQuery(label: string): string {
  return `query ${label} { viewer { id fullName } }`;
}

describe('automatic persisted queries (PERSISTED_OPERATIONS=allow, in-memory store)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('apq');
    const fixtures = new Fixtures(database.db);
    const alice = await fixtures.user('alice@example.com', 'Alice');
    await fixtures.team(alice, 'Alpha');
    server = await startTestServer(database.url);
    token = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND, registers on retry, then runs the hash alone', async () => {
    const query = uniqueQuery('ApqRoundTrip');
    const hash = sha256Hex(query);

    const unknown = await postGraphQL(server.url, { extensions: persistedQuery(hash) }, auth());
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) })]);

    const registered = await postGraphQL(server.url, { query, extensions: persistedQuery(hash) }, auth());
    expect(registered.body).toMatchObject({ data: { viewer: { fullName: 'Alice' } } });

    const hashOnly = await postGraphQL(server.url, { extensions: persistedQuery(hash) }, auth());
    expect(hashOnly.status).toBe(200);
    expect(hashOnly.body.errors).toBeUndefined();
    expect(hashOnly.body.data).toEqual(registered.body.data);
  });

  it('works over GET: register, then the hash alone in the URL', async () => {
    const query = uniqueQuery('ApqOverGet');
    const hash = sha256Hex(query);
    const before = await getGraphQL(server.url, { extensions: persistedQuery(hash) }, auth());
    expect(before.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await getGraphQL(server.url, { query, extensions: persistedQuery(hash) }, auth());
    expect(registered.body).toMatchObject({ data: { viewer: { fullName: 'Alice' } } });

    const hashOnly = await getGraphQL(server.url, { extensions: persistedQuery(hash) }, auth());
    expect(hashOnly.status).toBe(200);
    expect(hashOnly.body).toMatchObject({ data: { viewer: { fullName: 'Alice' } } });
  });

  it('refuses a hash that is not the sha256 of the query, and registers nothing', async () => {
    const query = uniqueQuery('ApqMismatch');
    const wrongHash = sha256Hex(`${query} `);
    const refused = await postGraphQL(server.url, { query, extensions: persistedQuery(wrongHash) }, auth());
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([
      {
        message: expect.stringMatching(/sha256Hash is not the sha256 of the query/),
        extensions: { code: 'BAD_USER_INPUT', requestId: refused.headers.get('x-request-id') },
      },
    ]);
    const later = await postGraphQL(server.url, { extensions: persistedQuery(wrongHash) }, auth());
    expect(later.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses a malformed persistedQuery extension with a message saying what it must look like', async () => {
    for (const extension of [{ version: 2, sha256Hash: sha256Hex('x') }, { version: 1, sha256Hash: 'abc' }, 'yes']) {
      const refused = await postGraphQL(server.url, { extensions: { persistedQuery: extension } }, auth());
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0]).toEqual({
        message: expect.stringMatching(/^extensions\.persistedQuery must be \{"version": 1, "sha256Hash"/),
        extensions: { code: 'BAD_USER_INPUT', requestId: expect.any(String) },
      });
    }
  });

  it('knows the trusted documents by hash from the first request, without registration', async () => {
    const [loginHash] = Object.entries(persistedOperations).find(([, text]) => text.startsWith('mutation Login('))!;
    const result = await postGraphQL(server.url, {
      extensions: persistedQuery(loginHash),
      variables: { email: 'alice@example.com', password: FIXTURE_PASSWORD },
    });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.login).toMatchObject({ token: expect.any(String), user: { fullName: 'Alice' } });
  });

  describe('cache headers', () => {
    const anonymousQuery = 'query PublicTypename { __typename }';

    it('lets a shared cache keep an anonymous GET query, keyed by Accept and Authorization', async () => {
      const hash = sha256Hex(anonymousQuery);
      await getGraphQL(server.url, { query: anonymousQuery, extensions: persistedQuery(hash) });
      const response = await getGraphQL(server.url, { extensions: persistedQuery(hash) });
      expect(response.body).toMatchObject({ data: { __typename: 'Query' } });
      expect(response.headers.get('cache-control')).toBe(`public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
      expect(response.headers.get('vary')).toMatch(/Accept/);
      expect(response.headers.get('vary')).toMatch(/Authorization/);
    });

    it('never lets a cache keep a response to a request with an Authorization header', async () => {
      const withToken = await getGraphQL(server.url, { query: anonymousQuery }, auth());
      expect(withToken.status).toBe(200);
      expect(withToken.headers.get('cache-control')).toBe('private, no-store');
      const viewer = await getGraphQL(server.url, { query: '{ viewer { id } }' }, auth());
      expect(viewer.body.data.viewer.id).toEqual(expect.any(String));
      expect(viewer.headers.get('cache-control')).toBe('private, no-store');
      expect(viewer.headers.get('vary')).toMatch(/Authorization/);
      // Even a token that fails verification: the answer still depends on the header.
      const badToken = await getGraphQL(server.url, { query: anonymousQuery }, { authorization: 'Bearer not-a-token' });
      expect(badToken.headers.get('cache-control')).toBe('private, no-store');
    });

    it('stores nothing for POSTs, errors and not-found hashes', async () => {
      const post = await postGraphQL(server.url, { query: anonymousQuery });
      expect(post.headers.get('cache-control')).toBe('no-store');
      const failed = await getGraphQL(server.url, { query: '{ viewer { id } }' });
      expect(failed.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(failed.headers.get('cache-control')).toBe('no-store');
      const notFound = await getGraphQL(server.url, { extensions: persistedQuery(sha256Hex('query NeverSent { __typename }')) });
      expect(notFound.headers.get('cache-control')).toMatch(/no-cache|no-store/);
      expect(notFound.headers.get('cache-control')).not.toMatch(/public/);
    });
  });
});

describe('the in-memory APQ store', () => {
  it('is bounded: past APQ_MEMORY_MAX_CHARACTERS of query text, the least recently used query goes', async () => {
    const { apolloOptions, close } = await createPersistedQueries({ persistedOperations: 'allow', redisUrl: undefined }, pino({ level: 'silent' }));
    const store = apolloOptions.cache!;
    const third = Math.ceil(APQ_MEMORY_MAX_CHARACTERS / 3);
    const texts = ['a', 'b', 'c', 'd'].map((letter) => `query Big${letter} { __typename } #${letter.repeat(third)}`);
    for (const text of texts) await store.set(`apq:${sha256Hex(text)}`, text);
    expect(await store.get(`apq:${sha256Hex(texts[0])}`)).toBeUndefined();
    expect(await store.get(`apq:${sha256Hex(texts[3])}`)).toBe(texts[3]);
    await close();
  });
});
