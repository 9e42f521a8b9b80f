import { Kysely, MysqlDialect, sql, type CompiledQuery, type Dialect, type Driver, type KyselyConfig } from 'kysely';
import type { PoolConfig } from '../config';
import { CamelCaseRowsPlugin } from './camelCaseRows';
import { ManagedPool } from './pool';
import { statementTimeLimit } from './statementTimeLimit';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly pool: ManagedPool;
  /**
   * The driver `db` runs on, for a Kysely of another shape over the same connections
   * (replicas/requestDatabase.ts): one driver per pool, so each connection is set up once.
   */
  readonly driver: Driver;
  /** Closes every connection. */
  destroy(): Promise<void>;
}

export interface DatabaseOptions {
  /** Longest any one statement may run (statementTimeLimit.ts); unbounded when absent. */
  readonly statementTimeoutMs?: number;
  /** Told of every statement sent, after it ran or failed (Kysely's log hook); for tools and tests that read the SQL. */
  readonly onStatement?: (statement: CompiledQuery) => void;
}

/**
 * Kysely over a ManagedPool (size + overflow, recycle, pre-ping, acquire timeout). Every
 * connection works in UTC, so DATETIME columns and `new Date()` agree.
 */
export function createDatabase(url: string, pool: PoolConfig, options: DatabaseOptions = {}): DatabaseHandle {
  const managed = new ManagedPool({ uri: url, ...pool });
  const limitStatements = options.statementTimeoutMs === undefined ? undefined : statementTimeLimit(options.statementTimeoutMs);
  const dialect = new MysqlDialect({
    pool: managed,
    onCreateConnection: async (connection) => {
      await connection.executeQuery(sql`SET time_zone = '+00:00'`.compile(db));
      await limitStatements?.(connection);
    },
  });
  const driver = dialect.createDriver();
  const db = kyselyOver(
    {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => driver,
      createIntrospector: (kysely) => dialect.createIntrospector(kysely),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
    options.onStatement ? { log: (event) => options.onStatement!(event.query) } : {},
  );
  return { db, pool: managed, driver, destroy: () => db.destroy() };
}

/**
 * The product's Kysely over `dialect`: camelCase names in TypeScript, snake_case in SQL. A
 * MySQL-compatible dialect other than the pool's (`npm run db:report` records statements with
 * one) compiles every statement exactly as the server sends it.
 */
export function kyselyOver(dialect: Dialect, settings: Pick<KyselyConfig, 'log'> = {}): Db {
  return new Kysely<Database>({ dialect, plugins: [new CamelCaseRowsPlugin()], ...settings });
}
