import { createConnection } from 'mysql2/promise';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { metricsText, samples, sampleSum, sleep, READ_THE_VIEWER } from '../../support/ops';
import { startTestServer, type TestServer } from '../../support/server';

const NESTED = `query Nested {
  teams(first: 10) {
    id
    members(first: 10) { role user { id fullName } }
    projects(first: 10) { id creator { id } crsDocuments(first: 5) { id comments(first: 5) { id author { id } } } }
  }
}`;
const LOGIN = 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

describe('/metrics after real requests', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  let nestedCount: number;
  let text: string;

  beforeAll(async () => {
    database = await createTestDatabase('ops_metrics');
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const other = await f.user('other@example.com');
    for (let t = 0; t < 2; t += 1) {
      const team = await f.team(viewer, `Team ${t}`);
      await f.member(team, other);
      for (let p = 0; p < 2; p += 1) {
        const crs = await f.crs(await f.project(team, other), other);
        await f.comment(crs, viewer);
        await f.comment(crs, other);
      }
    }
    server = await startTestServer(database.url, {
      DB_POOL_SIZE: '4',
      DB_POOL_MAX_OVERFLOW: '2',
      SLOW_OPERATION_MS: '300',
      ...READ_THE_VIEWER,
    });
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);

    const nested = await server.graphql(NESTED, {}, token);
    expect(nested.errors).toBeUndefined();
    nestedCount = nested.extensions!.queryCount!;
    await server.graphql('query Broken { team(id: "x") { id } }', {}, token);
    // Six failed logins for one email: five are counted as failures, the sixth is throttled.
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await server.graphql(LOGIN, { email: 'viewer@example.com', password: 'wrong password' });
    }
    // A slow operation for real: another session's table lock holds the server's SELECT.
    const locker = await createConnection(database.url);
    await locker.query('LOCK TABLES users WRITE');
    const slow = server.graphql('query Slow { viewer { id fullName } }', {}, token);
    await sleep(500);
    await locker.query('UNLOCK TABLES');
    await locker.end();
    expect((await slow).errors).toBeUndefined();
    text = await metricsText(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('has the GraphQL operation duration by name, type and outcome', () => {
    const count = (labels: Record<string, string>) => sampleSum(text, 'bridgeai_graphql_operation_duration_seconds_count', labels);
    expect(count({ operation_name: 'Nested', operation_type: 'query', outcome: 'ok' })).toBe(1);
    expect(count({ operation_name: 'Broken', operation_type: 'query', outcome: 'error' })).toBe(1);
    expect(count({ operation_name: 'Login', operation_type: 'mutation', outcome: 'error' })).toBe(6);
    const nestedSeconds = sampleSum(text, 'bridgeai_graphql_operation_duration_seconds_sum', { operation_name: 'Nested' });
    expect(nestedSeconds).toBeGreaterThan(0);
    expect(nestedSeconds).toBeLessThan(10);
    expect(sampleSum(text, 'bridgeai_graphql_operation_duration_seconds_sum', { operation_name: 'Slow' })).toBeGreaterThanOrEqual(0.45);
  });

  it("has the SQL statements per request, with the nested query's own count", () => {
    expect(nestedCount).toBeGreaterThan(3);
    expect(sampleSum(text, 'bridgeai_sql_statements_per_request_sum', { operation_name: 'Nested' })).toBe(nestedCount);
    expect(sampleSum(text, 'bridgeai_sql_statements_per_request_count', { operation_name: 'Nested' })).toBe(1);
    // The bad id is refused before any SQL.
    expect(sampleSum(text, 'bridgeai_sql_statements_per_request_sum', { operation_name: 'Broken' })).toBe(0);
  });

  it('has the pool gauges and the acquire wait', () => {
    expect(sampleSum(text, 'bridgeai_db_pool_size')).toBe(6);
    expect(sampleSum(text, 'bridgeai_db_pool_checked_out')).toBe(0);
    expect(sampleSum(text, 'bridgeai_db_pool_waiting')).toBe(0);
    expect(sampleSum(text, 'bridgeai_db_pool_utilization_ratio')).toBe(0);
    expect(sampleSum(text, 'bridgeai_db_pool_acquire_wait_seconds_count')).toBeGreaterThanOrEqual(nestedCount);
  });

  it('has the DataLoader batch sizes by loader', () => {
    const batches = samples(text, 'bridgeai_dataloader_batch_size_count').filter((sample) => sample.value > 0);
    expect(batches.length).toBeGreaterThan(0);
    // Four CRS documents' comments in one batch.
    const largest = samples(text, 'bridgeai_dataloader_batch_size_sum').reduce((max, sample) => Math.max(max, sample.value), 0);
    expect(largest).toBeGreaterThanOrEqual(4);
  });

  it('counts login failures, throttled logins and slow operations', () => {
    expect(sampleSum(text, 'bridgeai_login_failures_total')).toBe(5);
    expect(sampleSum(text, 'bridgeai_requests_shed_total')).toBe(1);
    expect(sampleSum(text, 'bridgeai_slow_operations_total')).toBeGreaterThanOrEqual(1);
  });

  it('has the HTTP request duration by route and status', () => {
    expect(sampleSum(text, 'bridgeai_http_request_duration_seconds_count', { route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(9);
  });
});
