import type { LoginThrottle } from '../src/auth/loginThrottle';
import type { Db } from '../src/db/database';
import type { MemoryService } from '../src/memory/memoryService';
import type { Loaders } from '../loaders/createLoaders';
import type { CursorCodec } from './cursor';
import type { Viewer } from './viewer';

/**
 * Where a request's parts of work are timed for the `Server-Timing` header (e.g. a search's
 * `embedding` and `chroma`); a name timed twice adds up.
 */
export interface RequestTimings {
  add(name: string, milliseconds: number): void;
  /** Every part timed so far, in the order they were first timed. */
  entries(): [name: string, milliseconds: number][];
}

/** What every resolver of one request shares. */
export interface GraphQLContext {
  /** The request's Kysely instance (it counts the request's statements). */
  readonly db: Db;
  readonly loaders: Loaders;
  readonly viewer: Viewer;
  readonly cursors: CursorCodec;
  /** Secret for signing tokens (login, signUp). */
  readonly jwtSecret: string;
  /** SQL statements this request has sent so far. */
  sqlCount(): number;
  /** The request's id (X-Request-Id), for logs. */
  readonly requestId: string;
  /** The client's address (Express's req.ip), e.g. for login throttling. */
  readonly clientAddress: string;
  readonly loginThrottle: LoginThrottle;
  /** Semantic memory (embedder, Chroma store, outbox worker); absent when the server runs without Chroma. */
  readonly memory?: MemoryService;
  readonly timings: RequestTimings;
}
