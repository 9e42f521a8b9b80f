import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplicaStatus } from '../db/replicas/replicaSet';
import { METRIC_PREFIX } from './metrics';

/** The `db_replica_*` families, on the registry only when DATABASE_REPLICA_URL is set. */
export interface ReplicaMetrics {
  /**
   * `bridgeai_db_replica_fallbacks_total` — reads a replica failed with a connection error, run
   * again on the primary, by replica. Alerts: none (the replica is out of rotation meanwhile).
   */
  readonly fallbacks: Counter<'replica'>;
}

/**
 * Registers, read at scrape time from `replicas()`, by replica:
 * `bridgeai_db_replica_in_rotation` (1 while it serves reads), `bridgeai_db_replica_lag_seconds`
 * (at its last check; absent while it does not answer), `bridgeai_db_replica_pool_checked_out` and
 * `bridgeai_db_replica_pool_size` (its pool's connections in use, and size + overflow).
 */
export function registerReplicaMetrics(registry: Registry, replicas: () => readonly ReplicaStatus[]): ReplicaMetrics {
  const gauge = (name: string, help: string, value: (replica: ReplicaStatus) => number | null) =>
    new Gauge({
      name: `${METRIC_PREFIX}${name}`,
      help,
      labelNames: ['replica'] as const,
      // Every worker sees the same replicas: one figure each, not one per worker added up.
      aggregator: name.includes('pool') ? 'sum' : 'max',
      registers: [registry],
      collect() {
        this.reset();
        for (const replica of replicas()) {
          const figure = value(replica);
          if (figure !== null) this.set({ replica: replica.name }, figure);
        }
      },
    });
  gauge('db_replica_in_rotation', 'Whether a read replica serves reads (1) or is out of rotation (0).', (replica) => (replica.inRotation ? 1 : 0));
  gauge('db_replica_lag_seconds', 'How far a read replica was behind the primary at its last check, in seconds.', (replica) =>
    replica.lagMs === null ? null : replica.lagMs / 1000,
  );
  gauge('db_replica_pool_checked_out', 'Read replica pool connections currently checked out.', (replica) => replica.pool.checkedOut);
  gauge('db_replica_pool_size', 'Maximum number of connections of a read replica pool.', (replica) => replica.pool.poolSize + replica.pool.maxOverflow);
  return {
    fallbacks: new Counter({
      name: `${METRIC_PREFIX}db_replica_fallbacks_total`,
      help: 'Reads a replica failed with a connection error, run again on the primary.',
      labelNames: ['replica'] as const,
      registers: [registry],
    }),
  };
}
