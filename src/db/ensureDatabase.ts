import { createConnection } from 'mysql2/promise';

/** The database name in a mysql:// URL. */
export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/**
 * Creates the URL's database when it does not exist yet (utf8mb4), connecting without a
 * default database to do so.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = databaseNameOf(url);
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

/** Drops the URL's database if it exists (tests and `seed --reset` of a scratch database). */
export async function dropDatabase(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = databaseNameOf(url);
  parsed.pathname = '/';
  const connection = await createConnection({ uri: parsed.toString() });
  try {
    await connection.query(`DROP DATABASE IF EXISTS ${connection.escapeId(name)}`);
  } finally {
    await connection.end();
  }
}
