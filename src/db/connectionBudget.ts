import { sql } from 'kysely';
import type { PoolConfig } from '../config';
import type { Logger } from '../logger';
import type { Db } from './database';

/**
 * The share of the database server's max_connections the server's pools may claim together;
 * the rest is left to migrations, `npm run reindex`, replication and an operator's client.
 */
export const CONNECTION_BUDGET_SHARE = 0.8;

export interface ConnectionBudget {
  /** Connections the pools of all server processes may open: processes × (size + overflow). */
  readonly poolConnections: number;
  /** The database server's max_connections. */
  readonly maxConnections: number;
  readonly exceeded: boolean;
}

/**
 * Every server process has its own pool of DB_POOL_SIZE + DB_POOL_MAX_OVERFLOW connections.
 * Warns at start-up when `processes` such pools may open more than 80 % of the server's
 * max_connections: under load, connections beyond max_connections fail with "Too many
 * connections" instead of waiting in the pool.
 */
export async function checkConnectionBudget(db: Db, processes: number, pool: PoolConfig, logger: Logger): Promise<ConnectionBudget> {
  const { rows } = await sql<{ limit: number | string }>`SELECT @@max_connections AS \`limit\``.execute(db);
  const maxConnections = Number(rows[0]?.limit);
  const poolConnections = processes * (pool.size + pool.maxOverflow);
  const exceeded = poolConnections > CONNECTION_BUDGET_SHARE * maxConnections;
  if (exceeded) {
    logger.warn(
      { processes, poolSize: pool.size, poolMaxOverflow: pool.maxOverflow, poolConnections, maxConnections },
      `the database pools may open ${processes} × (${pool.size} + ${pool.maxOverflow}) = ${poolConnections} connections, ` +
        `more than ${CONNECTION_BUDGET_SHARE * 100} % of the database server's max_connections (${maxConnections}): ` +
        'lower DB_POOL_SIZE or DB_POOL_MAX_OVERFLOW, run fewer workers (WEB_CONCURRENCY), or raise max_connections',
    );
  }
  return { poolConnections, maxConnections, exceeded };
}
