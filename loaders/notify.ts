import type { Db } from '../src/db/database';
import type { NotificationRow, NotificationType } from '../src/db/schema';

/** The words of a notification, the same for every recipient. */
export interface NotificationText {
  /** At most 300 characters (notifications.title). */
  title: string;
  message: string;
}

/** One notification, about to be sent to several users. */
export interface NotificationDraft extends NotificationText {
  type: NotificationType;
  /** The row the notification is about; must match Notification.subject's type for `type`. */
  referenceId: number;
  createdAt: Date;
}

/**
 * Rows per INSERT: one statement for any real team, and still well under max_allowed_packet
 * (16 MB by default) with 300-character titles.
 */
const ROWS_PER_INSERT = 1000;

/**
 * Sends `draft` to every user in `recipientIds`, in the caller's transaction, with one
 * multi-row INSERT however many recipients there are (up to 1,000 a statement):
 * ```sql
 * INSERT INTO notifications (user_id, type, reference_id, title, message, is_read, created_at)
 * VALUES (?, ?, ?, ?, ?, 0, ?), (?, ?, ?, ?, ?, 0, ?), …
 * ```
 * No statement at all when there is nobody to tell. Recipients come from
 * notificationRecipients.ts as a plain SELECT rather than an INSERT … SELECT: under
 * REPEATABLE READ, InnoDB's INSERT … SELECT takes shared next-key locks on the rows it reads
 * (team_members, comments), so two comments written at once on one CRS document would wait on
 * each other's new rows; a consistent read takes no locks.
 *
 * Returns the rows written, for the subscriptions to push once the transaction commits. Their ids
 * follow from each statement's first insert id: a multi-row INSERT … VALUES is a "simple insert",
 * whose auto-increment values InnoDB allocates consecutively in one go (innodb_autoinc_lock_mode
 * 0, 1 — MariaDB's default — and 2 alike).
 */
export async function notify(db: Db, recipientIds: readonly number[], draft: NotificationDraft): Promise<NotificationRow[]> {
  const { type, referenceId, title, message, createdAt } = draft;
  const written: NotificationRow[] = [];
  for (let start = 0; start < recipientIds.length; start += ROWS_PER_INSERT) {
    const rows = recipientIds
      .slice(start, start + ROWS_PER_INSERT)
      .map((userId) => ({ userId, type, referenceId, title, message, isRead: 0, createdAt }));
    const result = await db.insertInto('notifications').values(rows).executeTakeFirstOrThrow();
    const firstId = Number(result.insertId);
    rows.forEach((row, index) => written.push({ id: firstId + index, ...row }));
  }
  return written;
}
