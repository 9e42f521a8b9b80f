import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult, MysqlStream, MysqlStreamOptions } from 'kysely';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2';

export interface ManagedPoolOptions {
  /** `mysql://user:password@host:port/database` */
  readonly uri: string;
  /** Connections kept open even when idle (DB_POOL_SIZE). */
  readonly size: number;
  /** Extra connections opened under burst and closed again when idle (DB_POOL_MAX_OVERFLOW). */
  readonly maxOverflow: number;
  /** Longest a caller waits for a free connection before PoolTimeoutError (DB_POOL_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** A connection older than this is closed instead of reused (DB_POOL_RECYCLE_MS). */
  readonly recycleMs: number;
  /** Ping a connection that has been idle for more than `prePingIdleMs` before handing it out (DB_POOL_PRE_PING). */
  readonly prePing: boolean;
  /** Default 30 000 ms; 0 pings before every use. */
  readonly prePingIdleMs?: number;
  /** How long an overflow connection may stay idle before it is closed. Default 10 000 ms. */
  readonly overflowIdleMs?: number;
  /** Passed to mysql2's `createConnection`; `uri`, `timezone: 'Z'` and `supportBigNumbers: true` always win. */
  readonly connectionOptions?: Partial<ConnectionOptions>;
}

export interface PoolStats {
  readonly poolSize: number;
  readonly maxOverflow: number;
  /** Connections handed out, or being opened or pinged for a caller. */
  readonly checkedOut: number;
  readonly idle: number;
  /** Callers queued for a connection. */
  readonly waiting: number;
  /** `checkedOut / (poolSize + maxOverflow)`, from 0 to 1. */
  readonly utilization: number;
}

/** No connection became free within `timeoutMs`; the HTTP layer answers SERVICE_UNAVAILABLE. */
export class PoolTimeoutError extends Error {
  override name = 'PoolTimeoutError';
  readonly code = 'POOL_TIMEOUT';
}

/** getConnection after `end()`. */
export class PoolClosedError extends Error {
  override name = 'PoolClosedError';
  readonly code = 'POOL_CLOSED';
}

type ConnectionCallback = (error: unknown, connection: MysqlPoolConnection) => void;

