import { createConnection, type Connection } from 'mysql2/promise';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { sleep, READ_THE_VIEWER } from '../../support/ops';
import { startTestServer } from '../../support/server';

/**
 * MAX_COST_IN_FLIGHT, seen from MariaDB: with `users` locked, every request reading a user
 * blocks inside its SQL statement, so the statements waiting on the lock are exactly the
 * operations executing. A budget of 1 lets one operation in at a time; a large one lets all in.
 */
describe('the cost budget (MAX_COST_IN_FLIGHT)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('ops_cost_budget');
    const f = new Fixtures(database.db);
    await f.user('viewer@example.com');
  });
  afterAll(() => database?.drop());

  async function statementsWaitingOnTheLock(admin: Connection): Promise<number> {
    const [rows] = await admin.query<any[]>(
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND STATE LIKE 'Waiting for table%'",
      [new URL(database.url).pathname.slice(1)],
    );
    return Number(rows[0].n);
  }

  it.each([
    ['1', 1],
    ['100000', 3],
  ])('with MAX_COST_IN_FLIGHT=%s, %i of 3 concurrent operations execute while the others wait', async (budget, executing) => {
    const server = await startTestServer(database.url, { MAX_COST_IN_FLIGHT: budget, REQUEST_TIMEOUT_MS: '20000', ...READ_THE_VIEWER });
    const locker = await createConnection(database.url);
    const admin = await createConnection(database.url);
    try {
      const token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
      await locker.query('LOCK TABLES users WRITE');
      const pending = [1, 2, 3].map(() => server.graphql('{ viewer { id fullName } }', {}, token));
      let waiting = 0;
      for (let i = 0; i < 100 && waiting < executing; i += 1) {
        await sleep(20);
        waiting = await statementsWaitingOnTheLock(admin);
      }
      // Long enough for an operation that should have waited to reach MariaDB if it did not.
      await sleep(300);
      expect(await statementsWaitingOnTheLock(admin)).toBe(executing);
      await locker.query('UNLOCK TABLES');
      for (const response of await Promise.all(pending)) {
        expect(response.errors).toBeUndefined();
        expect(response.data.viewer.fullName).toEqual(expect.any(String));
      }
    } finally {
      await locker.query('UNLOCK TABLES').catch(() => undefined);
      await locker.end();
      await admin.end();
      await server.stop();
    }
  });
});
