import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { sql } from 'kysely';
import { demoAccount } from '../../src/seed/generators/people';
import { seedDatabase } from '../../src/seed/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import { notificationsQuery } from '../../bench/queries';

/**
 * GRAPHQL_EXECUTION=compiled (graphql-jit) must answer exactly what graphql-js answers: the same
 * data, the same errors (message, code, path, locations), the same HTTP status and the same SQL
 * statement count, for every query the clients send and for the ways a request goes wrong.
 */

const OPERATIONS_DIR = join(__dirname, '..', '..', 'schema', 'operations');

let database: TestDatabase;
let compiled: TestServer;
let graphqlJs: TestServer;
let tokens: { compiled: string; graphqlJs: string };
const ids = { ownProject: 0, ownCrs: 0, ownSession: 0, ownTeam: 0, otherProject: 0, otherCrs: 0, otherTeam: 0 };

beforeAll(async () => {
  database = await createTestDatabase('compiled');
  await seedDatabase(database.db, { scale: 'small' });
  const first = async (query: ReturnType<typeof sql<{ id: number }>>) => Number((await query.execute(database.db)).rows[0]!.id);
  const mine = sql`SELECT team_id FROM team_members WHERE user_id = 1 AND is_active = 1`;
  ids.ownTeam = await first(sql`SELECT MIN(team_id) AS id FROM team_members WHERE user_id = 1 AND is_active = 1`);
  ids.otherTeam = await first(sql`SELECT MIN(id) AS id FROM teams WHERE id NOT IN (${mine})`);
  ids.ownProject = await first(sql`SELECT MIN(p.id) AS id FROM projects p JOIN crs_documents c ON c.project_id = p.id WHERE p.team_id IN (${mine})`);
  ids.otherProject = await first(sql`SELECT MIN(id) AS id FROM projects WHERE team_id NOT IN (${mine})`);
  ids.ownCrs = await first(sql`SELECT MIN(c.id) AS id FROM crs_documents c JOIN comments m ON m.crs_id = c.id WHERE c.project_id = ${ids.ownProject}`);
  ids.otherCrs = await first(sql`SELECT MIN(id) AS id FROM crs_documents WHERE project_id = ${ids.otherProject}`);
  ids.ownSession = await first(sql`SELECT MIN(s.id) AS id FROM chat_sessions s JOIN projects p ON p.id = s.project_id WHERE p.team_id IN (${mine})`);

  // Development servers, so responses carry extensions.queryCount.
  compiled = await startTestServer(database.url, { GRAPHQL_EXECUTION: 'compiled', NODE_ENV: 'development' });
  graphqlJs = await startTestServer(database.url, { GRAPHQL_EXECUTION: 'graphql-js', NODE_ENV: 'development' });
  tokens = {
    compiled: await compiled.login(demoAccount.email, demoAccount.password),
    graphqlJs: await graphqlJs.login(demoAccount.email, demoAccount.password),
  };
}, 120_000);

afterAll(async () => {
  await compiled?.stop();
  await graphqlJs?.stop();
  await database?.drop();
});

/** A response without what differs by request (the request id). */
function comparable(response: GraphQLResponse): unknown {
  const errors = response.errors?.map(({ extensions, ...error }) => {
    const { requestId: _requestId, ...rest } = extensions ?? {};
    return { ...error, extensions: rest };
  });
  return { ...response, errors };
}

async function bothAnswer(query: string, variables?: Record<string, unknown>, signedIn = true) {
  const fromCompiled = await compiled.graphql(query, variables, signedIn ? tokens.compiled : undefined);
  const fromGraphqlJs = await graphqlJs.graphql(query, variables, signedIn ? tokens.graphqlJs : undefined);
  expect(comparable(fromCompiled)).toEqual(comparable(fromGraphqlJs));
  return fromCompiled;
}

function operation(file: string): string {
  return readFileSync(join(OPERATIONS_DIR, file), 'utf8');
}

