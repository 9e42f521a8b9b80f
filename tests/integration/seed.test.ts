import { compare } from 'bcryptjs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/db/schema';
import { parseSeedArguments, SeedArgumentError } from '../../src/seed/arguments';
import { demoAccount } from '../../src/seed/generators/people';
import { notificationReferences, notificationTypes } from '../../src/seed/generators/notifications';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { DatabaseNotEmptyError, seedDatabase, type SeedSummary } from '../../src/seed/seed';
import { isDatabaseEmpty, seededTables } from '../../src/seed/seededTables';

let database: TestDatabase;
let db: Kysely<Database>;
let summary: SeedSummary;

async function checksums(): Promise<Record<string, string>> {
  const { rows } = await sql<{ Table: string; Checksum: string | number | null }>`
    CHECKSUM TABLE ${sql.join(seededTables.map((table) => sql.table(table)))}`.execute(db);
  return Object.fromEntries(rows.map((row) => [row.Table, String(row.Checksum)]));
}

async function count(query: ReturnType<typeof sql<{ n: number }>>): Promise<number> {
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  database = await createTestDatabase('seed');
  db = database.db;
  expect(await isDatabaseEmpty(db)).toBe(true);
  summary = await seedDatabase(db, { scale: 'small' });
}, 60_000);

afterAll(() => database?.drop());

