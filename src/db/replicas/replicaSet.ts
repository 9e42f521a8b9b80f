import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import type { PoolConfig } from '../../config';
import { createDatabase, type DatabaseHandle } from '../database';
import { isDatabaseUnavailable } from '../errors';
import type { PoolStats } from '../pool';
import { gtidCovers } from './gtidPosition';

/** One replica and what the lag monitor last learnt of it. */
export interface Replica {
  /** `host:port`, as metrics and /health/database name it. */
  readonly name: string;
  readonly database: DatabaseHandle;
  /** Reads go to it: it answered the last check and was at most DB_REPLICA_MAX_LAG_MS behind. */
  inRotation: boolean;
  /** Its `@@gtid_slave_pos` at the last check. */
  appliedPosition: string | undefined;
  /** How far behind the primary it was at the last check; undefined while it does not answer. */
  lagMs: number | undefined;
  /** Why it is out of rotation, when it did not answer. */
  lastError: string | undefined;
}

/** What /health/database and /metrics show of a replica. */
export interface ReplicaStatus {
  readonly name: string;
  readonly inRotation: boolean;
  readonly lagMs: number | null;
  readonly error: string | null;
  readonly pool: PoolStats;
}

export function replicaStatus(replica: Replica): ReplicaStatus {
  return {
    name: replica.name,
    inRotation: replica.inRotation,
    lagMs: replica.lagMs ?? null,
    error: replica.lastError ?? null,
    pool: replica.database.pool.stats(),
  };
}

/** A connection the set handed out for a read, and the driver it goes back to. */
export interface ReadConnection extends DatabaseConnection {
  release(): Promise<void>;
}

/**
 * The replicas of DATABASE_REPLICA_URL and the primary behind them. Reads take turns among the
 * replicas in rotation that have applied what the request must see; with none, they go to the
 * primary. A replica that fails with a connection error is taken out of rotation at once and
 * the statement runs again on the primary, so its failure fails no request.
 */
export class ReplicaSet {
  readonly replicas: readonly Replica[];
  readonly #primary: Driver;
  readonly #onFallback: (replica: Replica, error: unknown) => void;
  #turn = 0;

  constructor(primary: DatabaseHandle, replicas: readonly Replica[], onFallback: (replica: Replica, error: unknown) => void = () => {}) {
    this.#primary = primary.driver;
    this.replicas = replicas;
    this.#onFallback = onFallback;
  }

  /**
   * A connection for a read that must see at least the GTID position `readAfter` (none: any
   * replica in rotation): from the next such replica, else from the primary.
   */
  async acquire(readAfter: string | undefined): Promise<ReadConnection> {
    const replica = this.#next(readAfter);
    if (replica) {
      try {
        return new ReplicaConnection(await replica.database.driver.acquireConnection(), replica, this);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.takeOutOfRotation(replica, error);
      }
    }
    return this.acquirePrimary();
  }

  /** A connection of the primary, for a read no replica can serve. */
  async acquirePrimary(): Promise<ReadConnection> {
    return new DriverConnection(this.#primary, await this.#primary.acquireConnection());
  }

  /** Runs one statement on the primary, on a connection taken for it alone. */
  async runOnPrimary<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const connection = await this.acquirePrimary();
    try {
      return await connection.executeQuery<R>(query);
    } finally {
      await connection.release();
    }
  }

  /** Until the lag monitor finds it answering again. */
  takeOutOfRotation(replica: Replica, error: unknown): void {
    replica.inRotation = false;
    replica.lagMs = undefined;
    replica.lastError = error instanceof Error ? error.message : String(error);
    this.#onFallback(replica, error);
  }

  async destroy(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.database.destroy()));
  }

  #next(readAfter: string | undefined): Replica | undefined {
    const count = this.replicas.length;
    for (let step = 0; step < count; step++) {
      const replica = this.replicas[(this.#turn + step) % count];
      if (replica.inRotation && (readAfter === undefined || gtidCovers(replica.appliedPosition ?? '', readAfter))) {
        this.#turn = (this.#turn + step + 1) % count;
        return replica;
      }
    }
    return undefined;
  }
}

/** Opens a pool per replica URL; each starts out of rotation until the lag monitor's first check. */
export function openReplicas(urls: readonly string[], pool: PoolConfig, statementTimeoutMs: number): Replica[] {
  return urls.map((url) => {
    const { host } = new URL(url);
    return {
      name: host,
      database: createDatabase(url, pool, { statementTimeoutMs }),
      inRotation: false,
      appliedPosition: undefined,
      lagMs: undefined,
      lastError: undefined,
    };
  });
}

/** A connection that goes back to the driver it came from. */
class DriverConnection implements ReadConnection {
  readonly #driver: Driver;
  readonly #connection: DatabaseConnection;

  constructor(driver: Driver, connection: DatabaseConnection) {
    this.#driver = driver;
    this.#connection = connection;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#connection.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#connection.streamQuery<R>(query, chunkSize);
  }

  release(): Promise<void> {
    return this.#driver.releaseConnection(this.#connection);
  }
}

/** A replica's connection whose statements run again on the primary when the replica fails under them. */
class ReplicaConnection extends DriverConnection {
  readonly #replica: Replica;
  readonly #set: ReplicaSet;

  constructor(connection: DatabaseConnection, replica: Replica, set: ReplicaSet) {
    super(replica.database.driver, connection);
    this.#replica = replica;
    this.#set = set;
  }

  override async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await super.executeQuery<R>(query);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.#set.takeOutOfRotation(this.#replica, error);
      return this.#set.runOnPrimary<R>(query);
    }
  }
}
