import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { MessageRow } from '../../src/db/schema';
import type { GraphQLContext } from '../context';
import { ChatSession } from '../types/ChatSession';
import { Message } from '../types/Message';
import { User } from '../types/User';

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => ChatSession)
  session(@Root() message: MessageRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.chatSessionById.load(message.sessionId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null for AI messages.' })
  sender(@Root() message: MessageRow, @Ctx() ctx: GraphQLContext) {
    return message.senderId === null ? null : ctx.loaders.userById.load(message.senderId);
  }
}
