import type { Db } from '../src/db/database';
import type { TeamRole, UserRow } from '../src/db/schema';
import { unauthenticated } from '../src/errors';
import type { Loaders } from '../loaders/createLoaders';
import type { Membership } from '../loaders/rows';
import { loadViewer, type ViewerRecord } from '../loaders/viewer';

/** Why a request has no signed-in user. */
export type AnonymousReason = 'no-token' | 'invalid-token';

/**
 * Who is asking, and which teams they may see. The user's row and memberships are loaded
 * at most once per request, on first use.
 */
export class Viewer {
  readonly #db: Db;
  readonly #loaders: Loaders;
  readonly #userId: number | null;
  readonly #anonymousReason: AnonymousReason | null;
  #record: Promise<ViewerRecord | null> | null = null;

  constructor(db: Db, loaders: Loaders, userId: number | null, anonymousReason: AnonymousReason | null = null) {
    this.#db = db;
    this.#loaders = loaders;
    this.#userId = userId;
    this.#anonymousReason = userId === null ? (anonymousReason ?? 'no-token') : null;
  }

  /** The signed-in user's row; UNAUTHENTICATED without a valid token or when the user is gone. */
  async user(): Promise<UserRow> {
    return (await this.#requireRecord()).user;
  }

  /** The signed-in user's id; UNAUTHENTICATED without a valid token. */
  async userId(): Promise<number> {
    return (await this.#requireRecord()).user.id;
  }

  /**
   * The user id of the request's valid bearer token, known without reading the database (the
   * account may have been deleted since: `user()` checks that); UNAUTHENTICATED without one.
   */
  tokenUserId(): number {
    if (this.#userId === null) throw this.#anonymousError();
    return this.#userId;
  }

  /** Active memberships, in team id order. */
  async memberships(): Promise<Membership[]> {
    return [...(await this.#requireRecord()).memberships.values()];
  }

  /** The viewer's role in a team, or null when they are not an active member. */
  async roleIn(teamId: number): Promise<TeamRole | null> {
    return (await this.#requireRecord()).memberships.get(teamId)?.role ?? null;
  }

  async canSeeTeam(teamId: number): Promise<boolean> {
    return (await this.roleIn(teamId)) !== null;
  }

  async canManageTeam(teamId: number): Promise<boolean> {
    const role = await this.roleIn(teamId);
    return role === 'OWNER' || role === 'ADMIN';
  }

  /** Drops the loaded memberships so the next check reads them again (after a write changed them). */
  forgetMemberships(): void {
    this.#record = null;
  }

  async #requireRecord(): Promise<ViewerRecord> {
    if (this.#userId === null) throw this.#anonymousError();
    this.#record ??= loadViewer(this.#db, this.#loaders, this.#userId);
    const record = await this.#record;
    if (!record) throw unauthenticated('The account of this token no longer exists: sign in again.');
    return record;
  }

  #anonymousError(): Error {
    return this.#anonymousReason === 'invalid-token'
      ? unauthenticated('The bearer token is invalid or expired: sign in again with the login mutation.')
      : unauthenticated();
  }
}
