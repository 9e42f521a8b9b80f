import type { IncomingHttpHeaders } from 'node:http';
import { createLoaders } from '../../loaders/createLoaders';
import type { GraphQLContext } from '../../schema/context';
import type { CursorCodec } from '../../schema/cursor';
import { Viewer } from '../../schema/viewer';
import type { LoginThrottle } from '../auth/loginThrottle';
import { verifyToken } from '../auth/tokens';
import type { ViewerCache } from '../auth/viewerCache';
import type { ViewerInvalidations } from '../auth/viewerInvalidations';
import type { ViewerRecord } from '../../loaders/viewer';
import type { Db } from '../db/database';
import type { LiveEvents } from '../events/liveEvents';
import { QueryCounter } from '../db/queryCounter';
import type { ReadRouting } from '../db/replicas/readRouting';
import type { ReadRoute } from '../db/replicas/requestDatabase';
import { ServerTimings } from './serverTiming';
import type { MemoryService } from '../memory/memoryService';

export interface ContextFactoryOptions {
  db: Db;
  jwtSecret: string;
  cursors: CursorCodec;
  useOptimizedQueries: boolean;
  onLoaderBatch?: (loader: string, size: number) => void;
  loginThrottle: LoginThrottle;
  /** Signed-in users' records kept between requests, and how a write tells every instance's cache. */
  viewerCache: ViewerCache<ViewerRecord>;
  viewerInvalidations: ViewerInvalidations;
  liveEvents: LiveEvents;
  /** Semantic memory, shared by all requests; absent when the server runs without Chroma. */
  memory?: MemoryService;
  /** With DATABASE_REPLICA_URL: each request's statements go where its route says. */
  readRouting?: ReadRouting;
}

/** Who is asking: the request's id and the client's address. */
export interface RequestOrigin {
  requestId: string;
  clientAddress: string;
}

/**
 * Builds each request's GraphQL context: a statement counter, fresh loaders (never shared
 * between requests or users) and the viewer from the bearer token.
 */
export function createContextFactory(options: ContextFactoryOptions) {
  return (headers: IncomingHttpHeaders, origin: RequestOrigin): GraphQLContext => {
    const counter = new QueryCounter();
    const readRoute: ReadRoute | undefined = options.readRouting ? { target: 'primary', readAfter: undefined } : undefined;
    const db = (readRoute ? options.readRouting!.requestDb(readRoute) : options.db).withPlugin(counter);
    const loaders = createLoaders(db, { optimized: options.useOptimizedQueries, onBatch: options.onLoaderBatch });
    const token = bearerToken(headers.authorization);
    const userId = token === null ? null : verifyToken(token, options.jwtSecret);
    // The viewer's record outlives the request in the viewer cache, so it is read where it is current.
    const viewerDb = readRoute ? options.db.withPlugin(counter) : db;
    const viewer = new Viewer(viewerDb, loaders, options.viewerCache, userId, token !== null && userId === null ? 'invalid-token' : 'no-token');
    return {
      db,
      loaders,
      optimizedQueries: options.useOptimizedQueries,
      viewer,
      viewerInvalidations: options.viewerInvalidations,
      liveEvents: options.liveEvents,
      cursors: options.cursors,
      jwtSecret: options.jwtSecret,
      sqlCount: () => counter.count,
      requestId: origin.requestId,
      clientAddress: origin.clientAddress,
      loginThrottle: options.loginThrottle,
      memory: options.memory,
      readRoute,
      timings: new ServerTimings(),
    };
  };
}

/** The token of an `Authorization: Bearer <token>` header, or null (also for other schemes). */
function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '';
}
