import { readFileSync } from 'node:fs';

/** A process, told apart from a later one that the system gave the same pid. */
export interface ProcessIdentity {
  readonly pid: number;
  /** When it started, in clock ticks after boot (/proc/<pid>/stat); '' where /proc cannot tell. */
  readonly startedAt: string;
}

/** This process, or the one with `pid`. */
export function identityOf(pid: number = process.pid): ProcessIdentity {
  return { pid, startedAt: startTimeOf(pid) ?? '' };
}

/** Whether the process still runs (and is the same one, where its start time is known). */
export function isRunning(identity: ProcessIdentity): boolean {
  if (!Number.isSafeInteger(identity.pid) || identity.pid <= 0) return false;
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return identity.startedAt === '' || startTimeOf(identity.pid) === identity.startedAt;
}

/** `<pid> <start time>`, one line, as identity files hold it. */
export function formatIdentity(identity: ProcessIdentity): string {
  return `${identity.pid} ${identity.startedAt}`.trim();
}

/** The identity in a line written by {@link formatIdentity}; a pid of NaN when the line holds none. */
export function parseIdentity(line: string): ProcessIdentity {
  const [pid = '', startedAt = ''] = line.trim().split(/\s+/);
  return { pid: /^\d+$/.test(pid) ? Number(pid) : Number.NaN, startedAt };
}

/** Field 22 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
