import { persistedOperations } from '../../../src/http/persistedQueriesManifest';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { FIXTURE_PASSWORD, Fixtures } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { getGraphQL, persistedQuery, postGraphQL, sha256Hex } from './rawHttp';

/** The manifest entry of the operation named `name`. */
function trusted(name: string): { hash: string; text: string } {
  const entry = Object.entries(persistedOperations).find(([, text]) => new RegExp(`^(query|mutation) ${name}\\b`).test(text));
  if (!entry) throw new Error(`no operation ${name} in schema/persisted-operations.json: run npm run codegen`);
  return { hash: entry[0], text: entry[1] };
}

describe('trusted documents (PERSISTED_OPERATIONS=only)', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  const credentials = { email: 'carol@example.com', password: FIXTURE_PASSWORD };

  beforeAll(async () => {
    database = await createTestDatabase('trusted_docs');
    const fixtures = new Fixtures(database.db);
    const carol = await fixtures.user('carol@example.com', 'Carol');
    const team = await fixtures.team(carol, 'Gamma');
    await fixtures.project(team, carol, 'Roadmap');
    server = await startTestServer(database.url, { PERSISTED_OPERATIONS: 'only' });
    const login = await postGraphQL(server.url, { extensions: persistedQuery(trusted('Login').hash), variables: credentials });
    token = login.body.data.login.token;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const auth = () => ({ authorization: `Bearer ${token}` });

  it('runs a manifest operation by its hash alone, over POST and GET', async () => {
    const login = await postGraphQL(server.url, { extensions: persistedQuery(trusted('Login').hash), variables: credentials });
    expect(login.body.errors).toBeUndefined();
    expect(login.body.data.login.user.fullName).toBe('Carol');

    const projects = await getGraphQL(server.url, { extensions: persistedQuery(trusted('Projects').hash), variables: { first: 10 } }, auth());
    expect(projects.status).toBe(200);
    expect(projects.body.data.projects.edges.map((edge: any) => edge.node.name)).toEqual(['Roadmap']);
  });

  it('runs a manifest operation sent as its full text', async () => {
    const viewer = await postGraphQL(server.url, { query: trusted('Viewer').text }, auth());
    expect(viewer.body.errors).toBeUndefined();
    expect(viewer.body.data.viewer).toMatchObject({ fullName: 'Carol', teams: [{ name: 'Gamma' }] });
  });

  it('refuses any other text with PERSISTED_QUERY_NOT_ALLOWED (HTTP 400), before parsing it', async () => {
    for (const query of ['{ viewer { id } }', trusted('Viewer').text.replace('fullName', 'email'), 'not graphql at all']) {
      const refused = await postGraphQL(server.url, { query }, auth());
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      expect(refused.body).toEqual({
        errors: [{ message: expect.stringMatching(/PERSISTED_OPERATIONS=only/), extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', requestId: expect.any(String) } }],
      });
    }
  });

  it('answers in application/graphql-response+json when the client accepts it', async () => {
    const refused = await postGraphQL(server.url, { query: '{ __typename }' }, { accept: 'application/graphql-response+json' });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  });

  it('refuses unknown hashes, and automatic persisted queries cannot register new ones', async () => {
    const query = 'query Sneaky { viewer { email } }';
    const hash = sha256Hex(query);
    for (const body of [{ extensions: persistedQuery(hash) }, { query, extensions: persistedQuery(hash) }, { extensions: persistedQuery(hash) }]) {
      const refused = await postGraphQL(server.url, body, auth());
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
    const overGet = await getGraphQL(server.url, { query }, auth());
    expect(overGet.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('refuses a batch, even of trusted operations', async () => {
    const login = { extensions: persistedQuery(trusted('Login').hash), variables: credentials };
    const refused = await postGraphQL(server.url, [login, login]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
  });

  it('still refuses a trusted hash sent with a different text', async () => {
    const refused = await postGraphQL(server.url, { query: '{ viewer { email } }', extensions: persistedQuery(trusted('Viewer').hash) }, auth());
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
