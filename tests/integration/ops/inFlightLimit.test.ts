import { createConnection, type Connection } from 'mysql2/promise';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';

const UPDATE = `mutation ($id: ID!, $content: String!) {
  updateCrsDocument(input: { id: $id, content: $content, expectedVersion: 1 }) { version }
}`;

/**
 * Two executions at once and one waiting: with the CRS row locked from another connection, five
 * concurrent updates leave two executing, one queued, and two refused at once.
 */
describe('requests in flight are bounded', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  let crsId: number;
  let locker: Connection;

  beforeAll(async () => {
    database = await createTestDatabase('inflight');
    const f = new Fixtures(database.db);
    const user = await f.user('writer@example.com');
    crsId = await f.crs(await f.project(await f.team(user), user), user);
    server = await startTestServer(database.url, { MAX_IN_FLIGHT: '2', MAX_QUEUED: '1' });
    token = await server.login('writer@example.com', FIXTURE_PASSWORD);
    locker = await createConnection({ uri: database.url });
  });
  afterAll(async () => {
    await locker?.end();
    await server?.stop();
    await database?.drop();
  });

  it('refuses what neither runs nor fits the queue with 503 and Retry-After, then serves again', async () => {
    await locker.query('START TRANSACTION');
    await locker.query('SELECT id FROM crs_documents WHERE id = ? FOR UPDATE', [crsId]);
    const send = (n: number) =>
      fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: UPDATE, variables: { id: String(crsId), content: `edit ${n}` } }),
      });
    const pending = [0, 1, 2, 3, 4].map(send);

    // The two refusals come back while the row is still locked.
    const settled: Response[] = [];
    pending.forEach((p) => p.then((r) => settled.push(r)));
    while (settled.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled.map((r) => r.status)).toEqual([503, 503]);
    for (const refused of settled) {
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }

    await locker.query('COMMIT');
    const all = await Promise.all(pending);
    const served = all.filter((r) => r.status !== 503);
    expect(served).toHaveLength(3);
    const results = (await Promise.all(served.map((r) => r.json()))) as {
      data?: { updateCrsDocument?: { version: number } };
      errors?: { extensions?: { code?: string } }[];
    }[];
    expect(results.filter((r) => r.data?.updateCrsDocument?.version === 2)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(2);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^bridgeai_requests_shed_total 2$/m);
    const after = await server.graphql('{ viewer { email } }', {}, token);
    expect(after.data.viewer.email).toBe('writer@example.com');
  });
});
