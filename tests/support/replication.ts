import { createConnection, type Connection } from 'mysql2/promise';
import { startOwnMariadb, type OwnMariadb } from './ownMariadb';

/** A primary and its replicas, each a mariadbd of the test's own (ownMariadb.ts). */
export interface ReplicatedMariadb {
  readonly primary: OwnMariadb;
  readonly replicas: readonly OwnMariadb[];
  /** Runs SQL on one server as root, e.g. `STOP SLAVE SQL_THREAD`. */
  run(server: OwnMariadb, statement: string): Promise<unknown>;
  /** `SHOW GLOBAL STATUS LIKE '<name>'` on one server, e.g. `Com_select`. */
  status(server: OwnMariadb, name: string): Promise<number>;
  /** Waits until every replica has applied what the primary has written (MASTER_GTID_WAIT, 30 s at most). */
  caughtUp(): Promise<void>;
  /** Stops every server still running and deletes their data folders. */
  stop(): Promise<void>;
}

/**
 * A primary with its binary log on and `replicaCount` replicas following it by GTID:
 * ```sql
 * CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=<primary>, MASTER_USER='root', MASTER_USE_GTID=slave_pos;
 * START SLAVE;
 * ```
 * A server that fails to start stops those already started.
 */
export async function startReplicatedMariadb(replicaCount: number): Promise<ReplicatedMariadb> {
  const servers: OwnMariadb[] = [];
  const connections = new Map<OwnMariadb, Connection>();
  const connectionTo = async (server: OwnMariadb) => {
    let connection = connections.get(server);
    if (!connection) {
      connection = await createConnection({ uri: server.url });
      connections.set(server, connection);
    }
    return connection;
  };
  const stop = async () => {
    await Promise.all([...connections.values()].map((connection) => connection.end().catch(() => undefined)));
    connections.clear();
    await Promise.all(servers.map((server) => server.stop()));
  };
  const run = async (server: OwnMariadb, statement: string) => (await (await connectionTo(server)).query(statement))[0];
  try {
    const primary = await startOwnMariadb({ serverOptions: ['--server-id=1', '--log-bin=primary-bin', '--binlog-format=ROW'] });
    servers.push(primary);
    const replicas: OwnMariadb[] = [];
    // One at a time: mariadb-install-db runs at once collide on their temporary tables.
    for (let index = 0; index < replicaCount; index++) {
      const replica = await startOwnMariadb({ serverOptions: [`--server-id=${index + 2}`] });
      servers.push(replica);
      replicas.push(replica);
    }
    for (const replica of replicas) {
      await run(replica, `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_USE_GTID=slave_pos`);
      await run(replica, 'START SLAVE');
    }
    return {
      primary,
      replicas,
      run,
      async status(server, name) {
        const rows = (await run(server, `SHOW GLOBAL STATUS LIKE '${name}'`)) as Array<{ Value: string }>;
        return Number(rows[0]?.Value);
      },
      async caughtUp() {
        const [{ Value: position }] = (await run(primary, "SHOW GLOBAL VARIABLES LIKE 'gtid_binlog_pos'")) as Array<{ Value: string }>;
        for (const replica of replicas) {
          const [{ done }] = (await run(replica, `SELECT MASTER_GTID_WAIT('${position}', 30) AS done`)) as Array<{ done: number }>;
          if (Number(done) !== 0) throw new Error(`replica on port ${replica.port} did not reach ${position} within 30 s`);
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
