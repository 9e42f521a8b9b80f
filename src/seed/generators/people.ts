import type { TeamRole } from '../../db/schema';
import type { TableRows } from '../bulkInsert';
import { days, hours, phases, Timeline, toSqlDateTime } from '../clock';
import { Random } from '../prng';
import type { Scale } from '../scales';
import { emailFor, personName, teamDescription, teamName, type PersonName } from '../text/names';

/** The account the contract promises (contract/README.md): it logs in with this password. */
export const demoAccount = Object.freeze({
  id: 1,
  email: 'test@example.com',
  password: 'testpass',
  name: Object.freeze({ first: 'Test', last: 'User' }),
});

/** The demo account is an active OWNER of team 1, ADMIN of 2, MEMBER of 3, and a former VIEWER of 4. */
export const demoTeams = Object.freeze([
  { teamId: 1, role: 'OWNER', isActive: true },
  { teamId: 2, role: 'ADMIN', isActive: true },
  { teamId: 3, role: 'MEMBER', isActive: true },
  { teamId: 4, role: 'VIEWER', isActive: false },
] as const);

/** Teams from this id on have nothing to do with the demo account. */
export const firstForeignTeam = 5;

export const isDemoTeam = (teamId: number): boolean => teamId <= 3;

export interface Membership {
  readonly teamId: number;
  readonly userId: number;
  readonly role: TeamRole;
  readonly isActive: boolean;
  readonly joinedAt: number;
}

/** Users, teams and who belongs to which team. User and team ids start at 1. */
export interface People {
  readonly userCount: number;
  readonly names: readonly PersonName[];
  readonly emails: readonly string[];
  readonly userCreatedAt: readonly number[];
  readonly teamCount: number;
  readonly teamNames: readonly string[];
  readonly teamCreatedBy: readonly number[];
  readonly teamCreatedAt: readonly number[];
  /** In id order (ids start at 1), which is also the order of joining. */
  readonly memberships: readonly Membership[];
  /** Active members who may write (not VIEWER), per team; never empty (the owner is one). */
  readonly contributors: readonly (readonly number[])[];
  /** Active members of any role, per team. */
  readonly activeMembers: readonly (readonly number[])[];
  /** Active OWNERs and ADMINs, per team. */
  readonly managers: readonly (readonly number[])[];
  /** Teams in which a user is an active member, per user. */
  readonly activeTeams: readonly (readonly number[])[];
  isMember(teamId: number, userId: number): boolean;
}

const otherRoles = { ADMIN: 15, MEMBER: 65, VIEWER: 20 } as const;
const secondTeamRoles = { ADMIN: 10, MEMBER: 65, VIEWER: 25 } as const;

/**
 * Every user u ≥ 2 has a home team ((u − 2) mod teams) + 1, whose first home user owns it;
 * team 1 is owned by the demo account. Some users also join a second team.
 */
