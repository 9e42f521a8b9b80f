import { createServer as createHttpServer } from 'node:http';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** A pino logger writing JSON lines into memory, for tests that read the server's logs. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level, base: { service: 'bridgeai-graphql' } }, stream), lines: () => lines };
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of one metric name (e.g. `bridgeai_sql_statements_per_request_sum`) in Prometheus text. */
export function samples(text: string, name: string): Sample[] {
  const result: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    result.push({ labels, value: Number(match[3]) });
  }
  return result;
}

/** Sum of the samples of `name` whose labels include `where`. */
export function sampleSum(text: string, name: string, where: Record<string, string> = {}): number {
  return samples(text, name)
    .filter((sample) => Object.entries(where).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

export async function metricsText(serverUrl: string): Promise<string> {
  return (await fetch(`${serverUrl}/metrics`)).text();
}

/** A port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A TCP proxy on 127.0.0.1 in front of MariaDB, to make the network fail for one server only:
 * `unplug()` destroys every connection and refuses new ones, `plug()` serves again, and
 * `latencyMs` delays every chunk in both directions (order kept).
 */
export class TcpProxy {
  latencyMs = 0;
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  /** Connections accepted so far. */
  accepted = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.plug();
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** The same URL, through the proxy. */
  urlFor(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.#port);
    return url.toString();
  }

  /** Listens again (on the same port once it had one). */
  async plug(): Promise<void> {
    if (this.#server) return;
    const server = createServer((client) => this.#connect(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Cuts every connection at once and refuses new ones until `plug()`. */
  async unplug(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async close(): Promise<void> {
    await this.unplug();
  }

  #connect(client: Socket): void {
    this.accepted += 1;
    const upstream = new Socket();
    this.#sockets.add(client);
    this.#sockets.add(upstream);
    const forget = () => {
      this.#sockets.delete(client);
      this.#sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    const pipe = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (this.latencyMs <= 0) to.write(chunk);
        else setTimeout(() => to.writable && to.write(chunk), this.latencyMs);
      });
    pipe(client, upstream);
    pipe(upstream, client);
    upstream.connect(this.#target.port, this.#target.host);
  }
}

/** Resolves after `ms`. */
/**
 * Server settings for tests that hold the database (a table lock, a slow proxy) under a query of
 * the viewer: with the viewer cache off, every request reads its viewer, so the hold applies.
 */
export const READ_THE_VIEWER = { VIEWER_CACHE_SIZE: '0' } as const;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every 50 ms; fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Text that must never reach a client: SQL, driver codes, stack frames, file paths. */
export const INTERNAL_TEXT =
  /SELECT |INSERT INTO|UPDATE `|DELETE FROM|sqlMessage|sqlState|\bER_[A-Z_]+|\bPROTOCOL_[A-Z_]+|\bPOOL_(TIMEOUT|CLOSED)|ECONNREFUSED|ECONNRESET|mysql2?\b|kysely|\.[jt]s:\d|node_modules|\/work\/|\n\s+at |\bat .*\(.*:\d+:\d+\)/i;

/** Whether a process with this pid still exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
