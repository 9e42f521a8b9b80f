import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { markNotificationsRead } from '../../loaders/notificationWrites';
import type { GraphQLContext } from '../context';
import { requireIdList } from '../validation';

/** markNotificationsRead's cap on `ids`, so its one UPDATE stays small. */
export const MAX_NOTIFICATION_IDS = 500;

@Resolver()
export class NotificationMutationResolver {
  /** Only the viewer's own notifications change; ids of anyone else's are ignored (they count 0). */
  @Mutation(() => Int, {
    description: 'Marks the given notifications (or all, when ids is omitted) of the viewer as read; returns how many changed.',
  })
  async markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true }) ids: string[] | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<number> {
    const notificationIds = ids ? requireIdList(ids, 'ids', MAX_NOTIFICATION_IDS) : null;
    return markNotificationsRead(ctx.db, await ctx.viewer.userId(), notificationIds);
  }
}
