import type { Db } from '../database';
import { gtidCovers, readGtidPosition } from './gtidPosition';
import type { Replica } from './replicaSet';

/** How often the replicas are checked. */
export const REPLICA_CHECK_INTERVAL_MS = 1000;

interface PrimaryPosition {
  readonly position: string;
  /** When a check first saw the primary at this position. */
  readonly seenAt: number;
}

/**
 * Keeps each replica's place in rotation up to date. Every check reads the primary's position
 * and each replica's, as SHOW statements, so that they count as no Com_select on either:
 * ```sql
 * SHOW GLOBAL VARIABLES LIKE 'gtid_binlog_pos'  -- on the primary
 * SHOW GLOBAL VARIABLES LIKE 'gtid_slave_pos'   -- on each replica
 * ```
 * A replica's lag is how long ago a check first saw the oldest primary position the replica
 * has not applied (0 when it has applied the latest): it measures what readers miss, and also
 * grows while replication is stopped, where Seconds_Behind_Master shows NULL. A replica more
 * than `maxLagMs` behind, or one that does not answer, is out of rotation; it comes back at the
 * first check that finds it answering and within the bound.
 */
export class ReplicaLagMonitor {
  readonly #primary: Db;
  readonly #replicas: readonly Replica[];
  readonly #maxLagMs: number;
  /** Primary positions newer than the oldest any replica still lacks, oldest first. */
  #history: PrimaryPosition[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(primary: Db, replicas: readonly Replica[], maxLagMs: number) {
    this.#primary = primary;
    this.#replicas = replicas;
    this.#maxLagMs = maxLagMs;
  }

  /** Checks now, then every REPLICA_CHECK_INTERVAL_MS until stop(). */
  async start(): Promise<void> {
    await this.check();
    this.#timer = setInterval(() => void this.check(), REPLICA_CHECK_INTERVAL_MS).unref();
  }

  /** Waits for a check in flight; checks no more. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One check of every replica; a check still running is waited for instead of overlapped. */
  check(): Promise<void> {
    this.#running ??= this.#checkAll().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #checkAll(): Promise<void> {
    let primary: string;
    try {
      primary = await readGtidPosition(this.#primary, 'gtid_binlog_pos');
    } catch {
      // Without the primary's position no lag can be told; the replicas keep their places.
      return;
    }
    const now = Date.now();
    if (this.#history.at(-1)?.position !== primary) this.#history.push({ position: primary, seenAt: now });
    await Promise.all(this.#replicas.map((replica) => this.#checkReplica(replica, now)));
    this.#forgetApplied();
  }

  async #checkReplica(replica: Replica, now: number): Promise<void> {
    try {
      const applied = await readGtidPosition(replica.database.db, 'gtid_slave_pos');
      const missing = this.#history.find(({ position }) => !gtidCovers(applied, position));
      replica.appliedPosition = applied;
      replica.lagMs = missing ? now - missing.seenAt : 0;
      replica.inRotation = replica.lagMs <= this.#maxLagMs;
      replica.lastError = replica.inRotation ? undefined : `${replica.lagMs} ms behind the primary (DB_REPLICA_MAX_LAG_MS=${this.#maxLagMs})`;
    } catch (error) {
      replica.inRotation = false;
      replica.lagMs = undefined;
      replica.lastError = error instanceof Error ? error.message : String(error);
    }
  }

  /**
   * Drops the positions every answering replica has applied, keeping the latest. While one
   * replica stays behind, one position a second is kept (the lag is measured from the oldest).
   */
  #forgetApplied(): void {
    const answering = this.#replicas.filter((replica) => replica.lagMs !== undefined);
    while (this.#history.length > 1 && answering.every((replica) => gtidCovers(replica.appliedPosition ?? '', this.#history[1].position))) {
      this.#history.shift();
    }
  }
}
