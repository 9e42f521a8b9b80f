import { Kysely, sql } from 'kysely';

/**
 * The index decision (DESIGN.md "Data model"): the performance guide's seven strategic indexes,
 * plus messages.session_id and notifications.user_id, and nothing else.
 *
 * Each foreign key is added after the index it needs, so InnoDB never creates an unnamed index
 * of its own. Columns deliberately left unindexed (is_read, type, created_at alone, sender_id,
 * created_by, author_id, invited_by_user_id, version) get no foreign key for the same reason.
 * `down` drops the keys and indexes and keeps every row.
 */
export const strategicIndexes = [
  { table: 'projects', name: 'ix_projects_team_id', column: 'team_id' },
  { table: 'crs_documents', name: 'ix_crs_documents_project_id', column: 'project_id' },
  { table: 'crs_documents', name: 'ix_crs_documents_status', column: 'status' },
  { table: 'comments', name: 'ix_comments_crs_id', column: 'crs_id' },
  { table: 'ai_memory_index', name: 'ix_ai_memory_index_project_id', column: 'project_id' },
  { table: 'invitations', name: 'ix_invitations_team_id', column: 'team_id' },
  { table: 'invitations', name: 'ix_invitations_status', column: 'status' },
  { table: 'messages', name: 'ix_messages_session_id', column: 'session_id' },
  { table: 'notifications', name: 'ix_notifications_user_id', column: 'user_id' },
] as const;

const foreignKeys = [
  { table: 'projects', name: 'fk_projects_team', column: 'team_id', references: 'teams' },
  { table: 'crs_documents', name: 'fk_crs_documents_project', column: 'project_id', references: 'projects' },
  { table: 'comments', name: 'fk_comments_crs', column: 'crs_id', references: 'crs_documents' },
  { table: 'ai_memory_index', name: 'fk_ai_memory_index_project', column: 'project_id', references: 'projects' },
  { table: 'invitations', name: 'fk_invitations_team', column: 'team_id', references: 'teams' },
  { table: 'messages', name: 'fk_messages_session', column: 'session_id', references: 'chat_sessions' },
  { table: 'notifications', name: 'fk_notifications_user', column: 'user_id', references: 'users' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const index of strategicIndexes) {
    await sql`CREATE INDEX ${sql.id(index.name)} ON ${sql.table(index.table)} (${sql.id(index.column)})`.execute(db);
  }
  for (const key of foreignKeys) {
    await sql`ALTER TABLE ${sql.table(key.table)} ADD CONSTRAINT ${sql.id(key.name)}
      FOREIGN KEY (${sql.id(key.column)}) REFERENCES ${sql.table(key.references)} (id) ON DELETE CASCADE`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const key of foreignKeys) {
    await sql`ALTER TABLE ${sql.table(key.table)} DROP FOREIGN KEY ${sql.id(key.name)}`.execute(db);
  }
  for (const index of strategicIndexes) {
    await sql`DROP INDEX ${sql.id(index.name)} ON ${sql.table(index.table)}`.execute(db);
  }
}
