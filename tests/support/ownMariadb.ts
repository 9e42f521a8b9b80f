import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { freePort, sleep } from './ops';

const INSTALL_DB = '/usr/bin/mariadb-install-db';
const MARIADBD = '/usr/sbin/mariadbd';

export interface OwnMariadbOptions {
  /**
   * Further mariadbd options, e.g. `['--performance-schema=ON', '--userstat=1']` or
   * `['--log-bin', '--server-id=1']`.
   */
  readonly serverOptions?: readonly string[];
  /** How long to wait until the server answers; 60 s by default. */
  readonly readyTimeoutMs?: number;
}

export interface OwnMariadb {
  /** `mysql://root@127.0.0.1:<port>`, without a database: root has an empty password. */
  readonly url: string;
  readonly port: number;
  /** Stops the server and deletes its data folder. */
  stop(): Promise<void>;
}

/**
 * A MariaDB server of a test's own, for what the shared server on 127.0.0.1:3306 has off
 * (performance_schema, userstat, the binary log): `mariadb-install-db` writes a fresh data folder
 * under the system's temporary folder, and `mariadbd` serves it on a free port of 127.0.0.1 until
 * `stop()`, which deletes the folder. A server that does not come up is stopped and deleted
 * before the error (with the end of its error log) is thrown.
 */
export async function startOwnMariadb(options: OwnMariadbOptions = {}): Promise<OwnMariadb> {
  const folder = await mkdtemp(join(tmpdir(), 'bridgeai-mariadb-'));
  const dataDir = join(folder, 'data');
  const errorLog = join(folder, 'error.log');
  // mariadbd refuses to run as root unless told to.
  const asUser = process.getuid?.() === 0 ? ['--user=root'] : [];
  try {
    await promisify(execFile)(
      INSTALL_DB,
      ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...asUser],
      // Its own temporary folder: bootstrap servers sharing /tmp collide on their temporary tables.
      { timeout: 120_000, env: { ...process.env, TMPDIR: folder } },
    );
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw new Error(`${INSTALL_DB} failed (is the mariadb-server package installed?): ${(error as Error).message}`);
  }

  const port = await freePort();
  const child = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(folder, 'mariadb.sock')}`,
      `--pid-file=${join(folder, 'mariadb.pid')}`,
      `--log-error=${errorLog}`,
      `--tmpdir=${folder}`,
      // Small, so that a test server costs the shared machine little memory.
      '--innodb-buffer-pool-size=64M',
      ...asUser,
      ...(options.serverOptions ?? []),
    ],
    { stdio: 'ignore' },
  );
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      if (exitCode === undefined) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(killer);
      }
      await rm(folder, { recursive: true, force: true });
    })());

  const url = `mysql://root@127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (exitCode === undefined && Date.now() < deadline) {
    const connection = await createConnection({ uri: url }).catch(() => undefined);
    if (connection) {
      await connection.end();
      return { url, port, stop };
    }
    await sleep(100);
  }
  const log = await readFile(errorLog, 'utf8').catch(() => '');
  await stop();
  throw new Error(
    `${MARIADBD} did not answer on port ${port} (${exitCode === undefined ? 'still starting' : `exit ${exitCode}`}):\n${log.slice(-2000)}`,
  );
}
