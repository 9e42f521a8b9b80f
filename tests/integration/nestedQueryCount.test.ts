import { sql } from 'kysely';
import { FIXTURE_PASSWORD } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer } from '../support/server';
import { buildTree } from '../support/tree';

/**
 * teams → projects → crsDocuments → comments → author, plus creator, team and members: depth 5.
 * Its `first` values keep it under the default cost limit (about 14,000).
 */
const NESTED = `query Nested {
  teams(first: 30) {
    id name
    members(first: 5) { role user { id fullName } }
    projects(first: 30) {
      id name
      team { id }
      creator { id fullName }
      crsDocuments(first: 2) {
        id title
        creator { id }
        comments(first: 2) { id content author { id fullName } }
      }
    }
  }
}`;
const DEPTH = 5;

async function countFor(database: TestDatabase, breadth: number, optimized: boolean) {
  const server = await startTestServer(database.url, {
    USE_OPTIMIZED_QUERIES: String(optimized),
    // One connection, so the Questions check below sees exactly this server's statements.
    DB_POOL_SIZE: '1',
    DB_POOL_MAX_OVERFLOW: '0',
    // Naive mode at breadth 30 sends thousands of statements; give it time on a busy machine.
    REQUEST_TIMEOUT_MS: '120000',
  });
  try {
    const token = await server.login(`viewer-b${breadth}@example.com`, FIXTURE_PASSWORD);
    const result = await server.graphql(NESTED, {}, token);
    expect(result.errors).toBeUndefined();
    const comments = result.data.teams.flatMap((t: any) => t.projects.flatMap((p: any) => p.crsDocuments.flatMap((c: any) => c.comments)));
    expect(result.data.teams).toHaveLength(breadth);
    expect(comments).toHaveLength(breadth * breadth * 2 * 2);
    return { counter: result.extensions!.queryCount as number, server, token };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

describe('SQL statements of the nested query', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('nested');
    await buildTree(database.db, 3, 'b3');
    await buildTree(database.db, 30, 'b30');
  });
  afterAll(() => database.drop());

  it('is the same at breadth 3 and 30, and at most depth + 3, with the loaders', async () => {
    const small = await countFor(database, 3, true);
    await small.server.stop();
    const large = await countFor(database, 30, true);
    await large.server.stop();
    expect(large.counter).toBe(small.counter);
    expect(small.counter).toBeLessThanOrEqual(DEPTH + 3);
  });

  it('grows with the breadth in naive mode (one query per relation)', async () => {
    const small = await countFor(database, 3, false);
    await small.server.stop();
    const large = await countFor(database, 30, false);
    await large.server.stop();
    expect(small.counter).toBeGreaterThan(DEPTH + 3);
    expect(large.counter).toBeGreaterThan(small.counter * 50);
  });

  it("agrees with the database's own Questions counter", async () => {
    for (const optimized of [true, false]) {
      const { server, token } = await countFor(database, 3, optimized);
      try {
        // The pool has one connection, so the server's statements and ours share one session.
        const questions = async () => {
          const result = await sql<{ Value: string }>`SHOW SESSION STATUS LIKE 'Questions'`.execute(server.database.db.withoutPlugins());
          return Number(result.rows[0].Value);
        };
        const before = await questions();
        const result = await server.graphql(NESTED, {}, token);
        const after = await questions();
        // `after` counts the second SHOW itself.
        expect(after - before - 1).toBe(result.extensions!.queryCount);
      } finally {
        await server.stop();
      }
    }
  });
});