describe('seedDatabase at scale small', () => {
  it('writes the rows it reports, in every table but ai_memory_index', async () => {
    for (const table of seededTables) {
      const rows = await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}`);
      expect({ table, rows }).toEqual({ table, rows: summary.rows[table] });
      if (table === 'ai_memory_index') expect(rows).toBe(0);
      else expect(rows).toBeGreaterThan(0);
    }
    expect(await isDatabaseEmpty(db)).toBe(false);
  });

  it('refuses a database that holds rows unless asked to reset it', async () => {
    await expect(seedDatabase(db, { scale: 'small' })).rejects.toThrow(DatabaseNotEmptyError);
  });

  it('writes the same rows, byte for byte, when seeded again with reset', async () => {
    const before = await checksums();
    expect(Object.keys(before)).toHaveLength(seededTables.length);
    expect(Object.values(before).every((checksum) => /^\d+$/.test(checksum))).toBe(true);
    const again = await seedDatabase(db, { scale: 'small', reset: true });
    expect(again.rows).toEqual(summary.rows);
    expect(await checksums()).toEqual(before);
  }, 60_000);

  it('has the demo account, which logs in and is an active member of exactly teams 1, 2 and 3', async () => {
    const user = await db.selectFrom('users').selectAll().where('email', '=', demoAccount.email).executeTakeFirstOrThrow();
    expect(user.id).toBe(1);
    expect(user.fullName).toBe('Test User');
    expect(await compare('testpass', user.passwordHash)).toBe(true);
    expect(await compare('wrong password', user.passwordHash)).toBe(false);
    const teams = await db.selectFrom('teamMembers').select(['teamId', 'role'])
      .where('userId', '=', 1).where('isActive', '=', 1).orderBy('teamId').execute();
    expect(teams).toEqual([
      { teamId: 1, role: 'OWNER' },
      { teamId: 2, role: 'ADMIN' },
      { teamId: 3, role: 'MEMBER' },
    ]);
  });

  it('has inactive memberships and teams the demo account cannot see, with projects, CRS, comments and sessions', async () => {
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM team_members WHERE is_active = 0`)).toBeGreaterThan(0);
    const foreign = sql`SELECT id FROM teams WHERE id NOT IN (SELECT team_id FROM team_members WHERE user_id = 1 AND is_active = 1)`;
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM projects WHERE team_id IN (${foreign})`)).toBeGreaterThan(0);
    const foreignProjects = sql`SELECT id FROM projects WHERE team_id IN (${foreign})`;
    const foreignCrs = sql`SELECT id FROM crs_documents WHERE project_id IN (${foreignProjects})`;
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM crs_documents WHERE id IN (${foreignCrs})`)).toBeGreaterThan(0);
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM comments WHERE crs_id IN (${foreignCrs})`)).toBeGreaterThan(0);
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM chat_sessions WHERE project_id IN (${foreignProjects})`)).toBeGreaterThan(0);
  });

  it('points every notification at an existing row of the table its type implies', async () => {
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM notifications WHERE reference_id IS NULL`)).toBe(0);
    for (const type of notificationTypes) {
      const table = notificationReferences[type];
      const dangling = await count(sql<{ n: number }>`
        SELECT COUNT(*) AS n FROM notifications n LEFT JOIN ${sql.table(table)} t ON t.id = n.reference_id
        WHERE n.type = ${type} AND t.id IS NULL`);
      expect({ type, dangling }).toEqual({ type, dangling: 0 });
    }
  });

  it('gives the demo account notifications of every type, read and unread', async () => {
    const rows = await db.selectFrom('notifications').select(['type', 'isRead']).where('userId', '=', 1).execute();
    expect(new Set(rows.map((row) => row.type))).toEqual(new Set(notificationTypes));
    expect(new Set(rows.map((row) => row.isRead))).toEqual(new Set([0, 1]));
  });

  it('has projects, CRS documents and invitations in every status, and CRS versions from 1', async () => {
    const statuses = async (table: 'projects' | 'crsDocuments' | 'invitations') =>
      (await db.selectFrom(table).select('status').distinct().execute()).map((row) => row.status).sort();
    expect(await statuses('projects')).toEqual(['APPROVED', 'ARCHIVED', 'PENDING', 'REJECTED']);
    expect(await statuses('crsDocuments')).toEqual(['APPROVED', 'DRAFT', 'REJECTED', 'UNDER_REVIEW']);
    expect(await statuses('invitations')).toEqual(['ACCEPTED', 'DECLINED', 'EXPIRED', 'PENDING']);
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM crs_documents WHERE version < 1`)).toBe(0);
  });

  it('has lapsed PENDING invitations and invitations to the demo account from teams it is not in', async () => {
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM invitations WHERE status = 'PENDING' AND expires_at < NOW(3)`)).toBeGreaterThan(0);
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM invitations WHERE status = 'PENDING' AND expires_at > NOW(3)`)).toBeGreaterThan(0);
    const toDemo = await db.selectFrom('invitations').select('teamId').where('email', '=', demoAccount.email).execute();
    expect(toDemo.length).toBeGreaterThan(0);
    for (const { teamId } of toDemo) expect(teamId).toBeGreaterThan(4);
  });

  it('alternates USER and AI messages: AI messages have no sender, USER messages the session owner', async () => {
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM messages WHERE sender_type = 'AI' AND sender_id IS NOT NULL`)).toBe(0);
    expect(await count(sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM messages m JOIN chat_sessions s ON s.id = m.session_id
      WHERE m.sender_type = 'USER' AND (m.sender_id IS NULL OR m.sender_id <> s.user_id)`)).toBe(0);
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM messages WHERE sender_type = 'AI'`)).toBeGreaterThan(0);
    expect(await count(sql<{ n: number }>`SELECT COUNT(*) AS n FROM chat_sessions WHERE user_id = 1`)).toBeGreaterThan(0);
  });

  it('has messages of one session that share a timestamp to the millisecond', async () => {
    expect(await count(sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM messages a JOIN messages b
        ON b.session_id = a.session_id AND b.id > a.id AND b.timestamp = a.timestamp`)).toBeGreaterThan(0);
  });

  it('never dates a row before the row it belongs to', async () => {
    expect(await count(sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM crs_documents c JOIN projects p ON p.id = c.project_id WHERE c.created_at < p.created_at`)).toBe(0);
    expect(await count(sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM comments m JOIN crs_documents c ON c.id = m.crs_id WHERE m.created_at < c.created_at`)).toBe(0);
    expect(await count(sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM messages m JOIN chat_sessions s ON s.id = m.session_id WHERE m.timestamp < s.started_at`)).toBe(0);
  });
});

describe('seedDatabase at scale demo', () => {
  beforeAll(async () => {
    await seedDatabase(db, { scale: 'demo', reset: true });
  }, 60_000);

  it('gives the demo account at least 60 notifications, of every type, all pointing at existing rows', async () => {
    const rows = await db.selectFrom('notifications').select(['type', 'referenceId']).where('userId', '=', 1).execute();
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((row) => row.type))).toEqual(new Set(notificationTypes));
    const dangling = await count(sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM notifications n
      LEFT JOIN projects p ON n.type IN ('PROJECT_APPROVED', 'PROJECT_REJECTED') AND p.id = n.reference_id
      LEFT JOIN invitations i ON n.type = 'TEAM_INVITATION' AND i.id = n.reference_id
      LEFT JOIN crs_documents c ON n.type IN ('CRS_CREATED', 'CRS_STATUS_CHANGED') AND c.id = n.reference_id
      LEFT JOIN comments m ON n.type IN ('CRS_COMMENTED', 'MENTION') AND m.id = n.reference_id
      LEFT JOIN teams t ON n.type = 'SYSTEM' AND t.id = n.reference_id
      WHERE COALESCE(p.id, i.id, c.id, m.id, t.id) IS NULL`);
    expect(dangling).toBe(0);
  });

  it('keeps the demo account an active member of exactly teams 1, 2 and 3', async () => {
    const teams = await db.selectFrom('teamMembers').select('teamId').where('userId', '=', 1).where('isActive', '=', 1).orderBy('teamId').execute();
    expect(teams.map((row) => row.teamId)).toEqual([1, 2, 3]);
  });
});

describe('parseSeedArguments', () => {
  it('reads --scale and --reset', () => {
    expect(parseSeedArguments(['--scale', 'bench', '--reset'])).toEqual({ scale: 'bench', reset: true });
    expect(parseSeedArguments(['--scale=small'])).toEqual({ scale: 'small', reset: false });
    expect(parseSeedArguments([])).toEqual({ scale: 'demo', reset: false });
  });

  it('rejects unknown scales, missing values and unknown flags with a one-line message', () => {
    for (const args of [['--scale', 'huge'], ['--scale'], ['--rest'], ['demo']]) {
      expect(() => parseSeedArguments(args)).toThrow(SeedArgumentError);
      try {
        parseSeedArguments(args);
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});
