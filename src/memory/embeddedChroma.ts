import { rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { startChromaServer } from './chromaServer';

/** Where `npm start` keeps the embedded Chroma's data when CHROMA_URL is unset (contract: ./.data/chroma). */
export const EMBEDDED_CHROMA_PATH = resolve('.data', 'chroma');

/** The embedded Chroma server a command uses. */
export interface EmbeddedChroma {
  readonly url: string;
  /** False when another process (a running `npm start`) owns the server and this one only uses it. */
  readonly startedHere: boolean;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

/**
 * The Chroma server over `path` for commands run without CHROMA_URL. While a server runs, its
 * URL is kept in `<path>.url`, so a second command (`npm run reindex` beside `npm start`) uses
 * that server instead of opening the same data folder twice; otherwise a server is started on
 * 127.0.0.1 and a free port.
 */
export async function useEmbeddedChroma(path: string = EMBEDDED_CHROMA_PATH): Promise<EmbeddedChroma> {
  const urlFile = `${path}.url`;
  const runningUrl = (await readFile(urlFile, 'utf8').catch(() => '')).trim();
  if (runningUrl && (await answersHeartbeat(runningUrl))) {
    return { url: runningUrl, startedHere: false, stop: async () => undefined };
  }
  await mkdir(dirname(path), { recursive: true });
  const server = await startChromaServer({ path });
  await writeFile(urlFile, `${server.url}\n`);
  const forget = () => rmSync(urlFile, { force: true });
  process.once('exit', forget);
  return {
    url: server.url,
    startedHere: true,
    async stop() {
      process.removeListener('exit', forget);
      await rm(urlFile, { force: true });
      await server.stop();
    },
  };
}

async function answersHeartbeat(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}
