import type { NotificationRow } from '../../src/db/schema';
import type { KeysetPosition } from '../../loaders/rows';
import type { GraphQLContext } from '../context';
import { forgetLoaded } from './freshRequestState';
import { LiveFeed } from './liveFeed';

/**
 * notificationAdded: the viewer's notifications from `after` (a `notifications` cursor) on, then
 * live. A notification is its recipient's alone, so a row is shown while its user id is the
 * viewer's and the account exists.
 */
export async function notificationFeed(ctx: GraphQLContext, after: KeysetPosition | null): Promise<LiveFeed<NotificationRow>> {
  const userId = await ctx.viewer.userId();
  return new LiveFeed<NotificationRow>(
    ctx.liveEvents,
    {
      topic: `user:${userId}`,
      rowOf: (event) => (event.kind === 'notification' && event.row.userId === userId ? event.row : null),
      positionOf: (row) => ({ time: row.createdAt, id: row.id }),
      rowsAfter: (position, limit) => notificationsAfter(ctx, userId, position, limit),
      newestPosition: () => newestNotification(ctx, userId),
      visible: async (row) => row.userId === (await ctx.viewer.userId()),
      forgetLoaded: () => forgetLoaded(ctx),
    },
    after,
  );
}

/**
 * The user's notifications after a position, oldest first:
 * ```sql
 * SELECT * FROM notifications WHERE user_id = ? AND (created_at > ? OR (created_at = ? AND id > ?))
 * ORDER BY created_at, id LIMIT ?
 * ```
 */
function notificationsAfter(ctx: GraphQLContext, userId: number, position: KeysetPosition, limit: number): Promise<NotificationRow[]> {
  return ctx.db
    .selectFrom('notifications')
    .selectAll()
    .where('userId', '=', userId)
    .where((eb) =>
      eb.or([eb('createdAt', '>', position.time), eb.and([eb('createdAt', '=', position.time), eb('id', '>', position.id)])]),
    )
    .orderBy('createdAt')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Where the feed starts without `after`:
 * ```sql
 * SELECT id, created_at FROM notifications WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1
 * ```
 */
async function newestNotification(ctx: GraphQLContext, userId: number): Promise<KeysetPosition | null> {
  const row = await ctx.db
    .selectFrom('notifications')
    .select(['id', 'createdAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { time: row.createdAt, id: row.id } : null;
}
