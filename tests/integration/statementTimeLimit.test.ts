import { sql } from 'kysely';
import { loadConfig } from '../../src/config';
import { createDatabase, type DatabaseHandle } from '../../src/db/database';
import { isStatementTimeout } from '../../src/db/errors';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { Fixtures } from '../support/fixtures';

/** Connections with a statement time limit (src/db/statementTimeLimit.ts), against real MariaDB. */
describe('statement time limit', () => {
  let database: TestDatabase;
  let limited: DatabaseHandle;

  beforeAll(async () => {
    database = await createTestDatabase('statement_limit');
    limited = createDatabase(database.url, { ...loadConfig({}).pool, size: 2, maxOverflow: 1 }, { statementTimeoutMs: 300 });
  });

  afterAll(async () => {
    await limited?.destroy();
    await database?.drop();
  });

  /** The error a statement failed with, or undefined when it succeeded. */
  async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
    try {
      await run();
      return undefined;
    } catch (error) {
      return error;
    }
  }

  it('stops a statement that runs longer than the limit, on every connection of the pool', async () => {
    const startedAt = Date.now();
    // Three at once: both pooled connections and the overflow one.
    const failures = await Promise.all([1, 2, 3].map(() => failureOf(() => sql`SELECT SLEEP(5)`.execute(limited.db))));
    expect(Date.now() - startedAt).toBeLessThan(3000);
    for (const failure of failures) {
      expect(isStatementTimeout(failure)).toBe(true);
      expect((failure as { errno: number }).errno).toBe(1969);
    }
    // Statements within the limit run as usual, on the same connections.
    const { rows } = await sql<{ slept: number }>`SELECT SLEEP(0.05) AS slept`.execute(limited.db);
    expect(rows).toEqual([{ slept: 0 }]);
  });

  it('rolls back the transaction of a stopped statement', async () => {
    const failure = await failureOf(() =>
      limited.db.transaction().execute(async (trx) => {
        await new Fixtures(trx).user('kept-out@example.com');
        await sql`SELECT SLEEP(5)`.execute(trx);
      }),
    );
    expect(isStatementTimeout(failure)).toBe(true);
    const users = await database.db.selectFrom('users').select('email').where('email', '=', 'kept-out@example.com').execute();
    expect(users).toEqual([]);
  });

  it('leaves connections without a limit when none is given', async () => {
    const { rows } = await sql<{ limit: string }>`SELECT @@max_statement_time AS \`limit\``.execute(database.db);
    expect(Number(rows[0].limit)).toBe(0);
    const limitedRows = (await sql<{ limit: string }>`SELECT @@max_statement_time AS \`limit\``.execute(limited.db)).rows;
    expect(Number(limitedRows[0].limit)).toBe(0.3);
  });
});
