import type { ViewerCache } from '../src/auth/viewerCache';
import type { Db } from '../src/db/database';
import type { TeamRole, UserRow } from '../src/db/schema';
import { unauthenticated } from '../src/errors';
import type { Loaders } from '../loaders/createLoaders';
import type { Membership } from '../loaders/rows';
import { loadViewer, type ViewerRecord } from '../loaders/viewer';

/** Why a request has no signed-in user. */
export type AnonymousReason = 'no-token' | 'invalid-token';

/**
 * Who is asking, and which teams they may see. The user's row and memberships come from the
 * process's viewer cache, or are loaded at most once per request, on first use; either way they
 * prime the request's userById and teamById.
 */
export class Viewer {
  readonly #db: Db;
  readonly #loaders: Loaders;
  readonly #cache: ViewerCache<ViewerRecord>;
  readonly #userId: number | null;
  readonly #anonymousReason: AnonymousReason | null;
  #record: Promise<ViewerRecord | null> | null = null;

  constructor(
    db: Db,
    loaders: Loaders,
    cache: ViewerCache<ViewerRecord>,
    userId: number | null,
    anonymousReason: AnonymousReason | null = null,
  ) {
    this.#db = db;
    this.#loaders = loaders;
    this.#cache = cache;
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

  /**
   * Drops the loaded memberships so the next check reads them again (after a write changed them;
   * the process's cache is invalidated separately, see schema/membershipChanges.ts).
   */
  forgetMemberships(): void {
    this.#record = null;
  }

  async #requireRecord(): Promise<ViewerRecord> {
    if (this.#userId === null) throw this.#anonymousError();
    this.#record ??= this.#loadRecord(this.#userId);
    const record = await this.#record;
    if (!record) throw unauthenticated('The account of this token no longer exists: sign in again.');
    return record;
  }

  async #loadRecord(userId: number): Promise<ViewerRecord | null> {
    const record = await this.#cache.get(userId, () => loadViewer(this.#db, userId));
    if (record) {
      this.#loaders.userById.prime(record.user.id, record.user);
      for (const team of record.teams) this.#loaders.teamById.prime(team.id, team);
    }
    return record;
  }

  #anonymousError(): Error {
    return this.#anonymousReason === 'invalid-token'
      ? unauthenticated('The bearer token is invalid or expired: sign in again with the login mutation.')
      : unauthenticated();
  }
}