interface Waiter {
  readonly grant: (error?: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * A connection pool for Kysely's `MysqlDialect` with what mysql2's own pool lacks: overflow
 * connections that close when idle, recycling by age, a bounded wait for a free connection,
 * and pre-ping of long-idle connections.
 *
 * A semaphore of `size + maxOverflow` permits bounds the open connections: a caller holds a
 * permit from the moment it is granted until it releases its connection, and a connection is
 * only opened when no idle one exists, so open connections never outnumber permits. Callers
 * beyond the limit wait in FIFO order; a freed permit goes straight to the oldest waiter, so
 * newcomers cannot overtake the queue.
 *
 * ```ts
 * const pool = new ManagedPool({ uri, size: 20, maxOverflow: 10, timeoutMs: 30_000, recycleMs: 3_600_000, prePing: true });
 * const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
 * ```
 */
export class ManagedPool implements MysqlPool {
  readonly #options: Readonly<Required<Omit<ManagedPoolOptions, 'uri' | 'connectionOptions'>>>;
  readonly #connectionOptions: ConnectionOptions;
  readonly #limit: number;
  /** Every open connection, whether idle, checked out or being pinged. */
  readonly #open = new Set<PooledConnection>();
  /** Idle connections, most recently used last: reusing from the end lets the others idle out. */
  readonly #idle: PooledConnection[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #waitListeners: Array<(ms: number) => void> = [];
  #permitsInUse = 0;
  #ended = false;

  constructor(options: ManagedPoolOptions) {
    const { uri, connectionOptions, ...limits } = options;
    this.#options = Object.freeze({ prePingIdleMs: 30_000, overflowIdleMs: 10_000, ...limits });
    requireWholeNumber('size', this.#options.size, 1);
    requireWholeNumber('maxOverflow', this.#options.maxOverflow, 0);
    requireWholeNumber('timeoutMs', this.#options.timeoutMs, 1);
    requireWholeNumber('recycleMs', this.#options.recycleMs, 1);
    requireWholeNumber('prePingIdleMs', this.#options.prePingIdleMs, 0);
    requireWholeNumber('overflowIdleMs', this.#options.overflowIdleMs, 0);
    // Dates travel as UTC and DECIMAL/BIGINT keep their precision whatever the caller passes.
    this.#connectionOptions = Object.freeze({ ...connectionOptions, uri, timezone: 'Z', supportBigNumbers: true });
    this.#limit = this.#options.size + this.#options.maxOverflow;
  }

  /** Hands the callback a connection, or a PoolTimeoutError after `timeoutMs`, or the connect error. */
  getConnection(callback: ConnectionCallback): void {
    if (this.#ended) {
      process.nextTick(callback, new PoolClosedError('The database pool has been closed (end() was called); no new connections are handed out.'));
      return;
    }
    const requestedAt = performance.now();
    // Answered on a later tick so the caller's code never runs inside the pool's bookkeeping.
    const answer = (error: Error | undefined, connection?: PooledConnection) => {
      const waitedMs = performance.now() - requestedAt;
      process.nextTick(() => {
        for (const listener of this.#waitListeners) listener(waitedMs);
        callback(error, connection as MysqlPoolConnection);
      });
    };
    this.#acquirePermit((error) => (error ? answer(error) : this.#checkout(answer)));
  }

  /**
   * Fails every waiter with PoolClosedError, closes idle connections and ends checked-out ones
   * after the statements already sent on them (waiting at most `timeoutMs` for those), then
   * calls back. Later getConnection calls fail with PoolClosedError.
   */
  end(callback: (error: unknown) => void): void {
    if (!this.#ended) {
      this.#ended = true;
      for (const waiter of this.#waiters.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.grant(new PoolClosedError('The database pool was closed while this request waited for a connection.'));
      }
      this.#idle.length = 0;
    }
    const closing = [...this.#open].map((connection) => this.#close(connection));
    Promise.all(closing).then(() => callback(undefined), callback);
  }

  stats(): PoolStats {
    return {
      poolSize: this.#options.size,
      maxOverflow: this.#options.maxOverflow,
      checkedOut: this.#permitsInUse,
      idle: this.#idle.length,
      waiting: this.#waiters.length,
      utilization: this.#permitsInUse / this.#limit,
    };
  }

  /** Observes how many ms each caller waited for a connection (handed out or timed out), e.g. for a histogram. */
  onAcquireWait(listener: (ms: number) => void): void {
    this.#waitListeners.push(listener);
  }

  #acquirePermit(grant: (error?: Error) => void): void {
    if (this.#permitsInUse < this.#limit && this.#waiters.length === 0) {
      this.#permitsInUse++;
      grant();
      return;
    }
    const waiter: Waiter = {
      grant,
      timer: setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        grant(this.#timeoutError());
      }, this.#options.timeoutMs),
    };
    this.#waiters.push(waiter);
  }

  /** Passes the permit to the oldest waiter, who then takes the idle connection just returned. */
  #releasePermit(): void {
    const next = this.#waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant();
    } else {
      this.#permitsInUse--;
    }
  }

  /** With a permit held: reuse an idle connection that is still good, else open one. */
  #checkout(answer: (error: Error | undefined, connection?: PooledConnection) => void): void {
    const connection = this.#idle.pop();
    if (!connection) {
      this.#openConnection(answer);
      return;
    }
    clearTimeout(connection.idleTimer);
    if (!connection.usable || this.#isExpired(connection)) {
      this.#close(connection);
      this.#checkout(answer);
      return;
    }
    if (!this.#options.prePing || Date.now() - connection.lastUsedAt < this.#options.prePingIdleMs) {
      this.#handOut(connection, answer);
      return;
    }
    this.#ping(connection, (alive) => {
      if (alive) {
        this.#handOut(connection, answer);
      } else {
        connection.broken = true;
        this.#close(connection);
        this.#checkout(answer);
      }
    });
  }

  #openConnection(answer: (error: Error | undefined, connection?: PooledConnection) => void): void {
    let raw: Connection;
    try {
      raw = createConnection({ ...this.#connectionOptions });
    } catch (error) {
      this.#releasePermit();
      answer(error as Error);
      return;
    }
    const connection = new PooledConnection(raw, (released) => this.#release(released));
    // A connection that dies (killed, network lost, server restart) emits 'error'; without a
    // listener that would crash the process, with one it is simply never reused.
    // 'end' (the server closed its side) comes first and is enough to stop reusing it.
    const drop = () => {
      connection.broken = true;
      const idleAt = this.#idle.indexOf(connection);
      if (idleAt !== -1) {
        this.#idle.splice(idleAt, 1);
        this.#close(connection);
      }
    };
    raw.on('error', drop);
    raw.on('end', drop);
    raw.connect((error) => {
      if (error) {
        raw.destroy();
        this.#releasePermit();
        answer(error);
        return;
      }
      this.#open.add(connection);
      this.#handOut(connection, answer);
    });
  }

  #handOut(connection: PooledConnection, answer: (error: Error | undefined, connection?: PooledConnection) => void): void {
    if (this.#ended) {
      this.#close(connection);
      this.#releasePermit();
      answer(new PoolClosedError('The database pool was closed while this request waited for a connection.'));
      return;
    }
    connection.checkedOut = true;
    answer(undefined, connection);
  }

  #release(connection: PooledConnection): void {
    connection.lastUsedAt = Date.now();
    if (this.#ended || !connection.usable || this.#isExpired(connection)) {
      this.#close(connection);
    } else {
      this.#idle.push(connection);
      this.#closeWhenIdleOverflow(connection);
    }
    this.#releasePermit();
  }

  /** Only connections beyond `size` idle out; the timer re-checks because others may have closed meanwhile. */
  #closeWhenIdleOverflow(connection: PooledConnection): void {
    if (this.#open.size <= this.#options.size) return;
    connection.idleTimer = setTimeout(() => {
      const idleAt = this.#idle.indexOf(connection);
      if (idleAt !== -1 && this.#open.size > this.#options.size) {
        this.#idle.splice(idleAt, 1);
        this.#close(connection);
      }
    }, this.#options.overflowIdleMs).unref();
  }

  /**
   * `SELECT 1` by COM_PING. A half-open TCP connection never answers, so the ping is given
   * up after `timeoutMs` and counted as dead rather than leaving the caller hanging.
   */
  #ping(connection: PooledConnection, done: (alive: boolean) => void): void {
    let settled = false;
    const settle = (alive: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(alive);
    };
    const timer = setTimeout(() => settle(false), this.#options.timeoutMs);
    connection.raw.ping((error) => settle(!error));
  }

  #isExpired(connection: PooledConnection): boolean {
    return Date.now() - connection.createdAt > this.#options.recycleMs;
  }

  /**
   * Sends COM_QUIT on a healthy connection, after the statements already queued on it, or
   * drops a dead socket. A statement that never finishes (e.g. a silent peer) would hold the
   * quit back forever, so after `timeoutMs` the socket is dropped anyway: end() never hangs.
   */
  #close(connection: PooledConnection): Promise<void> {
    clearTimeout(connection.idleTimer);
    if (!this.#open.delete(connection)) return Promise.resolve();
    if (!connection.usable) {
      connection.raw.destroy();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const giveUp = setTimeout(() => {
        connection.raw.destroy();
        resolve();
      }, this.#options.timeoutMs).unref();
      connection.raw.end(() => {
        clearTimeout(giveUp);
        resolve();
      });
    });
  }

  #timeoutError(): PoolTimeoutError {
    const { timeoutMs, size, maxOverflow } = this.#options;
    return new PoolTimeoutError(
      `No database connection became free within ${timeoutMs} ms (pool of ${size} + ${maxOverflow} overflow, all in use). ` +
        'Raise DB_POOL_SIZE / DB_POOL_MAX_OVERFLOW if the database can take more connections, or find the slow queries holding them.',
    );
  }
}

/**
 * The object Kysely holds: one per mysql2 connection for its whole life, because Kysely keys
 * its own connection wrapper (and `onCreateConnection`) on this object's identity.
 */
class PooledConnection implements MysqlPoolConnection {
  readonly raw: Connection;
  readonly createdAt = Date.now();
  lastUsedAt = this.createdAt;
  checkedOut = false;
  broken = false;
  idleTimer: NodeJS.Timeout | undefined;
  readonly #onRelease: (connection: PooledConnection) => void;

  constructor(raw: Connection, onRelease: (connection: PooledConnection) => void) {
    this.raw = raw;
    this.#onRelease = onRelease;
  }

  /** False once the socket errored or closed, e.g. after `KILL <id>` from another session. */
  get usable(): boolean {
    return !this.broken && (this.raw.state === 'authenticated' || this.raw.state === 'connected');
  }

  query(sql: string, parameters: Array<unknown>): { stream: <T>(options: MysqlStreamOptions) => MysqlStream<T> };
  query(sql: string, parameters: Array<unknown>, callback: (error: unknown, result: MysqlQueryResult) => void): void;
  query(sql: string, parameters: Array<unknown>, callback?: (error: unknown, result: MysqlQueryResult) => void) {
    if (!this.checkedOut) {
      // The holder released it; the connection may now belong to someone else.
      throw new Error('This database connection was already released to the pool and can no longer be used.');
    }
    return this.raw.query(sql, parameters, callback as never) as unknown as {
      stream: <T>(options: MysqlStreamOptions) => MysqlStream<T>;
    };
  }

  /** Returns the connection to its pool; a second call is ignored. */
  release(): void {
    if (!this.checkedOut) return;
    this.checkedOut = false;
    this.#onRelease(this);
  }
}

function requireWholeNumber(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`ManagedPool option ${name} must be a whole number of at least ${min} (got ${value})`);
  }
}
