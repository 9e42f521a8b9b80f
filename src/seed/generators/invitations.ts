import { createHash } from 'node:crypto';
import type { InvitationStatus, TeamRole } from '../../db/schema';
import type { TableRows } from '../bulkInsert';
import { days, OPEN_INVITATION_EXPIRY_MS, phases, Timeline, toSqlDateTime } from '../clock';
import { Random } from '../prng';
import type { Scale } from '../scales';
import { outsiderEmail } from '../text/names';
import { demoAccount, firstForeignTeam, type People } from './people';

const lifetime = days(7);
const invitedRoles = { ADMIN: 10, MEMBER: 70, VIEWER: 20 } as const;
/** People who have an account are never shown as ACCEPTED: that would need a membership too. */
const userStatuses = { PENDING: 50, DECLINED: 25, EXPIRED: 25 } as const;
const outsiderStatuses = { PENDING: 35, ACCEPTED: 35, DECLINED: 15, EXPIRED: 15 } as const;
/** The demo account's invitations go round these: open, lapsed but still PENDING, declined, expired. */
const demoCycle = ['open', 'lapsed', 'DECLINED', 'EXPIRED'] as const;

export interface Invitation {
  readonly teamId: number;
  readonly email: string;
  readonly role: TeamRole;
  readonly status: InvitationStatus;
  readonly invitedBy: number;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface Invitations {
  /** By id; index 0 is unused. */
  readonly list: readonly (Invitation | undefined)[];
  /** Ids of the invitations addressed to each user's email, by user id. */
  readonly byInvitee: ReadonlyMap<number, readonly number[]>;
}

/**
 * Invitations of every status. Some go to people with an account (the demo account among them,
 * always from teams it is not in), the rest to outsiders. A PENDING invitation either expires
 * in 2035 (open) or expired a week after it was sent (lapsed, not yet marked EXPIRED).
 */
export function planInvitations(scale: Scale, people: People): Invitations {
  const random = Random.forLabel('invitations');
  const forDemo = random.shuffle(Array.from({ length: scale.invitations }, (_, i) => i < scale.demoInvitations));
  const clock = new Timeline(random, phases.invitations, scale.invitations);
  const list: (Invitation | undefined)[] = [undefined];
  const byInvitee = new Map<number, number[]>();
  let demoSent = 0;

  for (let id = 1; id <= scale.invitations; id++) {
    const createdAt = clock.next();
    let teamId: number;
    let invitee: number | undefined;
    let status: InvitationStatus;
    let open: boolean;
    if (forDemo[id - 1]) {
      teamId = firstForeignTeam + (demoSent % (scale.teams - firstForeignTeam + 1));
      invitee = demoAccount.id;
      const kind = demoCycle[demoSent % demoCycle.length]!;
      status = kind === 'open' || kind === 'lapsed' ? 'PENDING' : kind;
      open = kind === 'open';
      demoSent += 1;
    } else {
      teamId = random.between(1, scale.teams);
      invitee = random.chance(0.4) ? pickOutsideUser(random, people, teamId) : undefined;
      status = invitee === undefined ? random.weighted(outsiderStatuses) : random.weighted(userStatuses);
      open = random.chance(0.6);
    }
    const email = invitee === undefined ? outsiderEmail(random, id) : people.emails[invitee]!;
    const expiresAt = status === 'PENDING' && open ? OPEN_INVITATION_EXPIRY_MS + (createdAt % days(1)) : createdAt + lifetime;
    const managers = people.managers[teamId]!;
    const invitedBy = managers.length > 0 ? random.pick(managers) : people.teamCreatedBy[teamId]!;
    list.push({ teamId, email, role: random.weighted(invitedRoles), status, invitedBy, createdAt, expiresAt });
    if (invitee !== undefined) {
      const ids = byInvitee.get(invitee) ?? [];
      ids.push(id);
      byInvitee.set(invitee, ids);
    }
  }
  return { list, byInvitee };
}

/** A user (not the demo account) with no membership of `teamId`, if one turns up in a few tries. */
function pickOutsideUser(random: Random, people: People, teamId: number): number | undefined {
  for (let attempt = 0; attempt < 5; attempt++) {
    const userId = random.between(2, people.userCount);
    if (!people.isMember(teamId, userId)) return userId;
  }
  return undefined;
}

/** 43 characters of base64url, as real tokens (32 random bytes); unique because the id is hashed in. */
export function invitationToken(scaleName: string, id: number): string {
  return createHash('sha256').update(`bridgeai-seed:${scaleName}:invitation:${id}`).digest('base64url');
}

export function invitationsRows(invitations: Invitations, scaleName: string): TableRows {
  return {
    table: 'invitations',
    columns: ['id', 'team_id', 'email', 'role', 'token', 'status', 'invited_by_user_id', 'created_at', 'expires_at'],
    *rows() {
      for (let id = 1; id < invitations.list.length; id++) {
        const invitation = invitations.list[id]!;
        yield [
          id, invitation.teamId, invitation.email, invitation.role, invitationToken(scaleName, id), invitation.status,
          invitation.invitedBy, toSqlDateTime(invitation.createdAt), toSqlDateTime(invitation.expiresAt),
        ];
      }
    },
  };
}
