import {
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type TransactionSettings,
} from 'kysely';
import { kyselyOver, type Db } from '../database';
import type { ReadConnection, ReplicaSet } from './replicaSet';

/**
 * Where one request's statements go. Every request starts on the primary; the read routing
 * plugin (src/http/readRoutingPlugin.ts) moves a query operation to the replicas once Apollo
 * has parsed it, before any resolver runs.
 */
export interface ReadRoute {
  target: 'primary' | 'replicas';
  /** The GTID position the request's reads must see (the viewer's latest write). */
  readAfter: string | undefined;
}

/**
 * A Kysely for one request: its statements run on the primary's connections or the replicas'
 * as `route` says when each connection is taken. Transactions belong to the primary: on the
 * replicas one fails at BEGIN, before anything was read or written.
 */
export function requestDatabase(route: ReadRoute, primary: Driver, replicas: ReplicaSet): Db {
  const driver = new RequestDriver(route, primary, replicas);
  return kyselyOver({
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  });
}

class RequestDriver implements Driver {
  readonly #route: ReadRoute;
  readonly #primary: Driver;
  readonly #replicas: ReplicaSet;
  /** The replicas' connections this request holds, by what Kysely was given. */
  readonly #reads = new WeakSet<ReadConnection>();

  constructor(route: ReadRoute, primary: Driver, replicas: ReplicaSet) {
    this.#route = route;
    this.#primary = primary;
    this.#replicas = replicas;
  }

  /** The drivers it hands connections of are set up once, when the server starts. */
  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#route.target === 'primary') return this.#primary.acquireConnection();
    const connection = await this.#replicas.acquire(this.#route.readAfter);
    this.#reads.add(connection);
    return connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.#reads.has(connection as ReadConnection)) {
      throw new Error('A query operation opened a transaction; transactions run on the primary only, so write them as mutations.');
    }
    await this.#primary.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#primary.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#primary.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (this.#reads.delete(connection as ReadConnection)) return (connection as ReadConnection).release();
    return this.#primary.releaseConnection(connection);
  }

  /** The request's Kysely is never destroyed; the server closes the pools. */
  async destroy(): Promise<void> {}
}
