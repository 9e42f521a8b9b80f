import { loadConfig } from '../../src/config';
import { createDatabase, type DatabaseHandle } from '../../src/db/database';
import { dropDatabase, ensureDatabase } from '../../src/db/ensureDatabase';
import { migrateToLatest } from '../../src/db/migrate';

export interface TestDatabase extends DatabaseHandle {
  readonly url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** The MariaDB server the tests use (DESIGN.md "Services"). */
export const TEST_SERVER_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

/**
 * A database URL private to this test file's label and Jest worker process:
 * bridgeai_test_<label>_<worker>_<pid>. The pid keeps two Jest runs on one server apart.
 */
export function testDatabaseUrl(label: string, serverUrl = TEST_SERVER_URL): string {
  return `${serverUrl}/bridgeai_test_${label}_${process.env.JEST_WORKER_ID ?? '0'}_${process.pid}`;
}

export interface TestDatabaseOptions {
  /** false: the database stays empty. Migrated by default. */
  migrate?: boolean;
  /** Another server than the shared one, e.g. a test's own (ownMariadb.ts): `mysql://root@127.0.0.1:3307`. */
  serverUrl?: string;
}

/** Drops and re-creates this test's own database, migrated to the latest version. */
export async function createTestDatabase(label: string, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = testDatabaseUrl(label, options.serverUrl);
  await dropDatabase(url);
  await ensureDatabase(url);
  const handle = createDatabase(url, loadConfig({}).pool);
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    ...handle,
    url,
    async drop() {
      await handle.destroy();
      await dropDatabase(url);
    },
  };
}
