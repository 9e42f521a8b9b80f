import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../../schema/context';
import { isGtidPosition, laterGtidPosition, readGtidPosition } from '../db/replicas/gtidPosition';
import type { WritePositions } from '../db/replicas/writePositions';

/**
 * The header carrying the primary's GTID position after a mutation; a client that sends it back
 * reads what it wrote on any instance (an instance knows only its own writers otherwise).
 */
export const READ_AFTER_HEADER = 'x-read-after';

/**
 * With replicas: chooses where each request reads once Apollo knows the operation, before any
 * resolver runs. A query goes to the replicas, needing the later of the client's X-Read-After
 * and the viewer's latest write in this process; a mutation stays on the primary (its
 * transactions, and the reads of its answer). After a mutation, the primary's position is
 * remembered for the viewer and answered in X-Read-After:
 * ```sql
 * SHOW GLOBAL VARIABLES LIKE 'gtid_binlog_pos'
 * ```
 */
export function readRoutingPlugin(writePositions: WritePositions): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue, request }) {
          const route = contextValue.readRoute;
          if (!route || operation?.operation !== 'query') return;
          const header = request.http?.headers.get(READ_AFTER_HEADER)?.trim();
          const userId = tokenUserIdOf(contextValue);
          route.readAfter = laterGtidPosition(
            header !== undefined && header !== '' && isGtidPosition(header) ? header : undefined,
            userId === null ? undefined : writePositions.positionOf(userId),
          );
          route.target = 'replicas';
        },
        async willSendResponse({ operation, contextValue, response }) {
          if (!contextValue.readRoute || operation?.operation !== 'mutation') return;
          let position: string;
          try {
            position = await readGtidPosition(contextValue.db, 'gtid_binlog_pos');
          } catch {
            // The primary failed under the mutation itself, which already answers with that error.
            return;
          }
          if (position === '') return;
          const userId = tokenUserIdOf(contextValue);
          if (userId !== null) writePositions.remember(userId, position);
          response.http.headers.set(READ_AFTER_HEADER, position);
        },
      };
    },
  };
}

/** The bearer token's user, or null for an anonymous request. */
function tokenUserIdOf(context: GraphQLContext): number | null {
  try {
    return context.viewer.tokenUserId();
  } catch {
    return null;
  }
}
