import { sql } from 'kysely';
import { Fixtures, FIXTURE_PASSWORD } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

describe('health endpoints and the pool under exhaustion', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase('health');
    const f = new Fixtures(database.db);
    await f.team(await f.user('viewer@example.com'));
    server = await startTestServer(database.url, { DB_POOL_SIZE: '1', DB_POOL_MAX_OVERFLOW: '0', DB_POOL_TIMEOUT_MS: '500' });
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('answers /health, /health/ready and /health/database', async () => {
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { mysql: 'ok' } });
    const pool = await (await fetch(`${server.url}/health/database`)).json();
    expect(pool).toEqual({ poolSize: 1, maxOverflow: 0, checkedOut: 0, idle: 1, waiting: 0, utilization: 0, status: 'healthy' });
  });

  it('fails a request with SERVICE_UNAVAILABLE when no connection frees up, then serves again', async () => {
    // Hold the pool's only connection in a transaction that waits for us.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const isHolding = new Promise<void>((resolve) => (holding = resolve));
    const transaction = server.database.db.transaction().execute(async (trx) => {
      await sql`SELECT 1`.execute(trx);
      holding();
      await held;
    });
    await isHolding;

    const pool = await (await fetch(`${server.url}/health/database`)).json();
    expect(pool).toMatchObject({ checkedOut: 1, utilization: 1, status: 'critical' });
    const starved = await server.graphql('{ teams { id } }', {}, token);
    expect(starved.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(starved.errors?.[0].message).not.toMatch(/POOL|mysql|SELECT/);
    const ready = await fetch(`${server.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ failed: ['mysql'] });

    release();
    await transaction;
    const served = await server.graphql('{ teams { id } }', {}, token);
    expect(served.errors).toBeUndefined();
    expect(served.data.teams).toHaveLength(1);
  });
});
