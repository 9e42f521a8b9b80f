/**
 * The over-indexed copy of the schema for the insert-cost scenario: what the seed guide calls
 * "adding indexes to every column (30+ indexes)". On top of the migrations' own set
 * (db-migrations/intendedIndexes.ts: the seven, the ones decided by measurement, and the UNIQUE
 * constraints) it indexes nearly every other column, each of the columns DESIGN.md deliberately
 * leaves out, and the composites the guide considered and rejected.
 * Text columns get a 64-character prefix, as MariaDB requires for TEXT.
 */
export const overIndexes: readonly { readonly table: string; readonly columns: string }[] = [
  { table: 'comments', columns: 'author_id' },
  { table: 'comments', columns: 'created_at' },
  { table: 'comments', columns: 'crs_id, created_at' },
  { table: 'comments', columns: 'author_id, created_at' },
  { table: 'comments', columns: 'content(64)' },
  { table: 'notifications', columns: 'is_read' },
  { table: 'notifications', columns: 'type' },
  { table: 'notifications', columns: 'created_at' },
  { table: 'notifications', columns: 'reference_id' },
  { table: 'notifications', columns: 'user_id, type' },
  { table: 'notifications', columns: 'title(64)' },
  { table: 'messages', columns: 'sender_id' },
  { table: 'messages', columns: 'sender_type' },
  { table: 'messages', columns: 'timestamp' },
  { table: 'messages', columns: 'session_id, timestamp' },
  { table: 'messages', columns: 'sender_id, timestamp' },
  { table: 'messages', columns: 'content(64)' },
  { table: 'projects', columns: 'created_by' },
  { table: 'projects', columns: 'status' },
  { table: 'projects', columns: 'created_at' },
  { table: 'projects', columns: 'name' },
  { table: 'crs_documents', columns: 'created_by' },
  { table: 'crs_documents', columns: 'version' },
  { table: 'crs_documents', columns: 'created_at' },
  { table: 'crs_documents', columns: 'title(64)' },
  { table: 'crs_documents', columns: 'project_id, status, created_at' },
  { table: 'invitations', columns: 'invited_by_user_id' },
  { table: 'invitations', columns: 'created_at' },
  { table: 'invitations', columns: 'expires_at' },
  { table: 'team_members', columns: 'role' },
  { table: 'team_members', columns: 'is_active' },
  { table: 'chat_sessions', columns: 'user_id' },
  { table: 'chat_sessions', columns: 'started_at' },
  { table: 'users', columns: 'created_at' },
  { table: 'users', columns: 'full_name' },
  { table: 'teams', columns: 'created_by' },
  { table: 'teams', columns: 'name' },
];

/** `CREATE INDEX ix_over_<n> ON <table> (<columns>)` for every extra index. */
export function overIndexStatements(): string[] {
  return overIndexes.map((index, n) => `CREATE INDEX ix_over_${n + 1} ON ${index.table} (${index.columns})`);
}
