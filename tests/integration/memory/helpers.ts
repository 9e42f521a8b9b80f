import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../src/db/database';
import type { MemorySourceType, MemoryStatus } from '../../../src/db/schema';
import type { EmbedEvent, Embedder } from '../../../src/memory/embedder';

/** An answer of Chroma as the proxy passed it on (or gave instead). */
export interface RecordedAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * An HTTP proxy in front of Chroma that records every request; `beforeForward` may hold one
 * back, `answerInstead` may answer it itself, and every answer of 500 or more is kept with its body.
 */
export interface RecordingProxy {
  readonly url: string;
  readonly requests: string[];
  /** Chroma's answers with a status of 500 or more, in order. */
  readonly serverErrors: RecordedAnswer[];
  /** Requests matching `pattern`, e.g. /upsert$/. */
  count(pattern: RegExp): number;
  /** Runs before a request is passed on; the request waits for it. */
  beforeForward: ((incoming: IncomingMessage) => Promise<void>) | undefined;
  /** When it returns an answer, the request gets that answer and never reaches Chroma. */
  answerInstead: ((incoming: IncomingMessage) => RecordedAnswer | undefined) | undefined;
  close(): Promise<void>;
}

export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const proxy: RecordingProxy = {
    url: '',
    requests: [],
    serverErrors: [],
    count: (pattern) => proxy.requests.filter((line) => pattern.test(line)).length,
    beforeForward: undefined,
    answerInstead: undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (incoming, outgoing) => {
    proxy.requests.push(`${incoming.method} ${incoming.url}`);
    incoming.pause();
    await proxy.beforeForward?.(incoming);
    const answer = proxy.answerInstead?.(incoming);
    if (answer) {
      incoming.resume();
      outgoing.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
      return;
    }
    const upstream = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        const status = response.statusCode ?? 502;
        outgoing.writeHead(status, response.headers);
        if (status >= 500) {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            proxy.serverErrors.push({ status, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }),
          );
        }
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
    incoming.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** Records the embedder's calls from now on; `stop()` detaches. */
export function recordEmbedCalls(embedder: Embedder): EmbedEvent[] & { stop(): void } {
  const events: EmbedEvent[] = [];
  const stop = embedder.onEmbed((event) => events.push(event));
  return Object.assign(events, { stop });
}

export interface MemoryEntry {
  embeddingId: string;
  sourceType: MemorySourceType;
  sourceId: number;
  status: MemoryStatus;
  attempts: number;
  lastError: string | null;
  contentHash: string;
}

/** The ai_memory_index rows, by embedding id. */
export async function memoryEntries(db: Db): Promise<Map<string, MemoryEntry>> {
  const rows = await db
    .selectFrom('aiMemoryIndex')
    .select(['embeddingId', 'sourceType', 'sourceId', 'status', 'attempts', 'lastError', 'contentHash'])
    .orderBy('id')
    .execute();
  return new Map(rows.map((row) => [row.embeddingId, row]));
}

export { eventually } from '../../support/ops';

export const SEARCH = `query ($projectId: ID!, $query: String!, $sourceType: MemorySourceType, $limit: Int, $maxDistance: Float) {
  searchMemory(projectId: $projectId, query: $query, sourceType: $sourceType, limit: $limit, maxDistance: $maxDistance) {
    id sourceType text distance
  }
}`;

/** Texts the use-lite model tells apart: only AUTHENTICATION is about signing in. */
export const TEXTS = {
  AUTHENTICATION: 'Authentication: users sign in with email and password; passwords are hashed and locked after five failed attempts.',
  BUDGET_REPORT: 'The monthly report exports project budgets to a spreadsheet.',
  WEATHER: 'The mobile app shows a weather forecast for the construction site.',
  NOTIFICATIONS: 'Comments on a CRS document notify the document owner by email.',
  INDEXES: 'The database keeps an index on the project id for fast lookups.',
} as const;

/**
 * `count` (at most 2,500) comments on CRS `crsId` by `authorId` in one statement, each with its
 * own set of the tiny model's words (tests/support/tinyModel.ts), none about logins. The tiny
 * model embeds a bag of words, and Chroma's index misses memories among many identical vectors
 * (even with a `where`), so no two comments may have the same words.
 */
export async function insertDistinctComments(db: Db, { crsId, authorId, count }: { crsId: number; authorId: number; count: number }): Promise<void> {
  const words = (list: string[], position: RawBuilder<number>) => sql`ELT(1 + ${position} % ${list.length}, ${sql.join(list)})`;
  const seq = (divisor: number) => sql<number>`seq DIV ${divisor}`;
  await sql`INSERT INTO comments (crs_id, author_id, content)
    SELECT ${crsId}, ${authorId}, CONCAT_WS(' ', 'the',
      ${words(['project', 'document', 'comment', 'message', 'review', 'approve', 'requirement', 'database', 'index', 'query'], seq(1))},
      ${words(['fast', 'slow', 'cat', 'dog', 'weather', 'rain', 'sun', 'email', 'account', 'users'], seq(10))},
      ${words(['must', 'shall', 'with', 'is', 'for'], seq(100))},
      ${words(['of', 'to', 'a', 'and', '?'], seq(500))})
    FROM seq_0_to_${sql.raw(String(count - 1))}`.execute(db);
}
