import { readdirSync, readFileSync } from 'node:fs';
import { cpuSecondsOf } from './procStat';

/** The database server's CPU time, for "MariaDB CPU per answered request" in the load tables. */
export interface DatabaseProcess {
  readonly pid: number;
  /** CPU seconds the server process has used so far; null once it is gone. */
  cpuSeconds(): number | null;
}

const SERVER_NAMES = new Set(['mariadbd', 'mysqld']);
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The MariaDB/MySQL server process serving `databaseUrl`, when it runs on this machine and this
 * user may read its /proc entry; undefined otherwise (a remote database: its CPU is not ours to
 * see). Its CPU covers every client of that server, so while the bench's servers are the only busy
 * ones it is theirs.
 */
export function findDatabaseProcess(databaseUrl: string): DatabaseProcess | undefined {
  if (!LOCAL_HOSTS.has(new URL(databaseUrl).hostname)) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let name: string;
    try {
      name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (!SERVER_NAMES.has(name)) continue;
    const pid = Number(entry);
    if (cpuSecondsOf(pid) === undefined) continue;
    return { pid, cpuSeconds: () => cpuSecondsOf(pid) ?? null };
  }
  return undefined;
}
