import type { Db } from '../src/db/database';
import type { Loaders } from '../loaders/createLoaders';
import type { CursorCodec } from './cursor';
import type { Viewer } from './viewer';

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
}
