import { closeSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChromaServer, stopProcess } from './chromaServer';
import { formatIdentity, identityOf, isRunning, parseIdentity } from './processIdentity';

/** Where `npm start` keeps the embedded Chroma's data when CHROMA_URL is unset (contract: ./.data/chroma). */
export const EMBEDDED_CHROMA_PATH = resolve('.data', 'chroma');

/** How long a command waits for another that is starting or stopping the server. */
const LOCK_WAIT_MS = 60_000;
/** A lock file without a pid in it this long after it was made was left by a command that died. */
const EMPTY_LOCK_STALE_MS = 5000;

/** The embedded Chroma server a command uses. */
export interface EmbeddedChroma {
  readonly url: string;
  /** False when the server was already running for another command, and this one joined it. */
  readonly startedHere: boolean;
  /**
   * Leaves the server: the last command using it stops it, whichever started it. Says whether
   * it stopped it, and how many other commands still use it.
   */
  stop(): Promise<{ stopped: boolean; otherUsers: number }>;
}

/**
 * The files beside the data folder `<path>` that commands sharing its server use:
 * `<path>.url` and `<path>.pid` name the running server, `<path>.users/<pid>` is one lease per
 * command using it (its pid and start time), `<path>.lock` is held while a command joins or leaves,
 * and `<path>.log` has the server's output.
 */
function filesOf(path: string) {
  return { url: `${path}.url`, pid: `${path}.pid`, users: `${path}.users`, lock: `${path}.lock`, log: `${path}.log` };
}

/**
 * The Chroma server over `path` for commands run without CHROMA_URL (`npm start`, `npm run
 * reindex`), shared by every such command in this folder: the first one starts it (on 127.0.0.1
 * and a free port, in a process group of its own), the others join it, and it runs as long as any
 * of them does: it is stopped by the last one to leave, whichever started it. Each command holds a
 * lease file with its pid; a command that died without leaving (SIGKILL) is recognised by its pid
 * and does not count. A command that exits without calling stop() (an uncaught error,
 * process.exit) leaves on its way out.
 */
export async function useEmbeddedChroma(path: string = EMBEDDED_CHROMA_PATH): Promise<EmbeddedChroma> {
  const files = filesOf(path);
  const me = identityOf();
  const lease = join(files.users, String(me.pid));
  await mkdir(files.users, { recursive: true });
  const { url, startedHere } = await withLock(files.lock, async () => {
    await writeFile(lease, formatIdentity(me));
    const runningUrl = (await readFile(files.url, 'utf8').catch(() => '')).trim();
    if (runningUrl && (await answersHeartbeat(runningUrl))) return { url: runningUrl, startedHere: false };
    try {
      const server = await startChromaServer({ path, logFile: files.log });
      await writeFile(files.pid, formatIdentity(identityOf(server.pid)));
      await writeFile(files.url, `${server.url}\n`);
      return { url: server.url, startedHere: true };
    } catch (error) {
      await rm(lease, { force: true });
      throw error;
    }
  });

  const leaveOnExit = () => leaveSynchronously(files, lease);
  process.once('exit', leaveOnExit);
  let left: Promise<{ stopped: boolean; otherUsers: number }> | undefined;
  return {
    url,
    startedHere,
    stop() {
      process.removeListener('exit', leaveOnExit);
      left ??= withLock(files.lock, async () => {
        await rm(lease, { force: true });
        const otherUsers = (await liveLeases(files.users)).length;
        if (otherUsers > 0) return { stopped: false, otherUsers };
        await stopServer(files);
        return { stopped: true, otherUsers };
      });
      return left;
    },
  };
}

/** The leases of commands that still run; those of commands that died are deleted. */
async function liveLeases(folder: string): Promise<string[]> {
  const live: string[] = [];
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const lease = join(folder, name);
    if (isRunning(parseIdentity(await readFile(lease, 'utf8').catch(() => '')))) live.push(lease);
    else await rm(lease, { force: true });
  }
  return live;
}

/** Stops the server the files name, if it is still the process that was started, and forgets it. */
async function stopServer(files: ReturnType<typeof filesOf>): Promise<void> {
  const server = parseIdentity(await readFile(files.pid, 'utf8').catch(() => ''));
  await rm(files.url, { force: true });
  await rm(files.pid, { force: true });
  if (isRunning(server)) await stopProcess(server.pid);
}

/**
 * What stop() does, for a process that is exiting and can no longer wait: it gives up its lease
 * and, when it was the last user and no other command holds the lock (one that does is joining,
 * and will use the server), sends the server SIGTERM without waiting for it to end.
 */
function leaveSynchronously(files: ReturnType<typeof filesOf>, lease: string): void {
  rmSync(lease, { force: true });
  const leases = readOrElse(() => readdirSync(files.users), [] as string[]);
  if (leases.some((name) => isRunning(parseIdentity(readOrElse(() => readFileSync(join(files.users, name), 'utf8'), ''))))) return;
  let lock: number;
  try {
    lock = openSync(files.lock, 'wx');
  } catch {
    return;
  }
  try {
    const server = parseIdentity(readOrElse(() => readFileSync(files.pid, 'utf8'), ''));
    rmSync(files.url, { force: true });
    rmSync(files.pid, { force: true });
    if (isRunning(server)) process.kill(server.pid, 'SIGTERM');
  } finally {
    closeSync(lock);
    rmSync(files.lock, { force: true });
  }
}

/**
 * Runs `action` while this process holds the lock file (created exclusively, holding its
 * identity). A lock left by a command that died is taken over; one held longer than a minute by a
 * running command is an error.
 */
async function withLock<T>(lockFile: string, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(lockFile, formatIdentity(identityOf()), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = parseIdentity(await readFile(lockFile, 'utf8').catch(() => ''));
    // A lock is empty for a moment after it is made, and while a command exiting holds it.
    const madeAt = (await stat(lockFile).catch(() => undefined))?.mtimeMs ?? 0;
    const stale = Number.isNaN(holder.pid) ? Date.now() - madeAt > EMPTY_LOCK_STALE_MS : !isRunning(holder);
    if (stale) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${lockFile} has been held by process ${holder.pid} for over ${LOCK_WAIT_MS / 1000} s while it starts or stops the embedded Chroma; ` +
          'stop that command, or delete the file if no such command runs.',
      );
    }
    await sleep(100);
  }
  try {
    return await action();
  } finally {
    await rm(lockFile, { force: true });
  }
}

/** What `read` returns, or `fallback` when the file or folder is not there. */
function readOrElse<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

async function answersHeartbeat(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}
