import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../src/db/database';
import type { InvitationRow, NotificationRow, ProjectRow } from '../src/db/schema';
import type { Loaders } from './createLoaders';
import { notificationTypesAbout, SUBJECT_KIND_BY_NOTIFICATION_TYPE, type NotificationSubjectKind } from './notificationSubjects';
import type { CommentWithTeam, CrsWithTeam, KeysetPosition } from './rows';

export interface NotificationsPageArgs {
  userId: number;
  unreadOnly: boolean;
  /** Rows to return; one more is fetched to know whether a next page exists. */
  first: number;
  after: KeysetPosition | null;
  /** Also count the user's unread notifications (the connection's unreadCount). */
  withUnreadCount: boolean;
  /** Also read what each notification is about, and prime the by-id loaders with it. */
  withSubjects: boolean;
}

export interface NotificationsPage {
  /** Newest first, up to first + 1. */
  rows: NotificationRow[];
  /** Undefined unless asked for, or when an empty later page could not carry it. */
  unreadCount: number | undefined;
}

/**
 * A page of a user's notifications, their unread count and the rows they are about, in ONE
 * statement. With ix_notifications_user_unread (user_id, is_read, created_at) the page takes the
 * newest first + 1 index entries of each is_read value in index order (no sort of the user's
 * other notifications), the count is a covering range of the unread entries, and each subject is
 * a primary-key lookup done only for the page's rows:
 * ```sql
 * SELECT n.id, n.user_id AS userId, …, (SELECT COUNT(*) FROM notifications
 *          WHERE user_id = ? AND is_read = 0) AS unreadCount,
 *        p.id AS `project.id`, …, c.id AS `crs.id`, …, m.id AS `comment.id`, …, i.id AS `invitation.id`, …
 * FROM (SELECT id, created_at FROM (
 *         (SELECT id, created_at FROM notifications WHERE user_id = ? AND is_read = 0 [AND keyset]
 *          ORDER BY created_at DESC, id DESC LIMIT ?)
 *         UNION ALL
 *         (SELECT id, created_at FROM notifications WHERE user_id = ? AND is_read = 1 [AND keyset]
 *          ORDER BY created_at DESC, id DESC LIMIT ?)   -- not when unreadOnly
 *       ) b ORDER BY created_at DESC, id DESC LIMIT ?) top
 * JOIN notifications n ON n.id = top.id
 * LEFT JOIN projects p ON n.type IN ('PROJECT_APPROVED', 'PROJECT_REJECTED') AND p.id = n.reference_id
 * LEFT JOIN crs_documents c ON n.type IN (…) AND c.id = n.reference_id LEFT JOIN projects cp ON cp.id = c.project_id
 * LEFT JOIN comments m ON n.type IN (…) AND m.id = n.reference_id LEFT JOIN crs_documents mc … LEFT JOIN users mu …
 * LEFT JOIN invitations i ON n.type = 'TEAM_INVITATION' AND i.id = n.reference_id
 * ORDER BY top.created_at DESC, top.id DESC
 * ```
 * The subjects prime projectById, crsById, commentById and invitationById (null for a subject
 * that no longer exists), so resolving `subject` sends no statement; a SYSTEM notification's
 * team needs none either (the viewer's teams are loaded with the viewer). is_read is 0 or 1
 * (ck_notifications_is_read_boolean), so the two branches are every notification.
 */
export async function notificationsPage(db: Db, loaders: Loaders, args: NotificationsPageArgs): Promise<NotificationsPage> {
  const fetched = args.first + 1;
  const keyset = args.after
    ? sql`AND (created_at < ${args.after.time} OR (created_at = ${args.after.time} AND id < ${args.after.id}))`
    : sql``;
  const branch = (isRead: 0 | 1) => sql`(SELECT id, created_at FROM notifications
      WHERE user_id = ${args.userId} AND is_read = ${isRead} ${keyset}
      ORDER BY created_at DESC, id DESC LIMIT ${fetched})`;
  const newest = args.unreadOnly ? branch(0) : sql`${branch(0)} UNION ALL ${branch(1)}`;
  const unreadCount = args.withUnreadCount
    ? sql`, (SELECT COUNT(*) FROM notifications WHERE user_id = ${args.userId} AND is_read = 0) AS unreadCount`
    : sql``;
  const subjectColumns = args.withSubjects ? sql`, ${sql.raw(SUBJECT_COLUMNS)}` : sql``;
  const subjectJoins = args.withSubjects ? SUBJECT_JOINS : sql``;

  const result = await sql<NotificationRow & { unreadCount?: string | number } & Record<string, unknown>>`SELECT
      n.id, n.user_id AS userId, n.type, n.reference_id AS referenceId, n.title, n.message,
      n.is_read AS isRead, n.created_at AS createdAt ${unreadCount} ${subjectColumns}
    FROM (SELECT id, created_at FROM (${newest}) b ORDER BY created_at DESC, id DESC LIMIT ${fetched}) top
    JOIN notifications n ON n.id = top.id
    ${subjectJoins}
    ORDER BY top.created_at DESC, top.id DESC`.execute(db);

  const rows = result.rows.map((row) => {
    if (args.withSubjects) primeSubject(loaders, row);
    return {
      id: row.id,
      userId: row.userId,
      type: row.type,
      referenceId: row.referenceId,
      title: row.title,
      message: row.message,
      isRead: row.isRead,
      createdAt: row.createdAt,
    };
  });
  const [first] = result.rows;
  // An empty first page means no notification matches, hence none unread among them; an empty
  // later page says nothing about the newer ones.
  const count = !args.withUnreadCount ? undefined : first ? Number(first.unreadCount) : args.after ? undefined : 0;
  return { rows, unreadCount: count };
}

