/**
 * How much data each scale generates. The demo account's teams (1–3) get fixed shares so that
 * what it sees is the same shape at every scale; the rest is spread at random over other teams.
 */
export interface Scale {
  readonly teams: number;
  readonly users: number;
  /** Share of users who also belong to a second team. */
  readonly secondTeamRate: number;
  /** Share of non-owner memberships that are inactive (is_active = 0). */
  readonly inactiveRate: number;
  readonly projects: number;
  readonly projectsPerDemoTeam: number;
  readonly crsDocuments: number;
  readonly crsPerDemoProject: number;
  readonly comments: number;
  readonly commentsPerDemoCrs: number;
  readonly invitations: number;
  /** Invitations addressed to the demo account, from teams it is not in. */
  readonly demoInvitations: number;
  readonly chatSessions: number;
  readonly sessionsPerDemoProject: number;
  readonly messages: number;
  readonly notifications: number;
  readonly demoNotifications: number;
}

export const scaleNames = ['small', 'demo', 'bench'] as const;
export type ScaleName = (typeof scaleNames)[number];

export const scales: Readonly<Record<ScaleName, Scale>> = Object.freeze({
  small: {
    teams: 5,
    users: 12,
    secondTeamRate: 0.4,
    inactiveRate: 0.2,
    projects: 15,
    projectsPerDemoTeam: 3,
    crsDocuments: 40,
    crsPerDemoProject: 3,
    comments: 120,
    commentsPerDemoCrs: 3,
    invitations: 12,
    demoInvitations: 4,
    chatSessions: 12,
    sessionsPerDemoProject: 1,
    messages: 100,
    notifications: 60,
    demoNotifications: 24,
  },
  demo: {
    teams: 10,
    users: 50,
    secondTeamRate: 0.5,
    inactiveRate: 0.1,
    projects: 60,
    projectsPerDemoTeam: 8,
    crsDocuments: 300,
    crsPerDemoProject: 6,
    comments: 1_500,
    commentsPerDemoCrs: 5,
    invitations: 80,
    demoInvitations: 6,
    chatSessions: 100,
    sessionsPerDemoProject: 2,
    messages: 2_000,
    notifications: 1_000,
    demoNotifications: 80,
  },
  bench: {
    teams: 1_000,
    users: 10_000,
    secondTeamRate: 0.5,
    inactiveRate: 0.08,
    projects: 20_000,
    projectsPerDemoTeam: 10,
    crsDocuments: 100_000,
    crsPerDemoProject: 10,
    comments: 500_000,
    commentsPerDemoCrs: 50,
    invitations: 20_000,
    demoInvitations: 10,
    chatSessions: 20_000,
    sessionsPerDemoProject: 3,
    messages: 300_000,
    notifications: 300_000,
    demoNotifications: 1_000,
  },
});

export function isScaleName(value: string): value is ScaleName {
  return (scaleNames as readonly string[]).includes(value);
}
