import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where and how to run an embedded Chroma server. */
export interface ChromaServerOptions {
  /** Folder for Chroma's data (`--path`); created by Chroma if missing. */
  readonly path: string;
  /** Listen address; 127.0.0.1 by default so the server is never exposed. */
  readonly host?: string;
  /** Listen port; a free one is picked when absent. */
  readonly port?: number;
  /** How long to wait for the first heartbeat; 30 s by default. */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; 5 s by default. */
  readonly stopGraceMs?: number;
  /**
   * For a server that outlives this process (the embedded Chroma that several commands share,
   * embeddedChroma.ts): its output goes to this file, it runs in a process group of its own
   * (a Ctrl-C in the terminal does not reach it), and this process's exit leaves it running.
   * Without it, the output is read through a pipe and the server is killed when this process exits.
   */
  readonly logFile?: string;
}

/** A running Chroma server started by {@link startChromaServer}. */
export interface ChromaServer {
  /** Base URL for the client, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The server's process id. */
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after the grace period) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Thrown when the Chroma server does not come up; the message carries its last output. */
export class ChromaServerStartError extends Error {
  override name = 'ChromaServerStartError';
}

const OUTPUT_TAIL_CHARS = 4000;
const HEARTBEAT_INTERVAL_MS = 100;

/**
 * Starts the Chroma server shipped by the `chromadb` npm package as a child process:
 * `node <chromadb>/dist/cli.mjs run --path PATH --host HOST --port PORT`, and resolves once
 * `GET /api/v2/heartbeat` answers. Used when CHROMA_URL is unset and by the tests.
 *
 * If the server exits or does not answer within `startTimeoutMs`, it is killed and the
 * promise rejects with a {@link ChromaServerStartError} that quotes the server's last output.
 */
export async function startChromaServer(options: ChromaServerOptions): Promise<ChromaServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await findFreePort(host));
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const args = [chromaCliPath(), 'run', '--path', options.path, '--host', host, '--port', String(port)];
  const graceMs = options.stopGraceMs ?? 5000;
  const { child, outputTail, stop } = options.logFile ? spawnDetached(args, options.logFile, graceMs) : spawnAttached(args, graceMs);

  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  try {
    await waitForHeartbeat(url, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    const reason = spawnError ? `could not be spawned (${spawnError.message})` : (error as Error).message;
    throw new ChromaServerStartError(
      `The Chroma server for ${options.path} at ${url} ${reason}. ` +
        `Check that the chromadb package and its native binding are installed and that the folder is writable. ` +
        `Its last output:\n${stripColours(await outputTail()).trim() || '(none)'}`,
    );
  }
  return Object.freeze({ url, pid: child.pid!, stop });
}

/** A spawned server, what it printed last, and how to stop it. */
interface SpawnedServer {
  readonly child: ChildProcess;
  outputTail(): Promise<string>;
  stop(): Promise<void>;
}

/** A child whose output is read through a pipe, and which is killed when this process exits. */
function spawnAttached(args: readonly string[], graceMs: number): SpawnedServer {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // The server's output must be read, or it blocks once the pipe is full; its tail explains failures.
  let tail = '';
  const keepTail = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // An orphaned server would keep the port and the data folder's lock after this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    child,
    outputTail: async () => tail,
    async stop() {
      process.removeListener('exit', killOnExit);
      await stopChild(child, exited, graceMs);
    },
  };
}

/** A child in its own process group, writing to `logFile`, that this process does not wait for. */
function spawnDetached(args: readonly string[], logFile: string, graceMs: number): SpawnedServer {
  const output = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { stdio: ['ignore', output, output], detached: true });
  closeSync(output);
  child.unref();
  return {
    child,
    outputTail: async () => (await readFile(logFile, 'utf8').catch(() => '')).slice(-OUTPUT_TAIL_CHARS),
    stop: () => (child.pid === undefined ? Promise.resolve() : stopProcess(child.pid, graceMs)),
  };
}

/**
 * Stops the process with `pid`, which need not be this process's child: SIGTERM, then SIGKILL
 * after `graceMs`, and resolves once it is gone.
 */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (!signal(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  let killed = false;
  while (signal(pid, 0)) {
    if (!killed && Date.now() >= deadline) killed = signal(pid, 'SIGKILL');
    await sleep(20);
  }
}

/** Sends `name` (0 only checks) to the process; false when there is no such process. */
function signal(pid: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * The CLI that ships with the chromadb package. The package's `exports` hide its files, so the
 * path is derived from its main entry (`dist/cjs/chromadb.cjs`).
 */
function chromaCliPath(): string {
  const cliPath = join(dirname(require.resolve('chromadb')), '..', 'cli.mjs');
  if (!existsSync(cliPath)) {
    throw new ChromaServerStartError(`The Chroma CLI is missing at ${cliPath}; reinstall the chromadb package with npm install.`);
  }
  return cliPath;
}

async function waitForHeartbeat(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited (${child.exitCode !== null ? `code ${child.exitCode}` : child.signalCode}) before answering`);
    }
    try {
      const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() >= deadline) throw new Error(`did not answer its heartbeat within ${timeoutMs} ms`);
    await sleep(HEARTBEAT_INTERVAL_MS);
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  let graceTimer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'grace over'>((resolve) => {
    graceTimer = setTimeout(() => resolve('grace over'), graceMs);
  });
  const outcome = await Promise.race([exited.then(() => 'exited' as const), graceOver]);
  clearTimeout(graceTimer);
  if (outcome === 'grace over') {
    child.kill('SIGKILL');
    await exited;
  }
}

/** Asks the OS for a free port. Another process could take it before Chroma binds it; that shows as a start error. */
function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Chroma prints a coloured banner; colour codes make error messages unreadable. */
function stripColours(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
