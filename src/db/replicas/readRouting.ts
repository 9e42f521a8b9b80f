import type { ReplicasConfig } from '../../config';
import type { DatabaseHandle, Db } from '../database';
import { ReplicaLagMonitor } from './lagMonitor';
import { openReplicas, ReplicaSet, type Replica } from './replicaSet';
import { requestDatabase, type ReadRoute } from './requestDatabase';
import { WritePositions } from './writePositions';

/** Everything DATABASE_REPLICA_URL adds to the server. */
export interface ReadRouting {
  readonly replicas: ReplicaSet;
  readonly writePositions: WritePositions;
  /** A Kysely for one request, over the primary or the replicas as `route` says. */
  requestDb(route: ReadRoute): Db;
  /** Stops the lag monitor and closes the replicas' pools (not the primary's). */
  stop(): Promise<void>;
}

/**
 * Opens the replicas' pools and checks them once, so that those that answer and keep up serve
 * reads from the first request; then the lag monitor checks them every second. A replica that
 * is down at start-up is only out of rotation: the server starts on the primary alone.
 */
export async function startReadRouting(
  primary: DatabaseHandle,
  config: ReplicasConfig,
  options: { statementTimeoutMs: number; onFallback?: (replica: Replica, error: unknown) => void },
): Promise<ReadRouting> {
  const replicas = new ReplicaSet(primary, openReplicas(config.urls, config.pool, options.statementTimeoutMs), options.onFallback);
  // The requests' Kyselys use these drivers without initialising them (requestDatabase.ts).
  await Promise.all([primary, ...replicas.replicas.map((replica) => replica.database)].map((database) => database.driver.init()));
  const monitor = new ReplicaLagMonitor(primary.db, replicas.replicas, config.maxLagMs);
  await monitor.start();
  return {
    replicas,
    writePositions: new WritePositions(config.maxLagMs),
    requestDb: (route) => requestDatabase(route, primary.driver, replicas),
    async stop() {
      await monitor.stop();
      await replicas.destroy();
    },
  };
}
