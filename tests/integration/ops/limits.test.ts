import { getIntrospectionQuery } from 'graphql';
import { createConnection, type Connection } from 'mysql2/promise';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually, metricsText, sampleSum, sleep, READ_THE_VIEWER } from '../../support/ops';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../support/server';

/** `{ teams { projects { team { projects { … { id } } } } } }`, `levels` object fields deep. */
function deepQuery(levels: number): string {
  const fields = ['teams', ...Array.from({ length: levels - 1 }, (_, i) => (i % 2 === 0 ? 'projects' : 'team'))];
  return `query Deep { ${fields.map((field) => `${field} {`).join(' ')} id ${'}'.repeat(levels)} }`;
}

const REALISTIC = `query Realistic {
  viewer { id fullName teams(first: 5) { id name } }
  teams(first: 10) {
    id name
    members(first: 20) { role user { id fullName } }
    projects(first: 10) {
      id name status
      creator { id fullName }
      crsDocuments(first: 5) { id title status creator { id } comments(first: 5) { id content author { id fullName } } }
    }
  }
  notifications(first: 20) { unreadCount edges { cursor node { id title subject { __typename ... on Project { id name } } } } }
}`;

describe('request limits', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('ops_limits');
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const team = await f.team(viewer);
    for (let p = 0; p < 3; p += 1) {
      const project = await f.project(team, viewer, `Project ${p}`);
      const crs = await f.crs(project, viewer);
      await f.comment(crs, viewer);
      await f.notification(viewer, 'PROJECT_APPROVED', project);
    }
    server = await startTestServer(database.url, { REQUEST_TIMEOUT_MS: '1500', ...READ_THE_VIEWER });
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** SQL statements the server recorded for one operation name, from /metrics. */
  async function statementsRecorded(operationName: string) {
    const text = await metricsText(server.url);
    return {
      requests: sampleSum(text, 'bridgeai_sql_statements_per_request_count', { operation_name: operationName }),
      statements: sampleSum(text, 'bridgeai_sql_statements_per_request_sum', { operation_name: operationName }),
    };
  }

  function expectRefused(result: GraphQLResponse, code: string, message: RegExp) {
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions?.code).toBe(code);
    expect(result.errors![0].message).toMatch(message);
    expect(result.errors![0].extensions?.requestId).toEqual(expect.any(String));
    expect(result.extensions?.queryCount).toBe(0);
  }

  it('refuses a query 15 levels deep, before any SQL', async () => {
    const result = await server.graphql(deepQuery(15), {}, token);
    expectRefused(result, 'QUERY_TOO_COMPLEX', /15 levels deep; at most 10/);
    expect(await statementsRecorded('Deep')).toEqual({ requests: 1, statements: 0 });
    // The limit counts object levels: 10 passes.
    const ten = await server.graphql(deepQuery(10).replace('teams {', 'teams(first: 1) {').replace(/projects \{/g, 'projects(first: 1) {'), {}, token);
    expect(ten.errors).toBeUndefined();
  });

  it('refuses 500 aliases, also when spread from a fragment, before any SQL', async () => {
    const scalars = `query Aliases { viewer { ${Array.from({ length: 500 }, (_, i) => `a${i}: id`).join(' ')} } }`;
    expectRefused(await server.graphql(scalars, {}, token), 'QUERY_TOO_COMPLEX', /500 aliases; at most 100/);
    const roots = `query Aliases { ${Array.from({ length: 500 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    expectRefused(await server.graphql(roots, {}, token), 'QUERY_TOO_COMPLEX', /500 aliases/);
    // 30 aliases in a fragment spread 20 times are 600 aliases in the response.
    const fragment = `fragment Names on User { ${Array.from({ length: 30 }, (_, i) => `n${i}: fullName`).join(' ')} }`;
    const spread = `query Aliases { viewer { ${Array.from({ length: 20 }, (_, i) => `u${i}: teams(first: 1) { id } ...Names`).join(' ')} } } ${fragment}`;
    expectRefused(await server.graphql(spread, {}, token), 'QUERY_TOO_COMPLEX', /aliases/);
    expect(await statementsRecorded('Aliases')).toEqual({ requests: 3, statements: 0 });
  });

  it('refuses more than 20 top-level fields', async () => {
    const query = `query Wide { ${Array.from({ length: 21 }, (_, i) => `v${i}: viewer { id }`).join(' ')} }`;
    expectRefused(await server.graphql(query, {}, token), 'QUERY_TOO_COMPLEX', /21 top-level fields; at most 20/);
    const twenty = await server.graphql(query.replace(/ v20: viewer \{ id \}/, ''), {}, token);
    expect(twenty.errors).toBeUndefined();
  });

  it('refuses first: 200 under first: 200 under first: 200 by its cost, with the cost and the limit', async () => {
    const bomb = `query Costly { teams(first: 200) { projects(first: 200) { crsDocuments(first: 200) { id creator { id } } } } }`;
    const result = await server.graphql(bomb, {}, token);
    expectRefused(result, 'QUERY_TOO_COMPLEX', /costs 8040201, over the limit of 50000/);
    expect(result.errors![0].extensions).toMatchObject({ cost: 8040201, maxCost: 50000 });
    // The same through variables, and through a variable's default.
    const withVariables = `query Costly($n: Int, $m: Int = 200) { teams(first: $n) { projects(first: $m) { crsDocuments(first: $n) { creator { id } } } } }`;
    expectRefused(await server.graphql(withVariables, { n: 200 }, token), 'QUERY_TOO_COMPLEX', /costs 8040201/);
    // Defaults count too: 50 × 50 × 50 creators.
    expectRefused(await server.graphql(`query Costly { teams { projects { crsDocuments { creator { id } } } } }`, {}, token), 'QUERY_TOO_COMPLEX', /costs 127551,/);
    expect(await statementsRecorded('Costly')).toEqual({ requests: 3, statements: 0 });
    const small = await server.graphql(withVariables, { n: 5, m: 5 }, token);
    expect(small.errors).toBeUndefined();
  });

  it('answers first over 200 anywhere with BAD_USER_INPUT, before the cost', async () => {
    const bomb = `query Paging($n: Int) { teams(first: 200) { projects(first: 200) { crsDocuments(first: $n) { creator { id } } } } }`;
    expectRefused(await server.graphql(bomb, { n: 201 }, token), 'BAD_USER_INPUT', /^first: must be between 0 and 200/);
    expectRefused(await server.graphql(bomb, { n: -1 }, token), 'BAD_USER_INPUT', /^first: must be between 0 and 200/);
    const inFragment = `query Paging { viewer { ...Deep } } fragment Deep on User { teams { projects(first: 1000) { id } } }`;
    expectRefused(await server.graphql(inFragment, {}, token), 'BAD_USER_INPUT', /^first: /);
    expect(await statementsRecorded('Paging')).toEqual({ requests: 3, statements: 0 });
  });

  it('leaves variables of the wrong type to execution, still before any SQL', async () => {
    const result = await server.graphql(`query Typed($n: Int) { teams(first: $n) { id } }`, { n: 'many' }, token);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.extensions?.queryCount).toBe(0);
  });

  it('refuses a 2 MB body with HTTP 413 and runs nothing', async () => {
    const before = await metricsText(server.url);
    const body = JSON.stringify({ query: '{ viewer { id } }', variables: { padding: 'x'.repeat(2 * 1024 * 1024) } });
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    expect(response.status).toBe(413);
    const payload = (await response.json()) as GraphQLResponse;
    expect(payload.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', requestId: response.headers.get('x-request-id') });
    const after = await metricsText(server.url);
    for (const name of ['bridgeai_sql_statements_per_request_count', 'bridgeai_sql_statements_per_request_sum']) {
      expect(sampleSum(after, name)).toBe(sampleSum(before, name));
    }
  });

  it('refuses a document of more than 15 000 tokens at parsing', async () => {
    const query = `{ viewer { ${'id '.repeat(20_000)} } }`;
    const result = await server.graphql(query, {}, token);
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(result.errors?.[0].message).toMatch(/Document contains more th.. 15000 tokens/);
  });

  it('passes a realistic nested query and the introspection query', async () => {
    const nested = await server.graphql(REALISTIC, {}, token);
    expect(nested.errors).toBeUndefined();
    expect(nested.data.teams[0].projects).toHaveLength(3);
    expect(nested.extensions?.queryCount).toBeGreaterThan(0);
    const introspection = await server.graphql(getIntrospectionQuery(), {}, token);
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data.__schema.queryType.name).toBe('Query');
  });

  /** Statements of other sessions that MariaDB is running (or waiting to run) on this database's users table. */
  async function statementsOnUsers(session: Connection): Promise<number> {
    const [rows] = await session.query(
      "SELECT COUNT(*) AS running FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND = 'Query' AND INFO LIKE '%users%'",
    );
    return Number((rows as { running: number }[])[0].running);
  }

  it('answers a request stuck longer than REQUEST_TIMEOUT_MS with 503, then serves on', async () => {
    // Another session's table lock makes the server's SELECT on users wait for real.
    const locker: Connection = await createConnection(database.url);
    try {
      await locker.query('LOCK TABLES users WRITE');
      const startedAt = Date.now();
      const stuck = await server.graphql('query Stuck { viewer { id fullName } }', {}, token);
      const waited = Date.now() - startedAt;
      expect(stuck.status).toBe(503);
      expect(stuck.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(stuck.errors?.[0].extensions?.requestId).toEqual(expect.any(String));
      expect(waited).toBeGreaterThanOrEqual(1400);
      expect(waited).toBeLessThan(5000);
      // Its SELECT does not wait on for the lock: the connection's statement time limit (the
      // request timeout) stops it in MariaDB, while the lock is still held.
      await eventually(async () => (await statementsOnUsers(locker)) === 0, 5000);
    } finally {
      await locker.query('UNLOCK TABLES');
      await locker.end();
    }
    // The late answer of the stuck request is dropped; the server goes on serving.
    await sleep(200);
    const after = await server.graphql('{ viewer { id } }', {}, token);
    expect(after.status).toBe(200);
    expect(after.errors).toBeUndefined();
  });
});
