import { CamelCasePlugin, Kysely, Migrator, MysqlDialect } from 'kysely';
import { createPool } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { migrationProvider } from '../../db-migrations';
import type { Database } from '../db/schema';

/**
 * A Kysely of its own for the seed: a small pool (the load runs on one connection) in UTC, with
 * the application's camelCase mapping. Close it with `destroy()`.
 */
export function openSeedDatabase(url: string): Kysely<Database> {
  const pool = createPool({ uri: url, timezone: 'Z', connectionLimit: 2 });
  return new Kysely<Database>({ dialect: new MysqlDialect({ pool }), plugins: [new CamelCasePlugin()] });
}

/**
 * Creates the database named by `url` when the server does not have it yet:
 * `CREATE DATABASE IF NOT EXISTS <name> CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`.
 */
export async function createDatabaseIfMissing(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (name === '') throw new Error('DATABASE_URL must name a database, e.g. mysql://root@127.0.0.1:3306/bridgeai');
  parsed.pathname = '/';
  const connection = await createConnection({ uri: parsed.toString() });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS ${connection.escapeId(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}

/** Applies every pending migration of db-migrations/; throws the first failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(failed === undefined ? `migration failed: ${reason}` : `migration ${failed} failed: ${reason}`, { cause: error });
  }
}
