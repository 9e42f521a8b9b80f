import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type { InvitationRow, InvitationStatus, NotificationRow, ProjectRow, ProjectStatus } from '../src/db/schema';
import { invitationStatusCondition } from './createLoaders';
import type { KeysetPosition } from './rows';

/**
 * Root lists: the queries behind Query fields that start from the viewer rather than from a
 * parent object. Each is one statement; each page fetches one row more than asked, so the
 * caller knows whether a next page exists.
 */

/**
 * ```sql
 * SELECT * FROM notifications WHERE user_id = ? [AND is_read = 0]
 *   [AND (created_at < ? OR (created_at = ? AND id < ?))]
 * ORDER BY created_at DESC, id DESC LIMIT first + 1
 * ```
 */
export function notificationsPage(
  db: Db,
  userId: number,
  args: { unreadOnly: boolean; first: number; after: KeysetPosition | null },
): Promise<NotificationRow[]> {
  let query = db.selectFrom('notifications').selectAll().where('userId', '=', userId);
  if (args.unreadOnly) query = query.where('isRead', '=', 0);
  if (args.after) {
    const { time, id } = args.after;
    query = query.where((eb) =>
      eb.or([eb('createdAt', '<', time), eb.and([eb('createdAt', '=', time), eb('id', '<', id)])]),
    );
  }
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(args.first + 1)
    .execute();
}

/**
 * The first page of notificationsPage and the viewer's unread count in ONE pass over the
 * viewer's notifications: both read every one of them (the index is on user_id alone, so
 * created_at and is_read come from the rows), and a window sum gets the count from the same
 * pass. The window runs over ids only and the page's rows are then fetched by id, so no TEXT
 * column goes through the sort.
 * ```sql
 * SELECT n.*, top.unread_count FROM (
 *   SELECT id, created_at, SUM(is_read = 0) OVER () AS unread_count FROM notifications
 *   WHERE user_id = ? [AND is_read = 0] ORDER BY created_at DESC, id DESC LIMIT first + 1
 * ) top JOIN notifications n ON n.id = top.id
 * ORDER BY top.created_at DESC, top.id DESC
 * ```
 * An empty page means the viewer has no notifications (that match unreadOnly), hence none unread.
 */
export async function firstNotificationsPageWithUnreadCount(
  db: Db,
  userId: number,
  args: { unreadOnly: boolean; first: number },
): Promise<{ rows: NotificationRow[]; unreadCount: number }> {
  const result = await sql<NotificationRow & { unreadCount: string | number }>`SELECT n.*, top.unread_count FROM (
      SELECT id, created_at, SUM(is_read = 0) OVER () AS unread_count FROM notifications
      WHERE user_id = ${userId}${args.unreadOnly ? sql` AND is_read = 0` : sql``}
      ORDER BY created_at DESC, id DESC LIMIT ${args.first + 1}
    ) top JOIN notifications n ON n.id = top.id
    ORDER BY top.created_at DESC, top.id DESC`.execute(db);
  const unreadCount = result.rows.length === 0 ? 0 : Number(result.rows[0]!.unreadCount);
  const rows = result.rows.map(({ unreadCount: _count, ...row }) => row);
  return { rows, unreadCount };
}

/** `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND is_read = 0` */
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
 * ```sql
 * SELECT * FROM projects WHERE team_id IN (…) [AND status = ?]
 *   [AND (created_at < ? OR (created_at = ? AND id < ?))]
 * ORDER BY created_at DESC, id DESC LIMIT first + 1
 * ```
 */
export function projectsPage(
  db: Db,
  args: { teamIds: readonly number[]; status: ProjectStatus | null; first: number; after: KeysetPosition | null },
): Promise<ProjectRow[]> {
  if (args.teamIds.length === 0) return Promise.resolve([]);
  let query = db.selectFrom('projects').selectAll().where('teamId', 'in', args.teamIds);
  if (args.status) query = query.where('status', '=', args.status);
  if (args.after) {
    const { time, id } = args.after;
    query = query.where((eb) =>
      eb.or([eb('createdAt', '<', time), eb.and([eb('createdAt', '=', time), eb('id', '<', id)])]),
    );
  }
  return query
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(args.first + 1)
    .execute();
}

/**
 * Invitations addressed to an email, newest first:
 * ```sql
 * SELECT t.* FROM invitations t WHERE t.email = ? AND <status condition>
 * ORDER BY t.created_at DESC, t.id DESC LIMIT ?
 * ```
 */
export async function invitationsForEmail(
  db: Db,
  args: { email: string; status: InvitationStatus | null; first: number },
): Promise<InvitationRow[]> {
  const condition = args.status ? sql`AND ${invitationStatusCondition(args.status)}` : sql``;
  const result = await sql<InvitationRow>`SELECT t.* FROM invitations t
    WHERE t.email = ${args.email} ${condition}
    ORDER BY t.created_at DESC, t.id DESC LIMIT ${args.first}`.execute(db);
  return result.rows;
}
