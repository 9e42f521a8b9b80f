import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { NotificationRow } from '../../src/db/schema';
import type { MessageWithTeam } from '../../loaders/rows';
import { parseId } from '../arguments';
import type { GraphQLContext } from '../context';
import { messageFeed } from '../subscriptions/messageFeed';
import { notificationFeed } from '../subscriptions/notificationFeed';
import { MessageEdge, NotificationEdge } from '../types/connections';

interface FeedArguments {
  after?: string | null;
  sessionId?: string;
}

/** Subscriptions over graphql-ws (src/http/subscriptions/): rows streamed by schema/subscriptions/. */
@Resolver()
export class SubscriptionResolver {
  @Subscription(() => NotificationEdge, {
    description:
      "The viewer's notifications as they are created, as edges whose cursors are those of `notifications`. With `after` (the cursor of a notification the client has seen), first every newer one, oldest first, then live: no gap, no duplicate.",
    subscribe: ({ args, context }) => {
      const { after } = args as FeedArguments;
      const ctx = context as GraphQLContext;
      return notificationFeed(ctx, after ? ctx.cursors.decode('notification', after, 'after') : null);
    },
  })
  notificationAdded(
    @Root() row: NotificationRow,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return { cursor: ctx.cursors.encode('notification', { time: row.createdAt, id: row.id }), node: row };
  }

  @Subscription(() => MessageEdge, {
    description:
      'New messages of a chat session the viewer can see (NOT_FOUND otherwise). With `after` (a message cursor), first every newer message, oldest first, then live.',
    subscribe: ({ args, context }) => {
      const { after, sessionId } = args as FeedArguments;
      const ctx = context as GraphQLContext;
      return messageFeed(ctx, parseId(sessionId ?? '', 'sessionId'), after ? ctx.cursors.decode('message', after, 'after') : null);
    },
  })
  messageAdded(
    @Root() row: MessageWithTeam,
    @Arg('sessionId', () => ID) _sessionId: string,
    @Arg('after', () => String, { nullable: true }) _after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return { cursor: ctx.cursors.encode('message', { time: row.timestamp, id: row.id }), node: row };
  }
}
