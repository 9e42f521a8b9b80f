import { Migrator, type MigrationResultSet } from 'kysely';
import { migrationProvider } from '../../db-migrations';
import type { Db } from './database';

/** Kysely's Migrator over the migrations in db-migrations/index.ts. */
export function createMigrator(db: Db): Migrator {
  // Migrations write raw SQL; the migrator's own bookkeeping tables use Kysely's names.
  return new Migrator({ db: db.withoutPlugins(), provider: migrationProvider });
}

/** Applies every pending migration; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Db): Promise<MigrationResultSet> {
  return check(await createMigrator(db).migrateToLatest());
}

/** Rolls back the newest applied migration. */
export async function migrateDown(db: Db): Promise<MigrationResultSet> {
  return check(await createMigrator(db).migrateDown());
}

function check(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed} failed: ${cause}`, { cause: result.error });
  }
  return result;
}
