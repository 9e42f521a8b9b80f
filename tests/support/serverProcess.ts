import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort, isAlive, sleep } from './ops';

const ROOT = resolve(__dirname, '..', '..');
const START_SCRIPT = join(ROOT, 'dist', 'src', 'cli', 'start.js');
const BUILD_INFO = join(ROOT, 'node_modules', '.cache', 'bridgeai-tests', 'build.tsbuildinfo');

/** Folders tsconfig.build.json compiles into what `start.js` runs. */
const SOURCE_FOLDERS = ['src', 'schema', 'loaders', 'db-migrations'];

/** The newest modification time of a TypeScript source the server is built from. */
async function newestSource(): Promise<number> {
  let newest = 0;
  for (const folder of SOURCE_FOLDERS) {
    const entries = await readdir(join(ROOT, folder), { recursive: true }).catch(() => [] as string[]);
    for (const entry of entries) {
      if (entry.endsWith('.ts')) newest = Math.max(newest, (await stat(join(ROOT, folder, entry))).mtimeMs);
    }
  }
  return newest;
}

/**
 * `npx tsc -p tsconfig.build.json`, as `npm start` builds, unless dist/ is newer than every
 * source. Incremental, with its build info kept under node_modules/.cache, so a rebuild after a
 * few edits takes seconds rather than a minute (it rewrites only what changed). Type errors
 * elsewhere in the tree do not stop tsc from emitting, so its exit code is not the test here.
 */
export async function buildServer(): Promise<void> {
  const existing = await stat(START_SCRIPT).catch(() => undefined);
  if (existing && existing.mtimeMs > (await newestSource())) return;
  // Without its outputs the build info would wrongly say there is nothing to emit.
  if (!existing) await rm(BUILD_INFO, { force: true });
  const result = await promisify(execFile)(
    'npx',
    ['tsc', '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', BUILD_INFO],
    { cwd: ROOT, timeout: 120_000 },
  ).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  if (!(await stat(START_SCRIPT).catch(() => undefined))) {
    throw new Error(`the build did not write ${START_SCRIPT}:\n${result.stdout.slice(0, 2000)}`);
  }
}

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** The JSON log lines written so far. */
  logs(): Record<string, any>[];
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Kills the process if it still runs and removes its working folder. */
  cleanUp(): Promise<void>;
}

/**
 * Runs `node dist/src/cli/start.js` (what `npm start` runs after building) on a free port of
 * 127.0.0.1, in a fresh working folder (its embedded Chroma keeps its data there) or in `cwd`,
 * and waits until /health answers.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { readyTimeoutMs?: number; cwd?: string } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const cwd = options.cwd ?? (await mkdtemp(join(tmpdir(), 'bridgeai-server-')));
  const child = spawn(process.execPath, [START_SCRIPT], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, any>[] = [];
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      if (!line.trim()) continue;
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const url = `http://127.0.0.1:${port}`;
  const handle: ServerProcess = {
    url,
    child,
    logs: () => lines,
    exited,
    async cleanUp() {
      if (!hasExited) {
        child.kill('SIGKILL');
        await exited;
      }
      if (options.cwd) return;
      // A server killed before its shutdown leaves the embedded Chroma it started running.
      await stopEmbeddedChroma(cwd);
      await rm(cwd, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (hasExited) break;
    const ok = await fetch(`${url}/health`).then((response) => response.ok, () => false);
    if (ok) return handle;
    await sleep(200);
  }
  await handle.cleanUp();
  throw new Error(`the server process did not answer /health (exit ${child.exitCode}):\n${stderr.slice(-2000)}\n${JSON.stringify(lines.slice(-10))}`);
}

/** Stops the embedded Chroma server that commands run in `folder` share, if one still runs. */
export async function stopEmbeddedChroma(folder: string): Promise<void> {
  const pid = Number((await readFile(join(folder, '.data', 'chroma.pid'), 'utf8').catch(() => '')).split(' ')[0]);
  if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
}
