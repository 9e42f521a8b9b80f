import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromaServerStartError, startChromaServer } from '../../../src/memory/chromaServer';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'bridgeai-chroma-server-'));
});

afterEach(() => rm(dataDir, { recursive: true, force: true }));

async function heartbeatAnswers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/v2/heartbeat`)).ok;
  } catch {
    return false;
  }
}

describe('startChromaServer', () => {
  test('starts a server on a free port that answers its heartbeat until stopped', async () => {
    const server = await startChromaServer({ path: dataDir });

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await heartbeatAnswers(server.url)).toBe(true);

    await server.stop();
    expect(await heartbeatAnswers(server.url)).toBe(false);
    await expect(server.stop()).resolves.toBeUndefined();
  });

  test.each([
    ['read through a pipe', undefined],
    ['written to its log file (a server that outlives this process)', 'chroma.log'],
  ])('fails with the server output, %s, when the port is taken', async (_how, logFile) => {
    // Holds the port; drops every connection so nothing stays open when it closes.
    const squatter: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as AddressInfo;
    try {
      const start = startChromaServer({ path: dataDir, port, startTimeoutMs: 10_000, logFile: logFile && join(dataDir, logFile) });

      await expect(start).rejects.toThrow(ChromaServerStartError);
      await expect(start).rejects.toThrow(/exited \(code \d+\) before answering[\s\S]*Its last output:\n.*is not available/);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
