import { Kysely, sql } from 'kysely';

/**
 * Indexes added by measurement (docs/indexes.md: each statement, its EXPLAIN before and after,
 * the gain and the insert cost; `npm run bench -- --scenario index-decisions` measures them
 * again). Each follows the guide's "When to Add Composite Indexes": a statement on a hot path
 * whose EXPLAIN on the bench data showed a scan, a filesort or a temporary table, at least 2×
 * faster with the index.
 *
 * - team_members(user_id): the viewer's memberships, read by every signed-in request the viewer
 *   cache has not seen yet (a foreign key in a join, the guide's first criterion).
 * - notifications(user_id, is_read, created_at), the guide's own candidate, replaces
 *   notifications(user_id), which it serves as a prefix: the unread count is a covering range of
 *   the unread entries, and each page reads the newest entries of each is_read value in index
 *   order (loaders/notificationsPage.ts) instead of every notification of the user.
 *   The page relies on is_read being 0 or 1, so a CHECK constraint holds it to that.
 * - invitations(email): the viewer's invitations (a selective column, the guide's example).
 * - chat_sessions(project_id): a project's chat sessions (a foreign key in a join).
 *
 * `down` restores migration 0002's set and keeps every row.
 */
export const measuredIndexes = [
  { table: 'team_members', name: 'ix_team_members_user_id', columns: ['user_id'] },
  { table: 'notifications', name: 'ix_notifications_user_unread', columns: ['user_id', 'is_read', 'created_at'] },
  { table: 'invitations', name: 'ix_invitations_email', columns: ['email'] },
  { table: 'chat_sessions', name: 'ix_chat_sessions_project_id', columns: ['project_id'] },
] as const;

/** Served by ix_notifications_user_unread's first column; fk_notifications_user moves to it. */
const replacedIndex = { table: 'notifications', name: 'ix_notifications_user_id', columns: ['user_id'] } as const;

const isReadCheck = 'ck_notifications_is_read_boolean';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of measuredIndexes) await createIndex(db, index);
  await sql`DROP INDEX ${sql.id(replacedIndex.name)} ON ${sql.table(replacedIndex.table)}`.execute(db);
  await sql`ALTER TABLE notifications ADD CONSTRAINT ${sql.id(isReadCheck)} CHECK (is_read IN (0, 1))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE notifications DROP CONSTRAINT ${sql.id(isReadCheck)}`.execute(db);
  await createIndex(db, replacedIndex);
  for (const index of measuredIndexes) {
    await sql`DROP INDEX ${sql.id(index.name)} ON ${sql.table(index.table)}`.execute(db);
  }
}

function createIndex(db: Kysely<unknown>, index: { table: string; name: string; columns: readonly string[] }) {
  return sql`CREATE INDEX ${sql.id(index.name)} ON ${sql.table(index.table)} (${sql.join(index.columns.map((column) => sql.id(column)))})`.execute(db);
}
