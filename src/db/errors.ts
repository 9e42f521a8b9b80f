/** mysql2 error codes the application answers itself instead of failing the request. */

/** A UNIQUE constraint refused the row (ER_DUP_ENTRY, 1062). */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'ER_DUP_ENTRY';
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'POOL_TIMEOUT',
  'POOL_CLOSED',
]);

/**
 * True for failures of the database connection itself (unreachable, killed, no free connection),
 * which clients see as SERVICE_UNAVAILABLE, as opposed to a faulty statement.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const err = error as { code?: string; fatal?: boolean; errno?: number } | null;
  if (!err) return false;
  return (err.code !== undefined && CONNECTION_ERROR_CODES.has(err.code)) || err.fatal === true || err.errno === 1927;
}

/**
 * A statement stopped by the connection's time limit (statementTimeLimit.ts): MariaDB's
 * ER_STATEMENT_TIMEOUT (1969) or MySQL's ER_QUERY_TIMEOUT (3024).
 */
export function isStatementTimeout(error: unknown): boolean {
  const errno = (error as { errno?: number } | null)?.errno;
  return errno === 1969 || errno === 3024;
}
