import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/errors';
import type { Logger } from '../logger';

/** The one message every unexpected error shows a client. */
export const INTERNAL_ERROR_MESSAGE = 'Unexpected error: the server could not complete this request. It was logged; retry later.';
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable right now: retry in a few seconds.';

/**
 * Apollo's formatError: errors meant for clients (those with a contract code, and graphql-js's
 * own parse and validation errors) pass as they are; a database outage becomes
 * SERVICE_UNAVAILABLE; everything else becomes INTERNAL_SERVER_ERROR with one fixed message,
 * its details going to the log only. No SQL, stack or driver text ever reaches a client.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    if (original instanceof GraphQLError || (original === error && !(error instanceof Error))) {
      // graphql-js and our ClientErrors: their messages are written for clients.
      if (extensions.code !== 'INTERNAL_SERVER_ERROR') return { ...formatted, extensions };
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original }, 'database unavailable');
      return { message: DATABASE_UNAVAILABLE_MESSAGE, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
    }
    logger.error({ err: original }, 'unexpected error');
    return { message: INTERNAL_ERROR_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
