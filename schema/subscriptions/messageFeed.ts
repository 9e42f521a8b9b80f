import type { MessageWithTeam } from '../../loaders/rows';
import type { KeysetPosition } from '../../loaders/rows';
import { notFound } from '../../src/errors';
import type { GraphQLContext } from '../context';
import { visibleChatSession } from '../visibility';
import { forgetLoaded } from './freshRequestState';
import { LiveFeed } from './liveFeed';

/**
 * messageAdded: a chat session's messages from `after` (a message cursor) on, then live.
 * NOT_FOUND, as a query would answer, when the viewer cannot see the session; afterwards each
 * message is sent only while the viewer is still an active member of its team.
 */
export async function messageFeed(ctx: GraphQLContext, sessionId: number, after: KeysetPosition | null): Promise<LiveFeed<MessageWithTeam>> {
  const session = await visibleChatSession(ctx, sessionId);
  if (!session) throw notFound('Chat session', sessionId);
  const withTeam = { projectId: session.projectId, teamId: session.teamId };
  return new LiveFeed<MessageWithTeam>(
    ctx.liveEvents,
    {
      topic: `session:${sessionId}`,
      rowOf: (event) => (event.kind === 'message' && event.row.sessionId === sessionId ? event.row : null),
      positionOf: (row) => ({ time: row.timestamp, id: row.id }),
      rowsAfter: async (position, limit) => (await messagesAfter(ctx, sessionId, position, limit)).map((row) => ({ ...row, ...withTeam })),
      newestPosition: () => newestMessage(ctx, sessionId),
      visible: (row) => ctx.viewer.canSeeTeam(row.teamId),
      forgetLoaded: () => forgetLoaded(ctx),
    },
    after,
  );
}

/**
 * The session's messages after a position, oldest first:
 * ```sql
 * SELECT * FROM messages WHERE session_id = ? AND (timestamp > ? OR (timestamp = ? AND id > ?))
 * ORDER BY timestamp, id LIMIT ?
 * ```
 */
function messagesAfter(ctx: GraphQLContext, sessionId: number, position: KeysetPosition, limit: number) {
  return ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('sessionId', '=', sessionId)
    .where((eb) =>
      eb.or([eb('timestamp', '>', position.time), eb.and([eb('timestamp', '=', position.time), eb('id', '>', position.id)])]),
    )
    .orderBy('timestamp')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Where the feed starts without `after`:
 * ```sql
 * SELECT id, timestamp FROM messages WHERE session_id = ? ORDER BY timestamp DESC, id DESC LIMIT 1
 * ```
 */
async function newestMessage(ctx: GraphQLContext, sessionId: number): Promise<KeysetPosition | null> {
  const row = await ctx.db
    .selectFrom('messages')
    .select(['id', 'timestamp'])
    .where('sessionId', '=', sessionId)
    .orderBy('timestamp', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { time: row.timestamp, id: row.id } : null;
}
