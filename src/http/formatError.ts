import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable, isStatementTimeout } from '../db/errors';
import type { Logger } from '../logger';
import { REQUEST_TIMEOUT_MESSAGE } from './limits/requestTimeout';
import { recordOfContext } from './requestLogging';

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

/** What an error is, as far as the client and the log are concerned. */
type ErrorKind = 'client' | 'statement-timeout' | 'database-unavailable' | 'unexpected';

/**
 * graphql-js and our ClientErrors carry messages written for clients (unless their code says
 * INTERNAL_SERVER_ERROR); statement time limits and database outages are SERVICE_UNAVAILABLE;
 * anything else is unexpected.
 */
function kindOf(error: unknown, code: unknown): { kind: ErrorKind; original: unknown } {
  const original = unwrapNonErrorThrown(unwrapResolverError(error));
  if ((original instanceof GraphQLError || (original === error && !(error instanceof Error))) && code !== 'INTERNAL_SERVER_ERROR') {
    return { kind: 'client', original };
  }
  if (isStatementTimeout(original)) return { kind: 'statement-timeout', original };
  if (isDatabaseUnavailable(original)) return { kind: 'database-unavailable', original };
  return { kind: 'unexpected', original };
}

/**
 * Apollo's formatError: errors meant for clients (those with a contract code, and graphql-js's
 * own parse and validation errors) pass as they are; a database outage becomes
 * SERVICE_UNAVAILABLE; everything else becomes INTERNAL_SERVER_ERROR with one fixed message,
 * its details going to the log only ({@link errorLoggingPlugin}). No SQL, stack or driver text
 * ever reaches a client. The request's id is added afterwards (errorRequestIds.ts).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
  switch (kindOf(error, extensions.code).kind) {
    case 'client': {
      const code = CONTRACT_CODE_OF[String(extensions.code)] ?? extensions.code;
      return { ...formatted, extensions: { ...extensions, code } };
    }
    case 'statement-timeout':
      // Only a request that outlived REQUEST_TIMEOUT_MS meets the statement limit (statementTimeLimit.ts).
      return { message: REQUEST_TIMEOUT_MESSAGE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    case 'database-unavailable':
      return { message: DATABASE_UNAVAILABLE_MESSAGE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    case 'unexpected':
      return { message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
}

const LOG_LINE: Record<Exclude<ErrorKind, 'client'>, { level: 'warn' | 'error'; message: string }> = {
  'statement-timeout': { level: 'warn', message: 'statement stopped by its time limit' },
  'database-unavailable': { level: 'warn', message: 'database unavailable' },
  unexpected: { level: 'error', message: 'unexpected error' },
};

/** Logs, with the request's id, each error that {@link formatError} hides from the client. */
export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const { kind, original } = kindOf(error, error.extensions?.code);
            if (kind === 'client') continue;
            const { level, message } = LOG_LINE[kind];
            logger[level]({ err: original, requestId: recordOfContext(contextValue)?.id }, message);
          }
        },
      };
    },
  };
}
