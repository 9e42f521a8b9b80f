import type { Random } from './prng';

const DAY_MS = 86_400_000;

/** The first instant of the generated history: fixed, so every run writes the same timestamps. */
export const HISTORY_START_MS = Date.UTC(2024, 0, 8, 9, 0, 0);
/** How long the generated history lasts; every table lives in its own slice of it. */
export const HISTORY_LENGTH_MS = 540 * DAY_MS;

/**
 * Each table's slice of the history, as fractions of it. Parents come before their children
 * (users, then teams, projects, CRS, comments), so a row never predates what it refers to.
 */
export const phases = {
  users: [0, 0.05],
  teams: [0.05, 0.1],
  projects: [0.1, 0.3],
  crsDocuments: [0.3, 0.6],
  comments: [0.6, 0.95],
  chatSessions: [0.6, 0.9],
  invitations: [0.85, 0.95],
  notifications: [0.95, 1],
} as const satisfies Record<string, readonly [number, number]>;

/** Open invitations must still be open whenever the data is used, so they expire in 2035. */
export const OPEN_INVITATION_EXPIRY_MS = Date.UTC(2035, 0, 1);

export const minutes = (n: number): number => n * 60_000;
export const hours = (n: number): number => n * 3_600_000;
export const days = (n: number): number => n * DAY_MS;

/**
 * Instants that increase with each call and spread `count` rows over a phase of the history;
 * a share of them (`tieRate`) repeats the previous instant to the millisecond.
 */
export class Timeline {
  readonly #random: Random;
  readonly #meanStep: number;
  readonly #tieRate: number;
  #current: number;

  constructor(random: Random, phase: readonly [number, number], count: number, tieRate = 0) {
    const start = HISTORY_START_MS + phase[0] * HISTORY_LENGTH_MS;
    const end = HISTORY_START_MS + phase[1] * HISTORY_LENGTH_MS;
    this.#random = random;
    this.#meanStep = (end - start) / Math.max(count, 1);
    this.#tieRate = tieRate;
    this.#current = start;
  }

  next(): number {
    if (!this.#random.chance(this.#tieRate)) {
      this.#current += Math.max(1, Math.round(this.#meanStep * 2 * this.#random.next()));
    }
    return this.#current;
  }
}

/** `2024-01-08 09:00:00.000`: a DATETIME(3) literal in UTC, whatever the server's time zone. */
export function toSqlDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}
