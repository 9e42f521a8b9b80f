import type { Migration, MigrationProvider } from 'kysely';
import * as createTables from './0001_create_tables';
import * as strategicIndexes from './0002_strategic_indexes';
import * as measuredIndexes from './0003_measured_indexes';
import * as memoryLanes from './0004_memory_lanes';

/** Every migration, by name; Kysely's Migrator applies them in name order. */
export const migrations: Record<string, Migration> = {
  '0001_create_tables': createTables,
  '0002_strategic_indexes': strategicIndexes,
  '0003_measured_indexes': measuredIndexes,
  '0004_memory_lanes': memoryLanes,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
