import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { enqueueMemory } from '../../src/memory/outbox';
import { insertChatSession, insertUserMessage } from '../../loaders/chatWrites';
import type { ChatSessionWithTeam, MessageWithTeam } from '../../loaders/rows';
import { parseId } from '../arguments';
import { transactionWithEvents } from '../committedEvents';
import type { GraphQLContext } from '../context';
import { ChatSession } from '../types/ChatSession';
import { Message } from '../types/Message';
import { requireContent, requireText, TEXT_COLUMN_BYTES } from '../validation';
import { CONTENT_WRITERS, writableChatSession, writableProject } from '../writeAccess';

/**
 * Chat sessions belong to their project's team: any member but a VIEWER may start one and post
 * into any session of the team (each message records its sender), because what is said there
 * becomes the team's memory.
 */
@Resolver()
export class ChatMutationResolver {
  @Mutation(() => ChatSession)
  async startChatSession(
    @Arg('projectId', () => ID) projectId: string,
    @Arg('name', () => String) name: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ChatSessionWithTeam> {
    const id = parseId(projectId, 'projectId');
    const sessionName = requireText(name, 'name', 200);
    const project = await writableProject(ctx, id, CONTENT_WRITERS, 'starting a chat session');
    const row = await insertChatSession(ctx.db, { projectId: id, userId: await ctx.viewer.userId(), name: sessionName, at: new Date() });
    const session = { ...row, teamId: project.teamId };
    ctx.loaders.chatSessionById.prime(session.id, session);
    ctx.loaders.chatSessionsByProjectId.clearAll();
    return session;
  }

  @Mutation(() => Message, { description: 'Indexes the message into memory.' })
  async postMessage(
    @Arg('sessionId', () => ID) sessionId: string,
    @Arg('content', () => String) content: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MessageWithTeam> {
    const id = parseId(sessionId, 'sessionId');
    const text = requireContent(content, 'content', TEXT_COLUMN_BYTES);
    const session = await writableChatSession(ctx, id, 'posting a chat message');
    const senderId = await ctx.viewer.userId();
    const message = await transactionWithEvents(ctx, async (trx, pending) => {
      const row = await insertUserMessage(trx, { sessionId: id, senderId, content: text, at: new Date() });
      await enqueueMemory(trx, [{ projectId: session.projectId, sourceType: 'MESSAGE', sourceId: row.id, text }], 'live');
      const written = { ...row, projectId: session.projectId, teamId: session.teamId };
      pending.message(written);
      return written;
    });
    ctx.loaders.messageById.prime(message.id, message);
    ctx.loaders.messagesBySessionId.clearAll();
    return message;
  }
}
