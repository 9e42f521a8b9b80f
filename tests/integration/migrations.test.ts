import { sql } from 'kysely';
import { createMigrator, migrateDown, migrateToLatest } from '../../src/db/migrate';
import { migrations } from '../../db-migrations';
import { Fixtures } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('migrations', { migrate: false });
  });
  afterAll(() => database?.drop());

  const tables = async () =>
    (
      await sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE 'kysely_%'`.execute(database.db.withoutPlugins())
    ).rows.map((row) => row.name).sort();
  const ixIndexes = async () =>
    (
      await sql<{ name: string }>`SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME LIKE 'ix\\_%'`.execute(database.db.withoutPlugins())
    ).rows.length;

  it('goes up, down to nothing and up again, keeping data when only the indexes go', async () => {
    await migrateToLatest(database.db);
    expect(await tables()).toHaveLength(11);
    expect(await ixIndexes()).toBe(13);

    const f = new Fixtures(database.db);
    const user = await f.user('someone@example.com');
    const team = await f.team(user);
    const project = await f.project(team, user);
    await f.comment(await f.crs(project, user), user);

    await migrateDown(database.db); // 0004: the memory outbox's lane and the index its worker polls by
    expect(await ixIndexes()).toBe(12);
    await migrateDown(database.db); // 0003: the measured indexes; 0002's set is back
    expect(await ixIndexes()).toBe(9);
    await migrateDown(database.db); // 0002: indexes and foreign keys
    expect(await ixIndexes()).toBe(0);
    const comments = await database.db.selectFrom('comments').selectAll().execute();
    expect(comments).toHaveLength(1);

    await migrateToLatest(database.db);
    expect(await ixIndexes()).toBe(13);
    expect(await database.db.selectFrom('comments').selectAll().execute()).toEqual(comments);

    for (let i = 0; i < Object.keys(migrations).length; i += 1) await migrateDown(database.db);
    expect(await tables()).toEqual([]);
    const status = await createMigrator(database.db).getMigrations();
    expect(status.every((m) => m.executedAt === undefined)).toBe(true);

    await migrateToLatest(database.db);
    expect(await tables()).toHaveLength(11);
  });
});
