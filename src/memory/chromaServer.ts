import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
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
}

/** A running Chroma server started by {@link startChromaServer}. */
export interface ChromaServer {
  /** Base URL for the client, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
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
  const child = spawn(process.execPath, [chromaCliPath(), 'run', '--path', options.path, '--host', host, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  // The server's output must be read, or it blocks once the pipe is full; its tail explains failures.
  let outputTail = '';
  const keepTail = (chunk: Buffer) => {
    outputTail = (outputTail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  // An orphaned server would keep the port and the data folder's lock after this process ends.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    await stopChild(child, exited, options.stopGraceMs ?? 5000);
  };

  try {
    await waitForHeartbeat(url, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    const reason = spawnError ? `could not be spawned (${spawnError.message})` : (error as Error).message;
    throw new ChromaServerStartError(
      `The Chroma server for ${options.path} at ${url} ${reason}. ` +
        `Check that the chromadb package and its native binding are installed and that the folder is writable. ` +
        `Its last output:\n${stripColours(outputTail).trim() || '(none)'}`,
    );
  }
  return Object.freeze({ url, stop });
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
