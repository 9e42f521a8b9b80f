import { sql } from 'kysely';
import { intendedIndexes } from '../../db-migrations/intendedIndexes';
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
    // The seed's seven plus two.
    expect(rows.filter((r) => r.index_name.startsWith('ix_'))).toHaveLength(9);
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
  ];

  it.each(hotQueries)('uses the intended key for %s', async (_name, query, key) => {
    const { rows } = await sql<{ table: string; key: string | null; type: string }>`EXPLAIN ${sql.raw(query)}`.execute(
      database.db.withoutPlugins(),
    );
    expect(rows.map((row) => row.key)).toContain(key);
    expect(rows.filter((row) => row.type === 'ALL' && row.key === null && !String(row.table).startsWith('<'))).toEqual([]);
  });
});
