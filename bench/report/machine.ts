import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { createConnection } from 'mysql2/promise';
import type { MachineInfo } from '../results';

/** What the report says about where it ran; `loadAverageAfter` is filled in at the end. */
export async function describeMachine(databaseUrl: string, repository: string): Promise<MachineInfo> {
  const connection = await createConnection({ uri: databaseUrl });
  let mariadb: string;
  let bufferPoolMb: number;
  try {
    const [rows] = await connection.query<any[]>('SELECT VERSION() AS version, @@innodb_buffer_pool_size AS bufferPool');
    mariadb = String(rows[0].version);
    bufferPoolMb = Number(rows[0].bufferPool) / 1024 ** 2;
  } finally {
    await connection.end();
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: totalmem() / 1024 ** 3,
    loadAverageBefore: loadavg(),
    loadAverageAfter: loadavg(),
    node: process.version,
    mariadb,
    mariadbBufferPoolMb: bufferPoolMb,
    gitCommit: git(repository, ['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    gitDirty: (git(repository, ['status', '--porcelain']) ?? '') !== '',
  };
}

function git(cwd: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
