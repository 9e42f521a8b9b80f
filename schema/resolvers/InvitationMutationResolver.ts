import { randomBytes } from 'node:crypto';
import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { InvitationRow, TeamRole as TeamRoleValue, TeamRow } from '../../src/db/schema';
import { ClientError, conflict, forbidden } from '../../src/errors';
import {
  answerInvitation,
  expireInvitation,
  insertInvitation,
  invitationByToken,
  inviteeStanding,
} from '../../loaders/invitationWrites';
import { activateMembership } from '../../loaders/memberWrites';
import { notify } from '../../loaders/notify';
import { parseId } from '../arguments';
import { transactionWithEvents } from '../committedEvents';
import type { GraphQLContext } from '../context';
import { membershipsChanged } from '../membershipChanges';
import { teamInvitation } from '../notificationTexts';
import { TeamRole } from '../types/enums';
import { Invitation } from '../types/Invitation';
import { requireEmail } from '../validation';
import { sameEmail } from '../visibility';
import { requireTeamRole, TEAM_MANAGERS } from '../writeAccess';
import { effectiveInvitationStatus } from './InvitationResolver';

/** How long an invitation can be answered. */
const INVITATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
/** 32 random bytes in base64url: 43 characters (invitations.token is CHAR(43)). */
const TOKEN_BYTES = 32;
const TOKEN_LENGTH = 43;

@Resolver()
export class InvitationMutationResolver {
  /**
   * One open invitation per email and team: while one is PENDING and unexpired, inviting the
   * same email again is CONFLICT (the invitee already holds a working token). Only an OWNER
   * may invite another OWNER.
   */
  @Mutation(() => Invitation, { description: 'OWNER/ADMIN only. Notifies an existing user with that email (TEAM_INVITATION).' })
  async inviteMember(
    @Arg('teamId', () => ID) teamId: string,
    @Arg('email', () => String) email: string,
    @Arg('role', () => TeamRole, { nullable: true, defaultValue: 'MEMBER' }) role: TeamRoleValue | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<InvitationRow> {
    const id = parseId(teamId, 'teamId');
    const address = requireEmail(email);
    const invitedRole = role ?? 'MEMBER';
    const inviterRole = await requireTeamRole(ctx, { what: 'Team', id, teamId: id }, TEAM_MANAGERS, 'inviting members');
    if (invitedRole === 'OWNER' && inviterRole !== 'OWNER') {
      throw forbidden('Only an OWNER may invite another OWNER; invite as ADMIN instead.');
    }
    const standing = await inviteeStanding(ctx.db, id, address);
    if (standing.isActiveMember) throw conflict(`email: ${address} is already a member of this team.`);
    if (standing.hasPendingInvitation) {
      throw conflict(`email: ${address} already has a pending invitation to this team; it can be answered until it expires.`);
    }
    const inviter = await ctx.viewer.user();
    const team = (await ctx.loaders.teamById.load(id)) as TeamRow;
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + INVITATION_LIFETIME_MS);
    const invitation = await transactionWithEvents(ctx, async (trx, pending) => {
      const row = await insertInvitation(trx, {
        teamId: id,
        email: address,
        role: invitedRole,
        token: randomBytes(TOKEN_BYTES).toString('base64url'),
        invitedByUserId: inviter.id,
        createdAt,
        expiresAt,
      });
      pending.notifications(await notify(trx, standing.userId === null ? [] : [standing.userId], {
        type: 'TEAM_INVITATION',
        referenceId: row.id,
        createdAt,
        ...teamInvitation(inviter.fullName, team.name, invitedRole, expiresAt),
      }));
      return row;
    });
    ctx.loaders.invitationById.prime(invitation.id, invitation);
    ctx.loaders.invitationsByTeamId.clearAll();
    return invitation;
  }

  /**
   * Accepting makes the viewer an ACTIVE member with the invited role, in the same transaction
   * as the answer; the response already sees the team's contents. Answering is one conditional
   * UPDATE, so of many concurrent answers exactly one wins and the rest are CONFLICT.
   */
  @Mutation(() => Invitation, {
    description:
      'Only the user whose email was invited may answer; FORBIDDEN for anyone else holding the token, CONFLICT when answered before, and an expired invitation answers as EXPIRED.',
  })
  async respondToInvitation(
    @Arg('token', () => String) token: string,
    @Arg('accept', () => Boolean) accept: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<InvitationRow> {
    const viewer = await ctx.viewer.user();
    const invitation = token.length === TOKEN_LENGTH ? await invitationByToken(ctx.db, token) : null;
    if (!invitation) throw new ClientError('NOT_FOUND', 'No invitation has this token; ask the team for a new invitation.');
    if (!sameEmail(invitation.email, viewer.email)) {
      throw forbidden('This invitation was sent to another email address; only its recipient may answer it.');
    }
    if (effectiveInvitationStatus(invitation) === 'EXPIRED') return answerAsExpired(ctx, invitation);
    if (invitation.status !== 'PENDING') throw conflict(`This invitation was answered before (${invitation.status}).`);

    const status = accept ? ('ACCEPTED' as const) : ('DECLINED' as const);
    const answered = await ctx.db.transaction().execute(async (trx) => {
      if (!(await answerInvitation(trx, invitation.id, status))) return false;
      if (accept) await activateMembership(trx, { teamId: invitation.teamId, userId: viewer.id, role: invitation.role, at: new Date() });
      return true;
    });
    if (!answered) {
      // Someone answered it first, or it expired since it was read.
      if (effectiveInvitationStatus(invitation) === 'EXPIRED') return answerAsExpired(ctx, invitation);
      throw conflict('This invitation was answered before.');
    }
    const row = { ...invitation, status };
    ctx.loaders.invitationById.clear(row.id).prime(row.id, row);
    ctx.loaders.invitationsByTeamId.clearAll();
    if (accept) await membershipsChanged(ctx, { teamId: invitation.teamId, userIds: [viewer.id] });
    return row;
  }
}

/** An invitation past its expiry answers as EXPIRED (no error, nobody joins), and its row is brought up to date. */
async function answerAsExpired(ctx: GraphQLContext, invitation: InvitationRow): Promise<InvitationRow> {
  if (invitation.status === 'PENDING') await expireInvitation(ctx.db, invitation.id);
  const row: InvitationRow = { ...invitation, status: 'EXPIRED' };
  ctx.loaders.invitationById.clear(row.id).prime(row.id, row);
  ctx.loaders.invitationsByTeamId.clearAll();
  return row;
}
