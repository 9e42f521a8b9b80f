import { readFileSync } from 'node:fs';

/** USER_HZ of /proc/<pid>/stat: 100 on every Linux build that matters here. */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * The fields of /proc/<pid>/stat after the command name (so index 0 is the state, the 3rd
 * field), or undefined when the process is gone.
 */
export function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds of a process so far (the 14th and 15th fields), or undefined once it is gone. */
export function cpuSecondsOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : undefined;
}
