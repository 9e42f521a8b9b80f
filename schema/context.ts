import type { LoginThrottle } from '../src/auth/loginThrottle';
import type { ViewerInvalidations } from '../src/auth/viewerInvalidations';
import type { Db } from '../src/db/database';
import type { ReadRoute } from '../src/db/replicas/requestDatabase';
import type { LiveEvents } from '../src/events/liveEvents';
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
  /** USE_OPTIMIZED_QUERIES: false when every relation costs its own statement (the guide's "before"). */
  readonly optimizedQueries: boolean;
  readonly viewer: Viewer;
  /** Tells every instance's viewer cache of a membership write (schema/membershipChanges.ts). */
  readonly viewerInvalidations: ViewerInvalidations;
  /** Where committed notifications and messages go to the subscriptions of every instance (schema/committedEvents.ts). */
  readonly liveEvents: LiveEvents;
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
  /** With DATABASE_REPLICA_URL: where the request's statements go (src/http/readRoutingPlugin.ts decides). */
  readonly readRoute?: ReadRoute;
  readonly timings: RequestTimings;
}