describe('compiled execution answers exactly what graphql-js answers', () => {
  it('for every query operation the clients send, with data', async () => {
    const variablesOf: Record<string, Record<string, unknown>> = {
      'crsDocument.graphql': { id: String(ids.ownCrs), commentsFirst: 5 },
      'chatSessionMessages.graphql': { id: String(ids.ownSession), first: 5 },
      'project.graphql': { id: String(ids.ownProject), crsFirst: 3, commentsFirst: 3 },
      'team.graphql': { id: String(ids.ownTeam) },
    };
    const queries = readdirSync(OPERATIONS_DIR).filter((file) => file.endsWith('.graphql') && /^\s*(#.*\n\s*)*query\b/.test(operation(file)));
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const file of queries) {
      if (file === 'searchMemory.graphql') continue; // needs Chroma: tests/integration/memory covers it (compiled, the default)
      const response = await bothAnswer(operation(file), variablesOf[file] ?? {});
      expect({ file, errors: response.errors }).toEqual({ file, errors: undefined });
      expect({ file, hasData: response.data !== null && typeof response.data === 'object' }).toEqual({ file, hasData: true });
    }
  });

  it('for the notifications page, whose subjects are a union of five types', async () => {
    const response = await bothAnswer(notificationsQuery);
    const types = new Set(response.data.notifications.edges.map((edge: any) => edge.node.subject?.__typename));
    expect(types.size).toBeGreaterThan(1);
  });

  it('for fragments, aliases, @skip/@include and __typename', async () => {
    const response = await bothAnswer(
      `query Shapes($withTeam: Boolean!, $withoutName: Boolean!) {
        mine: projects(first: 3) { edges { node { ...P kind: __typename team @include(if: $withTeam) { id } } } }
        again: projects(first: 1) { edges { node { id name @skip(if: $withoutName) } } }
      }
      fragment P on Project { id name status }`,
      { withTeam: true, withoutName: true },
    );
    expect(response.data.mine.edges[0].node.kind).toBe('Project');
  });

  it('when another team is asked for, by id and through nested fields', async () => {
    await bothAnswer(`{ project(id: "${ids.otherProject}") { id name } }`);
    await bothAnswer(`{ crsDocument(id: "${ids.otherCrs}") { id comments { id author { id } } } }`);
    const response = await bothAnswer(`{ team(id: "${ids.otherTeam}") { id projects { id } } }`);
    expect(response.data.team).toBeNull();
  });

  it('for refused, malformed and anonymous requests', async () => {
    const refused = [
      ['a variable that does not coerce', 'query ($id: ID!) { project(id: $id) { id } }', { id: { not: 'an id' } }],
      ['a missing required variable', 'query ($id: ID!) { project(id: $id) { id } }', {}],
      ['a page size out of range', '{ projects(first: 500) { edges { node { id } } } }', {}],
      ['a tampered cursor', '{ notifications(first: 2, after: "bm90LWEtY3Vyc29y") { edges { node { id } } } }', {}],
      ['a field that does not exist', '{ projects { nope } }', {}],
    ] as const;
    for (const [, query, variables] of refused) {
      const response = await bothAnswer(query, variables);
      expect(response.errors?.length ?? 0).toBeGreaterThan(0);
    }
    const anonymous = await bothAnswer('{ viewer { id } projects(first: 1) { edges { node { id } } } }', undefined, false);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('for an unknown operation name and for several operations without a name', async () => {
    const post = async (server: TestServer, token: string, body: object) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return comparable({ status: response.status, ...((await response.json()) as object) });
    };
    for (const body of [
      { query: 'query A { viewer { id } }', operationName: 'Missing' },
      { query: 'query A { viewer { id } } query B { viewer { email } }' },
      { query: 'query A { viewer { id } } query B { viewer { email } }', operationName: 'B' },
    ]) {
      expect(await post(compiled, tokens.compiled, body)).toEqual(await post(graphqlJs, tokens.graphqlJs, body));
    }
  });

  it('for the introspection query', async () => {
    const response = await bothAnswer(getIntrospectionQuery());
    expect(response.data.__schema.types.length).toBeGreaterThan(20);
  });

  it('for a mutation refused before it writes anything', async () => {
    const response = await bothAnswer(
      `mutation ($id: ID!) { addComment(crsId: $id, content: "from outside") { id } }`,
      { id: String(ids.otherCrs) },
    );
    expect(response.errors?.length ?? 0).toBeGreaterThan(0);
  });
});
