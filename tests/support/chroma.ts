import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChromaServer } from '../../src/memory/chromaServer';

/** A real Chroma server owned by one test file. */
export interface TestChroma {
  readonly url: string;
  /** Stops the server and deletes its data folder; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a Chroma server on a free port over a fresh temporary `--path`, so test files never
 * share data (deleted collections leave files behind) and can run in parallel.
 *
 * ```ts
 * let chroma: TestChroma;
 * beforeAll(async () => { chroma = await startTestChroma(); });
 * afterAll(() => chroma.stop());
 * ```
 */
export async function startTestChroma(): Promise<TestChroma> {
  const path = await mkdtemp(join(tmpdir(), 'bridgeai-chroma-'));
  let server;
  try {
    server = await startChromaServer({ path });
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    stop: () => {
      stopped ??= server.stop().then(() => rm(path, { recursive: true, force: true }));
      return stopped;
    },
  };
}
