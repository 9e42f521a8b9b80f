import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { getGraphQL, postGraphQL } from './rawHttp';

const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';

describe('GraphQL over HTTP: media types, methods, status codes', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('http_semantics');
    server = await startTestServer(database.url);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it.each([
    [GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON],
    [`${GRAPHQL_RESPONSE_JSON}, application/json;q=0.9`, GRAPHQL_RESPONSE_JSON],
    ['application/json', 'application/json'],
    [undefined, 'application/json'],
  ])('answers Accept: %s with %s', async (accept, mediaType) => {
    const response = await postGraphQL(server.url, { query: '{ __typename }' }, accept ? { accept } : {});
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(`${mediaType}; charset=utf-8`);
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });

  it('refuses a mutation over GET with 405 and Allow: POST', async () => {
    const response = await getGraphQL(server.url, { query: 'mutation { createTeam(name: "Over GET") { id } }' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(response.body.errors[0].message).toMatch(/GET requests only support query operations/);
  });

  it('refuses other methods with 405 and Allow: GET, POST', async () => {
    const response = await fetch(`${server.url}/graphql`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  it.each([
    ['a parse error', { query: '{ viewer { id }' }, 'GRAPHQL_PARSE_FAILED'],
    ['a validation error', { query: '{ noSuchField }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a variable that does not coerce', { query: 'query ($id: ID!) { project(id: $id) { id } }', variables: { id: { not: 'an id' } } }, 'BAD_USER_INPUT'],
    ['a missing required variable', { query: 'query ($id: ID!) { project(id: $id) { id } }' }, 'BAD_USER_INPUT'],
  ])('answers %s with 400 in application/graphql-response+json', async (_name, body, code) => {
    const response = await postGraphQL(server.url, body, { accept: GRAPHQL_RESPONSE_JSON });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe(`${GRAPHQL_RESPONSE_JSON}; charset=utf-8`);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors[0].extensions.code).toBe(code);
  });

  it('does not accept batched requests', async () => {
    const response = await postGraphQL(server.url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toMatch(/batch/i);
  });

  it('refuses requests a browser could send cross-site without a preflight (CSRF prevention)', async () => {
    const simpleGet = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(simpleGet.status).toBe(400);
    expect(await simpleGet.text()).toMatch(/Cross-Site Request Forgery/);
    const textPlainPost = await postGraphQL(server.url, { query: '{ __typename }' }, { 'content-type': 'text/plain' });
    expect(textPlainPost.status).toBe(400);
    // A GET with a non-simple header passes: what Apollo Client and mobile clients send.
    const preflighted = await getGraphQL(server.url, { query: '{ __typename }' });
    expect(preflighted.status).toBe(200);
  });
});

describe('introspection', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('introspection');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it.each([
    ['development (default)', {}, true],
    ['NODE_ENV=production', { NODE_ENV: 'production' }, false],
    ['NODE_ENV=production with INTROSPECTION=true', { NODE_ENV: 'production', INTROSPECTION: 'true' }, true],
    ['development with INTROSPECTION=false', { INTROSPECTION: 'false' }, false],
  ])('in %s: answered %s', async (_name, env, answered) => {
    const server = await startTestServer(database.url, env);
    try {
      const response = await postGraphQL(server.url, { query: '{ __schema { queryType { name } } }' });
      if (answered) {
        expect(response.status).toBe(200);
        expect(response.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
      } else {
        expect(response.status).toBe(400);
        expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(response.body.errors[0].message).toMatch(/introspection/i);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('the playground page', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('playground_page');
    server = await startTestServer(database.url);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('is what a browser gets from GET /graphql, and it names no other host', async () => {
    const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('vary')).toMatch(/Accept/);
    const html = await response.text();
    expect(html).toContain('/playground/assets/graphiql.min.js');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it.each([
    ['graphiql.min.js', /javascript/],
    ['graphiql.min.css', /text\/css/],
    ['react.production.min.js', /javascript/],
    ['react-dom.production.min.js', /javascript/],
    ['playground.js', /javascript/],
  ])('serves /playground/assets/%s from the npm packages', async (name, type) => {
    const response = await fetch(`${server.url}/playground/assets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(type);
    expect((await response.text()).length).toBeGreaterThan(100);
  });

  it.each(['nothing.js', '__proto__', 'constructor', '..%2Fpackage.json'])('answers 404 for /playground/assets/%s', async (name) => {
    const response = await fetch(`${server.url}/playground/assets/${name}`);
    expect(response.status).toBe(404);
  });
});
