import type { IncomingHttpHeaders } from 'node:http';
import { createLoaders } from '../../loaders/createLoaders';
import type { GraphQLContext } from '../../schema/context';
import type { CursorCodec } from '../../schema/cursor';
import { Viewer } from '../../schema/viewer';
import type { LoginThrottle } from '../auth/loginThrottle';
import { verifyToken } from '../auth/tokens';
import type { Db } from '../db/database';
import { QueryCounter } from '../db/queryCounter';
import { ServerTimings } from './serverTiming';
import type { MemoryService } from '../memory/memoryService';

export interface ContextFactoryOptions {
  db: Db;
  jwtSecret: string;
  cursors: CursorCodec;
  useOptimizedQueries: boolean;
  onLoaderBatch?: (loader: string, size: number) => void;
  loginThrottle: LoginThrottle;
  /** Semantic memory, shared by all requests; absent when the server runs without Chroma. */
  memory?: MemoryService;
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
    const db = options.db.withPlugin(counter);
    const loaders = createLoaders(db, { optimized: options.useOptimizedQueries, onBatch: options.onLoaderBatch });
    const token = bearerToken(headers.authorization);
    const userId = token === null ? null : verifyToken(token, options.jwtSecret);
    const viewer = new Viewer(db, loaders, userId, token !== null && userId === null ? 'invalid-token' : 'no-token');
    return {
      db,
      loaders,
      viewer,
      cursors: options.cursors,
      jwtSecret: options.jwtSecret,
      sqlCount: () => counter.count,
      requestId: origin.requestId,
      clientAddress: origin.clientAddress,
      loginThrottle: options.loginThrottle,
      memory: options.memory,
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
