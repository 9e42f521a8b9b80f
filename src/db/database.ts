import { Kysely, MysqlDialect, sql } from 'kysely';
import type { PoolConfig } from '../config';
import { CamelCaseRowsPlugin } from './camelCaseRows';
import { ManagedPool } from './pool';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly pool: ManagedPool;
  /** Closes every connection. */
  destroy(): Promise<void>;
}

/**
 * Kysely over a ManagedPool (size + overflow, recycle, pre-ping, acquire timeout). Every
 * connection works in UTC, so DATETIME columns and `new Date()` agree.
 */
export function createDatabase(url: string, pool: PoolConfig): DatabaseHandle {
  const managed = new ManagedPool({ uri: url, ...pool });
  const db = new Kysely<Database>({
    dialect: new MysqlDialect({
      pool: managed,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(sql`SET time_zone = '+00:00'`.compile(db));
      },
    }),
    plugins: [new CamelCaseRowsPlugin()],
  });
  return { db, pool: managed, destroy: () => db.destroy() };
}