/** `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND is_read = 0` (a covering range of ix_notifications_user_unread). */
export async function unreadNotificationCount(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('userId', '=', userId)
    .where('isRead', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Each subject's columns, as the by-id loader of its kind returns them: `[property, SQL]`. The
 * aliases are `kind.property` (camelCase already, so the camel-case plugin leaves the row alone).
 */
const SUBJECT_FIELDS: Readonly<Record<Exclude<NotificationSubjectKind, 'team'>, readonly (readonly [string, string])[]>> = {
  project: [
    ['id', 'p.id'], ['teamId', 'p.team_id'], ['createdBy', 'p.created_by'], ['name', 'p.name'], ['description', 'p.description'],
    ['status', 'p.status'], ['createdAt', 'p.created_at'], ['updatedAt', 'p.updated_at'],
  ],
  crs: [
    ['id', 'c.id'], ['projectId', 'c.project_id'], ['createdBy', 'c.created_by'], ['title', 'c.title'], ['content', 'c.content'],
    ['status', 'c.status'], ['version', 'c.version'], ['createdAt', 'c.created_at'], ['updatedAt', 'c.updated_at'], ['teamId', 'cp.team_id'],
  ],
  comment: [
    ['id', 'm.id'], ['crsId', 'm.crs_id'], ['authorId', 'm.author_id'], ['content', 'm.content'], ['createdAt', 'm.created_at'],
    ['projectId', 'mc.project_id'], ['teamId', 'mp.team_id'], ['authorEmail', 'mu.email'], ['authorFullName', 'mu.full_name'],
  ],
  invitation: [
    ['id', 'i.id'], ['teamId', 'i.team_id'], ['email', 'i.email'], ['role', 'i.role'], ['token', 'i.token'], ['status', 'i.status'],
    ['invitedByUserId', 'i.invited_by_user_id'], ['createdAt', 'i.created_at'], ['expiresAt', 'i.expires_at'],
  ],
};

/**
 * A subject exists when every one of these columns is there: the by-id loaders join the same
 * tables with inner joins (loaders/createLoaders.ts), so a row missing one of them is no row.
 */
const REQUIRED_FIELDS: Readonly<Record<Exclude<NotificationSubjectKind, 'team'>, readonly string[]>> = {
  project: ['id'],
  crs: ['id', 'teamId'],
  comment: ['id', 'teamId', 'authorEmail'],
  invitation: ['id'],
};

const SUBJECT_COLUMNS = Object.entries(SUBJECT_FIELDS)
  .flatMap(([kind, fields]) => fields.map(([property, column]) => `${column} AS \`${kind}.${property}\``))
  .join(', ');

/** Per kind, each property with the column alias it is read from, worked out once. */
const SUBJECT_ALIASES = Object.fromEntries(
  Object.entries(SUBJECT_FIELDS).map(([kind, fields]) => [kind, fields.map(([property]) => [property, `${kind}.${property}`] as const)]),
) as unknown as Record<Exclude<NotificationSubjectKind, 'team'>, readonly (readonly [string, string])[]>;
const REQUIRED_ALIASES = Object.fromEntries(
  Object.entries(REQUIRED_FIELDS).map(([kind, properties]) => [kind, properties.map((property) => `${kind}.${property}`)]),
) as unknown as Record<Exclude<NotificationSubjectKind, 'team'>, readonly string[]>;

const typesAbout = (kind: NotificationSubjectKind): RawBuilder<unknown> => sql.join(notificationTypesAbout(kind));

const SUBJECT_JOINS = sql`
    LEFT JOIN projects p ON n.type IN (${typesAbout('project')}) AND p.id = n.reference_id
    LEFT JOIN crs_documents c ON n.type IN (${typesAbout('crs')}) AND c.id = n.reference_id
    LEFT JOIN projects cp ON cp.id = c.project_id
    LEFT JOIN comments m ON n.type IN (${typesAbout('comment')}) AND m.id = n.reference_id
    LEFT JOIN crs_documents mc ON mc.id = m.crs_id
    LEFT JOIN projects mp ON mp.id = mc.project_id
    LEFT JOIN users mu ON mu.id = m.author_id
    LEFT JOIN invitations i ON n.type IN (${typesAbout('invitation')}) AND i.id = n.reference_id`;

/** Primes the by-id loader of the row's subject with what the statement joined (null when it is gone). */
function primeSubject(loaders: Loaders, row: NotificationRow & Record<string, unknown>): void {
  const kind = SUBJECT_KIND_BY_NOTIFICATION_TYPE[row.type];
  if (row.referenceId === null || kind === 'team') return;
  let subject: Record<string, unknown> | null = null;
  if (REQUIRED_ALIASES[kind].every((alias) => row[alias] !== null)) {
    subject = {};
    for (const [property, alias] of SUBJECT_ALIASES[kind]) subject[property] = row[alias];
  }
  switch (kind) {
    case 'project':
      loaders.projectById.prime(row.referenceId, subject as ProjectRow | null);
      return;
    case 'crs':
      loaders.crsById.prime(row.referenceId, subject as CrsWithTeam | null);
      return;
    case 'invitation':
      loaders.invitationById.prime(row.referenceId, subject as InvitationRow | null);
      return;
    case 'comment': {
      if (!subject) return void loaders.commentById.prime(row.referenceId, null);
      subject.author = { id: subject.authorId, email: subject.authorEmail, fullName: subject.authorFullName };
      loaders.commentById.prime(row.referenceId, subject as unknown as CommentWithTeam);
    }
  }
}