export function planPeople(scale: Scale): People {
  if (scale.teams < firstForeignTeam || scale.users - 1 < scale.teams) {
    throw new RangeError(`a scale needs at least ${firstForeignTeam} teams and one user per team besides the demo account`);
  }
  const random = Random.forLabel('people');
  const names: PersonName[] = [demoAccount.name, demoAccount.name];
  const emails = ['', demoAccount.email];
  const userCreatedAt = [0];
  const userClock = new Timeline(random, phases.users, scale.users);
  for (let userId = 1; userId <= scale.users; userId++) {
    if (userId > 1) {
      names[userId] = personName(random);
      emails[userId] = emailFor(names[userId]!, userId);
    }
    userCreatedAt[userId] = userClock.next();
  }

  const teamNames = [''];
  const teamCreatedBy = [0];
  const teamCreatedAt = [0];
  const teamClock = new Timeline(random, phases.teams, scale.teams);
  for (let teamId = 1; teamId <= scale.teams; teamId++) {
    teamNames[teamId] = teamName(teamId);
    teamCreatedBy[teamId] = teamId === 1 ? demoAccount.id : teamId + 1;
    teamCreatedAt[teamId] = teamClock.next();
  }

  const planned: Membership[] = [];
  const keys = new Set<string>();
  const join = (teamId: number, userId: number, role: TeamRole, isActive: boolean): void => {
    const founder = teamCreatedBy[teamId] === userId;
    const since = Math.max(teamCreatedAt[teamId]!, userCreatedAt[userId]!);
    const joinedAt = founder ? since : since + hours(1) + random.below(days(20));
    planned.push({ teamId, userId, role, isActive, joinedAt });
    keys.add(`${teamId}:${userId}`);
  };

  for (const { teamId, role, isActive } of demoTeams) join(teamId, demoAccount.id, role, isActive);
  for (let userId = 2; userId <= scale.users; userId++) {
    const homeTeam = ((userId - 2) % scale.teams) + 1;
    if (teamCreatedBy[homeTeam] === userId) join(homeTeam, userId, 'OWNER', true);
    else if (homeTeam === 1 && userId === 2) join(homeTeam, userId, 'ADMIN', true);
    else join(homeTeam, userId, random.weighted(otherRoles), !random.chance(scale.inactiveRate));
  }
  for (let userId = 2; userId <= scale.users; userId++) {
    if (!random.chance(scale.secondTeamRate)) continue;
    const teamId = random.between(1, scale.teams);
    if (keys.has(`${teamId}:${userId}`)) continue;
    join(teamId, userId, random.weighted(secondTeamRoles), !random.chance(scale.inactiveRate));
  }

  const memberships = planned
    .map((membership, order) => ({ membership, order }))
    .sort((a, b) => a.membership.joinedAt - b.membership.joinedAt || a.order - b.order)
    .map(({ membership }) => membership);

  const contributors = emptyLists(scale.teams);
  const activeMembers = emptyLists(scale.teams);
  const managers = emptyLists(scale.teams);
  const activeTeams = emptyLists(scale.users);
  for (const { teamId, userId, role, isActive } of memberships) {
    if (!isActive) continue;
    activeMembers[teamId]!.push(userId);
    activeTeams[userId]!.push(teamId);
    if (role !== 'VIEWER') contributors[teamId]!.push(userId);
    if (role === 'OWNER' || role === 'ADMIN') managers[teamId]!.push(userId);
  }
  for (const list of activeTeams) list.sort((a, b) => a - b);

  return {
    userCount: scale.users,
    names,
    emails,
    userCreatedAt,
    teamCount: scale.teams,
    teamNames,
    teamCreatedBy,
    teamCreatedAt,
    memberships,
    contributors,
    activeMembers,
    managers,
    activeTeams,
    isMember: (teamId, userId) => keys.has(`${teamId}:${userId}`),
  };
}

function emptyLists(count: number): number[][] {
  return Array.from({ length: count + 1 }, () => []);
}

export const fullName = (name: PersonName): string => `${name.first} ${name.last}`;

export function usersRows(people: People, passwordHash: string): TableRows {
  return {
    table: 'users',
    columns: ['id', 'email', 'full_name', 'password_hash', 'created_at'],
    *rows() {
      for (let id = 1; id <= people.userCount; id++) {
        yield [id, people.emails[id]!, fullName(people.names[id]!), passwordHash, toSqlDateTime(people.userCreatedAt[id]!)];
      }
    },
  };
}

export function teamsRows(people: People): TableRows {
  return {
    table: 'teams',
    columns: ['id', 'name', 'description', 'created_by', 'created_at'],
    *rows() {
      const random = Random.forLabel('teams:text');
      for (let id = 1; id <= people.teamCount; id++) {
        const name = people.teamNames[id]!;
        const description = random.chance(0.85) ? teamDescription(random, name) : null;
        yield [id, name, description, people.teamCreatedBy[id]!, toSqlDateTime(people.teamCreatedAt[id]!)];
      }
    },
  };
}

export function teamMembersRows(people: People): TableRows {
  return {
    table: 'team_members',
    columns: ['id', 'team_id', 'user_id', 'role', 'is_active', 'joined_at'],
    *rows() {
      let id = 0;
      for (const { teamId, userId, role, isActive, joinedAt } of people.memberships) {
        yield [++id, teamId, userId, role, isActive ? 1 : 0, toSqlDateTime(joinedAt)];
      }
    },
  };
}
