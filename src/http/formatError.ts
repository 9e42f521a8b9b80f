import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable, isStatementTimeout } from '../db/errors';
import type { Logger } from '../logger';
import { REQUEST_TIMEOUT_MESSAGE } from './limits/requestTimeout';
import { currentRequest } from './requestLogging';

/** The one message every unexpected error shows a client. */
export const INTERNAL_ERROR_MESSAGE = 'Unexpected error: the server could not complete this request. It was logged; retry later.';
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable right now: retry in a few seconds.';

/**
 * graphql-js wraps a thrown value that is not `instanceof Error` in a NonErrorThrown; errors made
 * in another realm (Node's own socket errors seen from a vm context, as under Jest) are such
 * values, and what they say (ECONNREFUSED) matters here.
 */
function unwrapNonErrorThrown(error: unknown): unknown {
  return error instanceof Error && error.name === 'NonErrorThrown' && 'thrownValue' in error ? error.thrownValue : error;
}

/**
 * Apollo's own codes for malformed requests, and the contract's code for each: clients only
 * ever see the contract's codes (schema.graphql's header).
 */
const CONTRACT_CODE_OF: Readonly<Record<string, string>> = {
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
  INTROSPECTION_DISABLED: 'GRAPHQL_VALIDATION_FAILED',
  MAX_RECURSIVE_SELECTIONS_EXCEEDED: 'GRAPHQL_VALIDATION_FAILED',
};

/**
 * Apollo's formatError: errors meant for clients (those with a contract code, and graphql-js's
 * own parse and validation errors) pass as they are; a database outage becomes
 * SERVICE_UNAVAILABLE; everything else becomes INTERNAL_SERVER_ERROR with one fixed message,
 * its details going to the log only. No SQL, stack or driver text ever reaches a client.
 * Every error carries the request's id (`extensions.requestId`, also the X-Request-Id header),
 * which finds its details in the log.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const request = currentRequest();
    const id = request?.id;
    const shown = (result: GraphQLFormattedError): GraphQLFormattedError => {
      request?.errorCodes.push(String(result.extensions?.code));
      return id === undefined ? result : { ...result, extensions: { ...result.extensions, requestId: id } };
    };
    const original = unwrapNonErrorThrown(unwrapResolverError(error));
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    if (original instanceof GraphQLError || (original === error && !(error instanceof Error))) {
      // graphql-js and our ClientErrors: their messages are written for clients.
      if (extensions.code !== 'INTERNAL_SERVER_ERROR') {
        const code = CONTRACT_CODE_OF[String(extensions.code)] ?? extensions.code;
        return shown({ ...formatted, extensions: { ...extensions, code } });
      }
    }
    if (isStatementTimeout(original)) {
      // Only a request that outlived REQUEST_TIMEOUT_MS meets the statement limit (statementTimeLimit.ts).
      logger.warn({ err: original, requestId: id }, 'statement stopped by its time limit');
      return shown({ message: REQUEST_TIMEOUT_MESSAGE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } });
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, requestId: id }, 'database unavailable');
      return shown({ message: DATABASE_UNAVAILABLE_MESSAGE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } });
    }
    logger.error({ err: original, requestId: id }, 'unexpected error');
    return shown({ message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}
