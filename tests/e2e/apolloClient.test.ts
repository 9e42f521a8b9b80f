import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type { DocumentNode } from 'graphql';
import {
  CreateTeamDocument,
  LoginDocument,
  ProjectsDocument,
  ReviewProjectDocument,
  ViewerDocument,
} from '../../schema/generated/graphql';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_PASSWORD, Fixtures } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/server';

/** One HTTP request as it left the client: what the server received. */
interface RecordedRequest {
  method: string;
  operationName: string | undefined;
  /** Whether the query text was sent, or only its hash. */
  sentQuery: boolean;
  hash: string | undefined;
  status: number;
  errorCode: string | undefined;
}

/**
 * The web client as the product builds it: Apollo Client with InMemoryCache, a link that adds
 * the bearer token, Apollo's persisted-queries link and HttpLink, against the real server.
 * `fetch` is wrapped to record each request on the wire.
 */
function webClient(url: string, hashing: { sha256: (text: string) => string } | { generateHash: (document: DocumentNode) => string }) {
  const requests: RecordedRequest[] = [];
  let token: string | undefined;

  const recordingFetch: typeof fetch = async (input, init) => {
    const method = init?.method ?? 'GET';
    const payload: Record<string, unknown> =
      method === 'GET' ? Object.fromEntries(new URL(String(input)).searchParams) : JSON.parse(String(init?.body));
    const extensions = typeof payload.extensions === 'string' ? JSON.parse(payload.extensions) : payload.extensions;
    const response = await fetch(input, init);
    const body = (await response.clone().json()) as { errors?: { extensions?: { code?: string } }[] };
    requests.push({
      method,
      operationName: payload.operationName as string | undefined,
      sentQuery: typeof payload.query === 'string',
      hash: extensions?.persistedQuery?.sha256Hash,
      status: response.status,
      errorCode: body.errors?.[0]?.extensions?.code,
    });
    return response;
  };

  const bearerToken = new ApolloLink((operation, forward) => {
    if (token) operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ headers: { ...headers, authorization: `Bearer ${token}` } }));
    return forward(operation);
  });

  const client = new ApolloClient({
    cache: new InMemoryCache(),
    link: ApolloLink.from([
      bearerToken,
      new PersistedQueryLink({ ...hashing, useGETForHashedQueries: true }),
      new HttpLink({ uri: `${url}/graphql`, fetch: recordingFetch }),
    ]),
  });
  return {
    client,
    requests,
    signIn: (newToken: string) => {
      token = newToken;
    },
    requestsFor: (operationName: string) => requests.filter((request) => request.operationName === operationName),
  };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('web client: Apollo Client against the server over HTTP', () => {
  let database: TestDatabase;
  let server: TestServer;
  let pendingProjectId: string;

  beforeAll(async () => {
    database = await createTestDatabase('e2e_apollo');
    const fixtures = new Fixtures(database.db);
    const alice = await fixtures.user('alice@example.com', 'Alice Admin');
    const alpha = await fixtures.team(alice, 'Alpha');
    await fixtures.project(alpha, alice, 'Checkout', 'APPROVED');
    pendingProjectId = String(await fixtures.project(alpha, alice, 'Onboarding', 'PENDING'));
    server = await startTestServer(database.url);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  describe('with automatic persisted queries (sha256 of the printed document)', () => {
    let session: ReturnType<typeof webClient>;

    beforeAll(() => {
      session = webClient(server.url, { sha256 });
    });

    it('signs in: the mutation is registered on its first use (hash, not found, then hash + query)', async () => {
      const { client, signIn, requestsFor } = session;
      const result = await client.mutate({ mutation: LoginDocument, variables: { email: 'alice@example.com', password: FIXTURE_PASSWORD } });
      const login = result.data!.login;
      expect(login.user.fullName).toBe('Alice Admin');
      signIn(login.token);

      expect(requestsFor('Login')).toEqual([
        expect.objectContaining({ method: 'POST', sentQuery: false, errorCode: 'PERSISTED_QUERY_NOT_FOUND' }),
        expect.objectContaining({ method: 'POST', sentQuery: true, status: 200, errorCode: undefined }),
      ]);
    });

    it('reads viewer → teams → projects', async () => {
      const { client } = session;
      const viewer = await client.query({ query: ViewerDocument });
      expect(viewer.data!.viewer.fullName).toBe('Alice Admin');
      const teamIds = viewer.data!.viewer.teams.map((team) => team.id);
      expect(viewer.data!.viewer.teams.map((team) => team.name)).toEqual(['Alpha']);

      const projects = await client.query({ query: ProjectsDocument, variables: { teamIds, first: 10 } });
      expect(projects.data!.projects.edges.map((edge) => [edge.node.name, edge.node.status])).toEqual([
        ['Onboarding', 'PENDING'],
        ['Checkout', 'APPROVED'],
      ]);
      expect(projects.data!.projects.edges[0].node.team.name).toBe('Alpha');
    });

    it('sends the hash alone, over GET, from the second request of an operation on', async () => {
      const { client, requestsFor } = session;
      const again = await client.query({ query: ViewerDocument, fetchPolicy: 'network-only' });
      expect(again.data!.viewer.fullName).toBe('Alice Admin');

      const viewerRequests = requestsFor('Viewer');
      expect(viewerRequests).toEqual([
        expect.objectContaining({ method: 'GET', sentQuery: false, errorCode: 'PERSISTED_QUERY_NOT_FOUND' }),
        expect.objectContaining({ method: 'POST', sentQuery: true, status: 200, errorCode: undefined }),
        expect.objectContaining({ method: 'GET', sentQuery: false, status: 200, errorCode: undefined }),
      ]);
      // One operation, one hash, whichever way it travelled.
      expect(new Set(viewerRequests.map((request) => request.hash)).size).toBe(1);
    });

    it('updates the cache from mutation results', async () => {
      const { client, requests } = session;

      // A new entity: the update function puts it into the cached viewer's team list.
      const created = await client.mutate({
        mutation: CreateTeamDocument,
        variables: { name: 'Platform', description: 'Core services' },
        update(cache, { data }) {
          cache.updateQuery({ query: ViewerDocument }, (cached) =>
            cached && data ? { ...cached, viewer: { ...cached.viewer, teams: [...cached.viewer.teams, data.createTeam] } } : cached,
          );
        },
      });
      expect(created.data!.createTeam.name).toBe('Platform');

      // An existing entity: the cache is normalized by __typename and id, so every cached query
      // that holds this project sees its new status without asking the server.
      const reviewed = await client.mutate({ mutation: ReviewProjectDocument, variables: { id: pendingProjectId, approve: true } });
      expect(reviewed.data!.reviewProject.status).toBe('APPROVED');

      const sentBefore = requests.length;
      const viewer = await client.query({ query: ViewerDocument, fetchPolicy: 'cache-only' });
      expect(viewer.data!.viewer.teams.map((team) => team.name)).toEqual(['Alpha', 'Platform']);
      const teamIds = viewer.data!.viewer.teams.slice(0, 1).map((team) => team.id);
      const projects = await client.query({ query: ProjectsDocument, variables: { teamIds, first: 10 }, fetchPolicy: 'cache-only' });
      expect(projects.data!.projects.edges.map((edge) => [edge.node.name, edge.node.status])).toEqual([
        ['Onboarding', 'APPROVED'],
        ['Checkout', 'APPROVED'],
      ]);
      expect(requests.length).toBe(sentBefore);
    });

    it('on a fresh page load, sends the hash alone from the first request (the server remembers it)', async () => {
      const fresh = webClient(server.url, { sha256 });
      fresh.signIn(await server.login('alice@example.com', FIXTURE_PASSWORD));
      const viewer = await fresh.client.query({ query: ViewerDocument });
      expect(viewer.data!.viewer.teams.map((team) => team.name)).toEqual(['Alpha', 'Platform']);
      expect(fresh.requests).toEqual([expect.objectContaining({ method: 'GET', sentQuery: false, status: 200, errorCode: undefined })]);
    });
  });

  describe('with trusted documents (PERSISTED_OPERATIONS=only)', () => {
    let trustedServer: TestServer;

    beforeAll(async () => {
      trustedServer = await startTestServer(database.url, { PERSISTED_OPERATIONS: 'only' });
    });
    afterAll(async () => {
      await trustedServer?.stop();
    });

    it('works with the hashes codegen put into the typed documents, never sending a query text', async () => {
      // The client preset writes each document's manifest id as `sha256:<hex>` into `__meta__.hash`.
      const generateHash = (document: DocumentNode) =>
        String((document as { __meta__?: { hash?: string } }).__meta__?.hash).replace(/^sha256:/, '');
      const { client, requests, signIn } = webClient(trustedServer.url, { generateHash });

      const login = await client.mutate({ mutation: LoginDocument, variables: { email: 'alice@example.com', password: FIXTURE_PASSWORD } });
      signIn(login.data!.login.token);
      const viewer = await client.query({ query: ViewerDocument });
      const teamIds = viewer.data!.viewer.teams.map((team) => team.id);
      const projects = await client.query({ query: ProjectsDocument, variables: { teamIds, first: 10 } });

      expect(viewer.data!.viewer.fullName).toBe('Alice Admin');
      expect(projects.data!.projects.edges.map((edge) => edge.node.name)).toEqual(['Onboarding', 'Checkout']);
      expect(requests.map(({ operationName, sentQuery, status, errorCode }) => ({ operationName, sentQuery, status, errorCode }))).toEqual(
        ['Login', 'Viewer', 'Projects'].map((operationName) => ({ operationName, sentQuery: false, status: 200, errorCode: undefined })),
      );
    });
  });
});
