import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { recordOfContext, type RequestRecord } from './requestLogging';

/**
 * Every error a client is sent carries the request's id (`extensions.requestId`, also the
 * X-Request-Id header), which finds its details in the log; its code goes into the request's
 * log line. An error that already carries an id keeps it.
 */
export function withRequestId(errors: readonly GraphQLFormattedError[], record: RequestRecord): GraphQLFormattedError[] {
  return errors.map((error) => {
    if (error.extensions?.requestId !== undefined) return error;
    record.errorCodes.push(String(error.extensions?.code));
    return { ...error, extensions: { ...error.extensions, requestId: record.id } };
  });
}

/** Tags the errors of every response that went through Apollo's request pipeline. */
export function errorRequestIdsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const record = recordOfContext(contextValue);
          if (!record || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          if (singleResult.errors?.length) singleResult.errors = withRequestId(singleResult.errors, record);
        },
      };
    },
  };
}

/**
 * The same for a body Apollo Server answered before its plugins ran (a request it could not
 * read: no query, a mutation over GET, a CSRF refusal), which is a JSON object of errors alone.
 */
export function errorBodyWithRequestId(body: string, record: RequestRecord): string {
  if (!body.startsWith('{"errors"')) return body;
  let parsed: { errors?: unknown };
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  if (!Array.isArray(parsed.errors)) return body;
  return JSON.stringify({ ...parsed, errors: withRequestId(parsed.errors as GraphQLFormattedError[], record) });
}
