import { CompiledQuery, sql } from 'kysely';
import { intendedIndexes } from '../../db-migrations/intendedIndexes';
import { createLoaders, type Loaders } from '../../loaders/createLoaders';
import { notificationsPage } from '../../loaders/notificationsPage';
import { invitationsForEmail, projectsPage } from '../../loaders/pages';
import { loadViewer } from '../../loaders/viewer';
import { loadConfig } from '../../src/config';
import { createDatabase, type DatabaseHandle, type Db } from '../../src/db/database';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { fillTablesForPlans } from '../support/planData';

describe('indexes', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('indexes');
    await fillTablesForPlans(database.db);
  });
  afterAll(() => database?.drop());

  // A new index, or one InnoDB made for a foreign key by itself, fails here until intendedIndexes lists it.
  it('has exactly the intended secondary indexes on every table', async () => {
    const { rows } = await sql<{ table_name: string; index_name: string; columns: string }>`
      SELECT TABLE_NAME AS table_name, INDEX_NAME AS index_name,
             GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS columns
      FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'
      GROUP BY TABLE_NAME, INDEX_NAME`.execute(database.db.withoutPlugins());
    const actual: Record<string, Record<string, string>> = Object.fromEntries(Object.keys(intendedIndexes).map((t) => [t, {}]));
    for (const row of rows) (actual[row.table_name] ??= {})[row.index_name] = row.columns;
    expect(actual).toEqual(intendedIndexes);
    // The seed's seven, plus messages.session_id and six decided by measurement (docs/indexes.md),
    // one of which replaced notifications.user_id.
    expect(rows.filter((r) => r.index_name.startsWith('ix_'))).toHaveLength(13);
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
    [
      "the memory outbox worker's poll (one lane's due entries, oldest first)",
      `SELECT id FROM ai_memory_index WHERE status = 'pending' AND lane = 'backlog'
        AND updated_at <= UTC_TIMESTAMP(3) - INTERVAL CAST(IF(attempts = 0, 0, LEAST(1000 * POW(2, LEAST(attempts, 30)), 300000)) * 1000 AS UNSIGNED) MICROSECOND
        ORDER BY updated_at, id LIMIT 64`,
      'ix_ai_memory_index_status_lane_updated_at',
    ],
    ['the memory outbox backlog by lane', "SELECT lane, COUNT(*) FROM ai_memory_index WHERE status = 'pending' GROUP BY lane", 'ix_ai_memory_index_status_lane_updated_at'],
  ];

  it.each(otherHotQueries)('uses the intended key for %s', async (_name, query, key) => {
    const { rows } = await sql<{ table: string; key: string | null; type: string }>`EXPLAIN ${sql.raw(query)}`.execute(
      database.db.withoutPlugins(),
    );
    expect(rows.map((row) => row.key)).toContain(key);
    expect(rows.filter((row) => row.type === 'ALL' && row.key === null && !String(row.table).startsWith('<'))).toEqual([]);
  });

  it('reads the memory outbox poll in index order, without sorting', async () => {
    const { rows } = await sql<{ Extra: string | null }>`EXPLAIN ${sql.raw(otherHotQueries.find(([name]) => name.startsWith('the memory outbox worker'))![1])}`.execute(
      database.db.withoutPlugins(),
    );
    expect(rows.map((row) => row.Extra ?? '').join(' ')).not.toMatch(/filesort|temporary/);
  });
});
