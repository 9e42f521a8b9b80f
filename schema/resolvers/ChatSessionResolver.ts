import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { ChatSessionRow } from '../../src/db/schema';
import { pageSize } from '../arguments';
import { toConnection } from '../connection';
import type { GraphQLContext } from '../context';
import { ChatSession } from '../types/ChatSession';
import { MessageConnection } from '../types/connections';
import { Project } from '../types/Project';
import { User } from '../types/User';

@Resolver(() => ChatSession)
export class ChatSessionResolver {
  @FieldResolver(() => Project)
  project(@Root() session: ChatSessionRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.projectById.load(session.projectId);
  }

  @FieldResolver(() => User)
  user(@Root() session: ChatSessionRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.userById.load(session.userId);
  }

  @FieldResolver(() => MessageConnection, { description: 'Newest first; `before` is a cursor from an earlier page.' })
  async messages(
    @Root() session: ChatSessionRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('before', () => String, { nullable: true }) before: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const limit = pageSize(first, 20);
    const position = before ? ctx.cursors.decode('message', before, 'before') : null;
    const rows = await ctx.loaders.messagesBySessionId.load({ sessionId: session.id, first: limit + 1, before: position });
    return toConnection(rows, limit, 'message', (row) => row.timestamp, ctx.cursors);
  }
}
