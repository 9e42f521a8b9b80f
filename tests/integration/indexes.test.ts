import { CompiledQuery, sql } from 'kysely';
import { createLoaders, type Loaders } from '../../loaders/createLoaders';
import { notificationsPage } from '../../loaders/notificationsPage';
import { invitationsForEmail, projectsPage } from '../../loaders/pages';
import { loadViewer } from '../../loaders/viewer';
import { loadConfig } from '../../src/config';
import { createDatabase, type DatabaseHandle, type Db } from '../../src/db/database';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The index decision (DESIGN.md "Data model"): every secondary index of every table, by name and
 * columns. A new index, or one InnoDB made for a foreign key by itself, fails this test.
 */
const INTENDED: Record<string, Record<string, string>> = {
  users: { uq_users_email: 'email' },
  teams: {},
  team_members: { uq_team_members_team_user: 'team_id,user_id', ix_team_members_user_id: 'user_id' },
  projects: { ix_projects_team_id: 'team_id' },
  crs_documents: { ix_crs_documents_project_id: 'project_id', ix_crs_documents_status: 'status' },
  comments: { ix_comments_crs_id: 'crs_id' },
  invitations: {
    uq_invitations_token: 'token',
    ix_invitations_team_id: 'team_id',
    ix_invitations_status: 'status',
    ix_invitations_email: 'email',
  },
  notifications: { ix_notifications_user_unread: 'user_id,is_read,created_at' },
  chat_sessions: { ix_chat_sessions_project_id: 'project_id' },
  messages: { ix_messages_session_id: 'session_id' },
  ai_memory_index: { uq_ai_memory_index_embedding_id: 'embedding_id', ix_ai_memory_index_project_id: 'project_id' },
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
    await sql`INSERT INTO team_members (team_id, user_id, role) SELECT 1 + seq % 200, 1 + seq DIV 6, 'MEMBER' FROM seq_1_to_2994`.execute(db);
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
    await sql`INSERT INTO ai_memory_index (project_id, source_type, source_id, embedding_id, content_hash)
      SELECT 1 + seq % 2000, 'CRS', seq, CONCAT('crs-', seq), REPEAT('0', 64) FROM seq_1_to_8000`.execute(db);
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
    // The seed's seven, plus messages.session_id and five decided by measurement (docs/indexes.md),
    // one of which replaced notifications.user_id.
    expect(rows.filter((r) => r.index_name.startsWith('ix_'))).toHaveLength(12);
  });

  /**
   * The statements behind the hot paths, as the loaders send them: each runs once against this
   * database and every statement it sent is explained, so the test follows the code's SQL.
   */
  const hotStatements: [string, (db: Db, loaders: Loaders) => Promise<unknown>, string][] = [
    ["the viewer's memberships", (db) => loadViewer(db, 7), 'ix_team_members_user_id'],
    [
      "a user's first page of notifications with the unread count and the subjects",
      (db, loaders) => notificationsPage(db, loaders, { userId: 42, unreadOnly: false, first: 50, after: null, withUnreadCount: true, withSubjects: true }),
      'ix_notifications_user_unread',
    ],
    [
      "a later page of a user's unread notifications",
      (db, loaders) =>
        notificationsPage(db, loaders, {
          userId: 42,
          unreadOnly: true,
          first: 10,
          after: { time: new Date(Date.now() + 60_000), id: 1e9 },
          withUnreadCount: false,
          withSubjects: false,
        }),
      'ix_notifications_user_unread',
    ],
    ['projects of a few teams', (db) => projectsPage(db, { teamIds: [1, 2, 3], status: null, first: 50, after: null }), 'ix_projects_team_id'],
    [
      'CRS of a project by status',
      (_db, loaders) => loaders.crsByProjectId.load({ projectId: 5, statuses: ['APPROVED', 'UNDER_REVIEW'], first: 50 }),
      'ix_crs_documents_project_id',
    ],
    ['comments of a CRS', (_db, loaders) => loaders.commentsByCrsId.load({ parentId: 123, first: 50 }), 'ix_comments_crs_id'],
    [
      'first comments of several CRS (the window query)',
      (_db, loaders) => Promise.all([1, 2, 3].map((parentId) => loaders.commentsByCrsId.load({ parentId, first: 10 }))),
      'ix_comments_crs_id',
    ],
    ['messages of a session', (_db, loaders) => loaders.messagesBySessionId.load({ sessionId: 123, first: 21, before: null }), 'ix_messages_session_id'],
    ["a project's chat sessions", (_db, loaders) => loaders.chatSessionsByProjectId.load({ parentId: 5, first: 50 }), 'ix_chat_sessions_project_id'],
    [
      "the invitations addressed to the viewer's email",
      (db) => invitationsForEmail(db, { email: 'i50@example.com', status: 'PENDING', first: 50 }),
      'ix_invitations_email',
    ],
    ["a team's invitations", (_db, loaders) => loaders.invitationsByTeamId.load({ teamId: 10, status: null, first: 50 }), 'ix_invitations_team_id'],
  ];

  describe('on the statements the loaders send', () => {
    let recording: DatabaseHandle;
    let sent: CompiledQuery[] = [];
    beforeAll(() => {
      recording = createDatabase(database.url, loadConfig({}).pool, { onStatement: (statement) => sent.push(statement) });
    });
    afterAll(() => recording?.destroy());

    it.each(hotStatements)('uses the intended key for %s', async (_name, run, key) => {
      sent = [];
      await run(recording.db, createLoaders(recording.db, { optimized: true }));
      expect(sent).not.toHaveLength(0);
      for (const statement of sent) {
        const { rows } = await database.db.withoutPlugins().executeQuery<{ table: string; key: string | null; type: string }>(
          CompiledQuery.raw(`EXPLAIN ${statement.sql}`, [...statement.parameters]),
        );
        expect({ sql: statement.sql, keys: rows.map((row) => row.key) }).toEqual({ sql: statement.sql, keys: expect.arrayContaining([key]) });
        // No table of ours is read whole; derived tables (<derived2>) are the statement's own.
        expect(rows.filter((row) => row.type === 'ALL' && row.key === null && !String(row.table).startsWith('<'))).toEqual([]);
      }
    });
  });

  const otherHotQueries: [string, string, string][] = [
    ['pending invitations', "SELECT * FROM invitations WHERE status = 'PENDING'", 'ix_invitations_status'],
    ["a project's memory", 'SELECT * FROM ai_memory_index WHERE project_id = 5', 'ix_ai_memory_index_project_id'],
  ];

  it.each(otherHotQueries)('uses the intended key for %s', async (_name, query, key) => {
    const { rows } = await sql<{ table: string; key: string | null; type: string }>`EXPLAIN ${sql.raw(query)}`.execute(
      database.db.withoutPlugins(),
    );
    expect(rows.map((row) => row.key)).toContain(key);
    expect(rows.filter((row) => row.type === 'ALL' && row.key === null && !String(row.table).startsWith('<'))).toEqual([]);
  });
});
