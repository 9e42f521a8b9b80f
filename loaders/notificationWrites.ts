import type { Db } from '../src/db/database';

/**
 * Marks a user's unread notifications as read: those in `ids`, or all of them when `ids` is
 * null. Ids of other users' notifications match nothing. Returns how many changed.
 * ```sql
 * UPDATE notifications SET is_read = 1 WHERE user_id = ? [AND id IN (?, …)] AND is_read = 0
 * ```
 */
export async function markNotificationsRead(db: Db, userId: number, ids: readonly number[] | null): Promise<number> {
  if (ids !== null && ids.length === 0) return 0;
  let query = db.updateTable('notifications').set({ isRead: 1 }).where('userId', '=', userId);
  if (ids !== null) query = query.where('id', 'in', ids);
  const result = await query.where('isRead', '=', 0).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
