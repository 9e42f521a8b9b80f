import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../../schema/context';

/**
 * Reports each request's SQL statement count: to `observe` always, and to the client as
 * `extensions.queryCount` outside production (a development aid, and what the tests read).
 */
export function queryCountPlugin(options: {
  exposeToClient: boolean;
  observe?: (count: number, operationName: string | undefined) => void;
}): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response, operationName }) {
          const count = contextValue.sqlCount();
          options.observe?.(count, operationName ?? undefined);
          if (options.exposeToClient && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, queryCount: count };
          }
        },
      };
    },
  };
}
