import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ChildRecord } from '../results';
import { cpuSecondsOf, statFields } from './procStat';

export interface ServerProcessOptions {
  /** Shown in the report and in errors, e.g. `optimized, production, 2 workers`. */
  readonly name: string;
  /** The JavaScript file node runs. */
  readonly script: string;
  /** Set over the bench's own environment; PORT and HOST are added here. */
  readonly env: Readonly<Record<string, string>>;
  /** Options for node itself, placed before the script (e.g. `--require` of a preload). */
  readonly nodeArguments?: readonly string[];
  /** Where the child's stdout and stderr go (one file per child). */
  readonly logDirectory: string;
  /** How long the child may take to answer GET /health with 200. Default 60 s. */
  readonly startTimeoutMs?: number;
}

/**
 * How often the RSS sampler looks for the processes of a child's group again. Scanning /proc
 * takes a few ms of the bench's CPU, too much for every 100 ms sample; a cluster's workers come
 * and go far less often.
 */
const GROUP_REFRESH_MS = 1000;

/** Every child still alive, so that a crash of the bench itself still ends them. */
const live = new Set<ServerProcess>();
const records: ChildRecord[] = [];

/**
 * A server the bench runs as a child process on 127.0.0.1: started in a process group of its own
 * (so whatever it spawns, such as its cluster workers or an embedded Chroma, ends with it),
 * watched for RSS and CPU over that whole group, and stopped with SIGTERM, then SIGKILL when it
 * does not exit in time.
 */
export class ServerProcess {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly logFile: string;
  readonly #exited: Promise<void>;
  readonly #rssTrackers = new Set<{ peak: number | null }>();
  readonly #sampler: NodeJS.Timeout;
  #exitCode: number | null = null;
  #hasExited = false;
  #peakRssMb: number | null = null;
  #ended: ChildRecord['ended'] = 'running';
  #group: readonly number[] = [];
  #groupReadAt = Number.NEGATIVE_INFINITY;

  private constructor(name: string, url: string, child: ChildProcess, logFile: string) {
    this.name = name;
    this.url = url;
    this.pid = child.pid!;
    this.logFile = logFile;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.#hasExited = true;
        this.#exitCode = code;
        clearInterval(this.#sampler);
        live.delete(this);
        resolve();
      });
    });
    this.#sampler = setInterval(() => this.#sampleRss(), 100);
    this.#sampler.unref();
    live.add(this);
  }

  /** Spawns the server on a free port and resolves once GET /health answers 200. */
  static async start(options: ServerProcessOptions): Promise<ServerProcess> {
    const port = await freePort();
    const logFile = join(options.logDirectory, `${options.name.replace(/[^a-z0-9]+/gi, '-')}-${port}.log`);
    const log = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [...(options.nodeArguments ?? []), options.script], {
        env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
        stdio: ['ignore', log, log],
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    if (child.pid === undefined) {
      throw new Error(`${options.name}: could not start ${options.script}`);
    }
    const server = new ServerProcess(options.name, `http://127.0.0.1:${port}`, child, logFile);
    try {
      await server.#waitUntilHealthy(options.startTimeoutMs ?? 60_000);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /**
   * The server's resident set size now, in MB: the VmRSS of every process in its group (a
   * cluster's primary and workers); null once it has exited.
   */
  rssMb(): number | null {
    return this.#rssOf(this.#groupMembers(0));
  }

  /**
   * CPU time the server's processes have used so far (user + system of every live process in
   * its group, from /proc/<pid>/stat), in seconds; null once it has exited. Less sensitive to a
   * busy machine than wall-clock time. A worker that died took its CPU time with it.
   */
  cpuSeconds(): number | null {
    if (this.#hasExited) return null;
    let seconds = 0;
    for (const pid of this.#groupMembers(0)) {
      seconds += cpuSecondsOf(pid) ?? 0;
    }
    return seconds;
  }

  /** Starts watching the peak RSS; the returned function gives the peak since this call (MB). */
  trackPeakRss(): () => number | null {
    const tracker = { peak: this.rssMb() };
    this.#rssTrackers.add(tracker);
    return () => {
      this.#sampleRss();
      this.#rssTrackers.delete(tracker);
      return tracker.peak;
    };
  }

  /** Sends a signal to the server process only (not its group), e.g. SIGUSR2 for the profiler. */
  signal(signal: NodeJS.Signals): void {
    if (!this.#hasExited) process.kill(this.pid, signal);
  }

  /** The last `lines` lines of the child's output, for error messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /**
   * SIGTERM to the whole process group, SIGKILL after `graceMs` if the server has not exited;
   * then anything left in the group is killed too. Resolves once the server is gone.
   */
  async stop(graceMs = 5_000): Promise<ChildRecord['ended']> {
    if (this.#ended !== 'running') return this.#ended;
    if (this.#hasExited) {
      this.#ended = 'exited-early';
    } else {
      signalGroup(this.pid, 'SIGTERM');
      if (await within(this.#exited, graceMs)) {
        this.#ended = 'SIGTERM';
      } else {
        signalGroup(this.pid, 'SIGKILL');
        await this.#exited;
        this.#ended = 'SIGKILL';
      }
    }
    // The server is gone; whatever it spawned into its group must not outlive it.
    if (groupAlive(this.pid)) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      signalGroup(this.pid, 'SIGKILL');
    }
    records.push({ name: this.name, pid: this.pid, ended: this.#ended, exitCode: this.#exitCode, peakRssMb: round(this.#peakRssMb) });
    return this.#ended;
  }

  /** The pids of the child's process group, scanned again when older than `maxAgeMs`. */
  #groupMembers(maxAgeMs: number): readonly number[] {
    if (performance.now() - this.#groupReadAt >= maxAgeMs) {
      this.#group = processGroupMembers(this.pid);
      this.#groupReadAt = performance.now();
    }
    return this.#group;
  }

  #rssOf(pids: readonly number[]): number | null {
    if (this.#hasExited) return null;
    let kb = 0;
    for (const pid of pids) {
      try {
        const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) kb += Number(match[1]);
      } catch {
        // That process has just ended.
      }
    }
    return kb / 1024;
  }

  #sampleRss(): void {
    const rss = this.#rssOf(this.#groupMembers(GROUP_REFRESH_MS));
    if (rss === null) return;
    if (this.#peakRssMb === null || rss > this.#peakRssMb) this.#peakRssMb = rss;
    for (const tracker of this.#rssTrackers) {
      if (tracker.peak === null || rss > tracker.peak) tracker.peak = rss;
    }
  }

  async #waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.#hasExited) {
        throw new Error(`${this.name} exited during start-up (code ${this.#exitCode}):\n${this.logTail()}`);
      }
      try {
        const response = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    throw new Error(`${this.name} did not answer GET /health within ${timeoutMs} ms:\n${this.logTail()}`);
  }
}

/** Stops every child still running (in parallel). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...live].map((server) => server.stop()));
}

/** How every child of this run ended, in the order they were stopped. */
export function childRecords(): readonly ChildRecord[] {
  return records;
}

/**
 * Last resort when the bench process itself is ending (an uncaught error, Ctrl-C): SIGKILL every
 * child's process group synchronously. Installed once by the runner.
 */
export function killAllServersSync(): void {
  for (const server of live) signalGroup(server.pid, 'SIGKILL');
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Every live process whose process group is `groupId` (the 5th field of /proc/<pid>/stat). */
function processGroupMembers(groupId: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && fields[0] !== 'Z' && Number(fields[2]) === groupId) members.push(Number(entry));
  }
  return members;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
