import { sql, type Kysely } from 'kysely';

/** Every table the seed fills, parents before children (the order rows are inserted in). */
export const seededTables = [
  'users',
  'teams',
  'team_members',
  'projects',
  'crs_documents',
  'comments',
  'invitations',
  'chat_sessions',
  'messages',
  'notifications',
  'ai_memory_index',
] as const;

export type SeededTable = (typeof seededTables)[number];

/** The first table that holds a row, or undefined when all of them are empty. */
export async function firstNonEmptyTable(db: Kysely<any>): Promise<SeededTable | undefined> {
  for (const table of seededTables) {
    const { rows } = await sql<{ found: number }>`SELECT 1 AS found FROM ${sql.table(table)} LIMIT 1`.execute(db);
    if (rows.length > 0) return table;
  }
  return undefined;
}

/** True when none of the seeded tables holds a row (a fresh database, or one just reset). */
export async function isDatabaseEmpty(db: Kysely<any>): Promise<boolean> {
  return (await firstNonEmptyTable(db)) === undefined;
}

/**
 * Empties every seeded table and restarts its ids at 1:
 * `SET foreign_key_checks = 0; TRUNCATE TABLE users; …; SET foreign_key_checks = <as before>`.
 * Runs on one connection, because foreign_key_checks is a session variable.
 */
export async function truncateSeededTables(db: Kysely<any>): Promise<void> {
  await db.connection().execute(async (connection) => {
    const { rows } = await sql<{ checks: number }>`SELECT @@foreign_key_checks AS checks`.execute(connection);
    await sql`SET foreign_key_checks = 0`.execute(connection);
    try {
      for (const table of [...seededTables].reverse()) {
        await sql`TRUNCATE TABLE ${sql.table(table)}`.execute(connection);
      }
    } finally {
      await sql`SET foreign_key_checks = ${sql.lit(rows[0]?.checks ?? 1)}`.execute(connection);
    }
  });
}
