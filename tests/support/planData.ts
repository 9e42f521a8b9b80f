import { sql } from 'kysely';
import { intendedIndexes } from '../../db-migrations/intendedIndexes';
import type { Db } from '../../src/db/database';

/**
 * Fills a migrated, empty database with enough rows, spread over many parents, that the
 * optimizer prefers an index to a scan, then updates the tables' statistics (ANALYZE TABLE).
 * Ids are fixed: users 1–500 (each in two teams: team_members pairs team 1 + n % 200 with user
 * 1 + n % 500), teams 1–200, projects 1–2000 (team 1 + id % 200), CRS 1–8000 (project 1 + id % 2000),
 * 20,000 comments, chat sessions 1–1000 with 20 messages each, 40 notifications per user,
 * 5,000 invitations (every 50th PENDING) and 8,000 memories (every 100th pending). Uses MariaDB's Sequence
 * engine (seq_1_to_N).
 */
export async function fillTablesForPlans(database: Db): Promise<void> {
  const db = database.withoutPlugins();
  await sql`INSERT INTO users (id, email, full_name, password_hash) SELECT seq, CONCAT('u', seq, '@example.com'), 'U', 'x' FROM seq_1_to_500`.execute(db);
  await sql`INSERT INTO teams (id, name, created_by) SELECT seq, CONCAT('T', seq), 1 FROM seq_1_to_200`.execute(db);
  await sql`INSERT INTO team_members (team_id, user_id, role) SELECT 1 + seq % 200, 1 + seq % 500, 'MEMBER' FROM seq_1_to_1000`.execute(db);
  await sql`INSERT INTO projects (id, team_id, created_by, name) SELECT seq, 1 + seq % 200, 1, CONCAT('P', seq) FROM seq_1_to_2000`.execute(db);
  await sql`INSERT INTO crs_documents (id, project_id, created_by, title, content, status)
    SELECT seq, 1 + seq % 2000, 1, 'T', 'C', ELT(1 + seq % 4, 'DRAFT','UNDER_REVIEW','APPROVED','REJECTED') FROM seq_1_to_8000`.execute(db);
  await sql`INSERT INTO comments (crs_id, author_id, content) SELECT 1 + seq % 8000, 1, 'C' FROM seq_1_to_20000`.execute(db);
  await sql`INSERT INTO chat_sessions (id, project_id, user_id, name) SELECT seq, 1 + seq % 2000, 1, 'S' FROM seq_1_to_1000`.execute(db);
  await sql`INSERT INTO messages (session_id, sender_type, content) SELECT 1 + seq % 1000, 'AI', 'M' FROM seq_1_to_20000`.execute(db);
  await sql`INSERT INTO notifications (user_id, type, title, message, is_read) SELECT 1 + seq % 500, 'SYSTEM', 'N', 'M', seq % 2 FROM seq_1_to_20000`.execute(db);
  await sql`INSERT INTO invitations (team_id, email, role, token, status, invited_by_user_id, expires_at)
    SELECT 1 + seq % 200, CONCAT('i', seq, '@example.com'), 'MEMBER', LPAD(seq, 43, 'x'),
           IF(seq % 50 = 0, 'PENDING', 'ACCEPTED'), 1, '2030-01-01' FROM seq_1_to_5000`.execute(db);
  // Mostly indexed, as in a running deployment: a few wait in each lane of the outbox.
  await sql`INSERT INTO ai_memory_index (project_id, source_type, source_id, embedding_id, content_hash, status, lane)
    SELECT 1 + seq % 2000, 'CRS', seq, CONCAT('crs-', seq), REPEAT('0', 64), IF(seq % 100 = 0, 'pending', 'indexed'), IF(seq % 500 = 0, 'live', 'backlog')
    FROM seq_1_to_8000`.execute(db);
  for (const table of Object.keys(intendedIndexes)) await sql`ANALYZE TABLE ${sql.table(table)}`.execute(db);
}
