import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The index decision (DESIGN.md "Data model"): every secondary index of every table, by name and
 * columns. A new index, or one InnoDB made for a foreign key by itself, fails this test.
 */
const INTENDED: Record<string, Record<string, string>> = {
  users: { uq_users_email: 'email' },
  teams: {},
  team_members: { uq_team_members_team_user: 'team_id,user_id' },
  projects: { ix_projects_team_id: 'team_id' },
  crs_documents: { ix_crs_documents_project_id: 'project_id', ix_crs_documents_status: 'status' },
  comments: { ix_comments_crs_id: 'crs_id' },
  invitations: { uq_invitations_token: 'token', ix_invitations_team_id: 'team_id', ix_invitations_status: 'status' },
  notifications: { ix_notifications_user_id: 'user_id' },
  chat_sessions: {},
  messages: { ix_messages_session_id: 'session_id' },
  ai_memory_index: {
    uq_ai_memory_index_embedding_id: 'embedding_id',
    ix_ai_memory_index_project_id: 'project_id',
    ix_ai_memory_index_status_lane_updated_at: 'status,lane,updated_at',
  },
};

describe('indexes', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('indexes');
    const db = database.db.withoutPlugins();
    // Enough rows, spread over many parents, that the optimizer prefers an index to a scan.
    // seq_1_to_N is MariaDB's Sequence engine.
    await sql`INSERT INTO users (id, email, full_name, password_hash) SELECT seq, CONCAT('u', seq, '@example.com'), 'U', 'x' FROM seq_1_to_500`.execute(db);
    await sql`INSERT INTO teams (id, name, created_by) SELECT seq, CONCAT('T', seq), 1 FROM seq_1_to_200`.execute(db);
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
    for (const table of Object.keys(INTENDED)) await sql`ANALYZE TABLE ${sql.table(table)}`.execute(db);
  });
  afterAll(() => database?.drop());

  it('has exactly the intended secondary indexes on every table', async () => {
    const { rows } = await sql<{ table_name: string; index_name: string; columns: string }>`
      SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name,
             GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns
      FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'
      GROUP BY TABLE_NAME, INDEX_NAME`.execute(database.db.withoutPlugins());
    const actual: Record<string, Record<string, string>> = Object.fromEntries(Object.keys(INTENDED).map((t) => [t, {}]));
    for (const row of rows) (actual[row.table_name] ??= {})[row.index_name] = row.columns;
    expect(actual).toEqual(INTENDED);
    // The seed's seven plus two, and the memory outbox's poll (docs/indexes.md, "ai_memory_index").
    expect(rows.filter((r) => r.index_name.startsWith('ix_'))).toHaveLength(10);
  });

  const hotQueries: [string, string, string][] = [
    ['projects of a few teams', 'SELECT * FROM projects WHERE team_id IN (1, 2, 3)', 'ix_projects_team_id'],
    [
      'CRS of a project by status',
      "SELECT * FROM crs_documents WHERE project_id = 5 AND status IN ('UNDER_REVIEW', 'APPROVED') ORDER BY created_at DESC",
      'ix_crs_documents_project_id',
    ],
    ['comments of a CRS', 'SELECT * FROM comments WHERE crs_id = 123', 'ix_comments_crs_id'],
    [
      'first comments of several CRS (the loader’s window query)',
      `SELECT t.* FROM comments t JOIN (SELECT t.id, ROW_NUMBER() OVER (PARTITION BY t.crs_id ORDER BY t.created_at, t.id) AS rn
        FROM comments t WHERE t.crs_id IN (1, 2, 3)) w ON w.id = t.id WHERE w.rn <= 10`,
      'ix_comments_crs_id',
    ],
    ['messages of a session', 'SELECT * FROM messages WHERE session_id = 123 ORDER BY timestamp DESC LIMIT 20', 'ix_messages_session_id'],
    [
      "a user's unread notifications",
      'SELECT * FROM notifications WHERE user_id = 42 AND is_read = 0 ORDER BY created_at DESC LIMIT 50',
      'ix_notifications_user_id',
    ],
    [
      "a user's first page of notifications with the unread count (one pass)",
      `SELECT n.*, top.unread_count FROM (SELECT id, created_at, SUM(is_read = 0) OVER () AS unread_count FROM notifications
        WHERE user_id = 42 ORDER BY created_at DESC, id DESC LIMIT 51) top JOIN notifications n ON n.id = top.id
        ORDER BY top.created_at DESC, top.id DESC`,
      'ix_notifications_user_id',
    ],
    [
      "the viewer's memberships (no index on user_id: one probe of UNIQUE(team_id, user_id) per team)",
      `SELECT u.id, t.name, m.role FROM users u
        LEFT JOIN (SELECT tm.team_id, tm.role FROM teams k STRAIGHT_JOIN team_members tm ON tm.team_id = k.id
                   WHERE tm.user_id = 7 AND tm.is_active = 1) m ON TRUE
        LEFT JOIN teams t ON t.id = m.team_id WHERE u.id = 7`,
      'uq_team_members_team_user',
    ],
    ["a team's invitations", 'SELECT * FROM invitations WHERE team_id = 10', 'ix_invitations_team_id'],
    ['pending invitations', "SELECT * FROM invitations WHERE status = 'PENDING'", 'ix_invitations_status'],
    ["a project's memory", 'SELECT * FROM ai_memory_index WHERE project_id = 5', 'ix_ai_memory_index_project_id'],
    [
      "the memory outbox worker's poll (one lane's due entries, oldest first)",
      `SELECT id FROM ai_memory_index WHERE status = 'pending' AND lane = 'backlog'
        AND updated_at <= UTC_TIMESTAMP(3) - INTERVAL CAST(IF(attempts = 0, 0, LEAST(1000 * POW(2, LEAST(attempts, 30)), 300000)) * 1000 AS UNSIGNED) MICROSECOND
        ORDER BY updated_at, id LIMIT 64`,
      'ix_ai_memory_index_status_lane_updated_at',
    ],
    ['the memory outbox backlog by lane', "SELECT lane, COUNT(*) FROM ai_memory_index WHERE status = 'pending' GROUP BY lane", 'ix_ai_memory_index_status_lane_updated_at'],
  ];

  it('reads the memory outbox poll in index order, without sorting', async () => {
    const { rows } = await sql<{ Extra: string | null }>`EXPLAIN ${sql.raw(hotQueries.find(([name]) => name.startsWith('the memory outbox worker'))![1])}`.execute(
      database.db.withoutPlugins(),
    );
    expect(rows.map((row) => row.Extra ?? '').join(' ')).not.toMatch(/filesort|temporary/);
  });

  it.each(hotQueries)('uses the intended key for %s', async (_name, query, key) => {
    const { rows } = await sql<{ table: string; key: string | null; type: string }>`EXPLAIN ${sql.raw(query)}`.execute(
      database.db.withoutPlugins(),
    );
    expect(rows.map((row) => row.key)).toContain(key);
    expect(rows.filter((row) => row.type === 'ALL' && row.key === null && !String(row.table).startsWith('<'))).toEqual([]);
  });
});
