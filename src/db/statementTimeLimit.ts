import { CompiledQuery, type DatabaseConnection } from 'kysely';

/** MariaDB's and MySQL's "unknown system variable" (ER_UNKNOWN_SYSTEM_VARIABLE). */
const UNKNOWN_SYSTEM_VARIABLE = 1193;

/**
 * Bounds how long any one statement may run on a connection, so that work the server has
 * already answered with a timeout (REQUEST_TIMEOUT_MS) stops holding a pooled connection and
 * the database's CPU instead of running on to its end.
 *
 * On MariaDB every statement is bounded, e.g. for 15 s:
 * ```sql
 * SET SESSION max_statement_time = 15
 * ```
 * MySQL has no such variable (error 1193); there the bound covers SELECTs only:
 * ```sql
 * SET SESSION max_execution_time = 15000
 * ```
 * A statement stopped this way fails with ER_STATEMENT_TIMEOUT (1969) or ER_QUERY_TIMEOUT (3024),
 * which clients see as SERVICE_UNAVAILABLE (isStatementTimeout, db/errors.ts); a transaction it
 * belonged to rolls back.
 *
 * Returns the function to run on every new connection; it remembers which server it talks to.
 */
export function statementTimeLimit(timeoutMs: number): (connection: DatabaseConnection) => Promise<void> {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`A statement time limit must be a whole number of milliseconds (got ${timeoutMs}).`);
  let server: 'mariadb' | 'mysql' | undefined;
  return async (connection) => {
    if (server !== 'mysql') {
      try {
        await connection.executeQuery(CompiledQuery.raw(`SET SESSION max_statement_time = ${timeoutMs / 1000}`));
        server = 'mariadb';
        return;
      } catch (error) {
        if (server === 'mariadb' || (error as { errno?: number }).errno !== UNKNOWN_SYSTEM_VARIABLE) throw error;
        server = 'mysql';
      }
    }
    await connection.executeQuery(CompiledQuery.raw(`SET SESSION max_execution_time = ${timeoutMs}`));
  };
}
