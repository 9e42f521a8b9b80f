import { laterGtidPosition } from './gtidPosition';
import { REPLICA_CHECK_INTERVAL_MS } from './lagMonitor';

/**
 * The primary's GTID position after each user's latest write in this process, so that the
 * user's next reads wait for a replica that has applied it. An entry outlives the lag bound by
 * two checks: by then every replica in rotation has the write, or is out of rotation.
 * (Other instances learn the position from the X-Read-After header the client sends back.)
 */
export class WritePositions {
  readonly #keepMs: number;
  readonly #byUser = new Map<number, { position: string; until: number }>();

  constructor(maxLagMs: number) {
    this.#keepMs = maxLagMs + 2 * REPLICA_CHECK_INTERVAL_MS;
  }

  remember(userId: number, position: string): void {
    const now = Date.now();
    const earlier = this.#byUser.get(userId);
    const kept = earlier && earlier.until > now ? earlier.position : undefined;
    // Re-inserted, so that the map stays in expiry order.
    this.#byUser.delete(userId);
    this.#byUser.set(userId, { position: laterGtidPosition(kept, position)!, until: now + this.#keepMs });
    // Expired entries go as new ones come, so the map holds only the last few seconds' writers.
    for (const [user, entry] of this.#byUser) {
      if (entry.until > now) break;
      this.#byUser.delete(user);
    }
  }

  /** The position the user's reads must see, if they wrote recently. */
  positionOf(userId: number): string | undefined {
    const entry = this.#byUser.get(userId);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.position;
    this.#byUser.delete(userId);
    return undefined;
  }
}
