import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { TeamRole as TeamRoleValue } from '../../src/db/schema';
import { ClientError, conflict, forbidden } from '../../src/errors';
import { deactivateMembership, lockMembersForChange, setMembershipRole } from '../../loaders/memberWrites';
import type { TeamMemberEntry } from '../../loaders/rows';
import { parseId } from '../arguments';
import type { GraphQLContext } from '../context';
import { membershipsChanged } from '../membershipChanges';
import { TeamRole } from '../types/enums';
import { TeamMember } from '../types/TeamMember';
import { ANY_ROLE, requireRole, requireTeamRole, TEAM_MANAGERS, type WriteTarget } from '../writeAccess';

/** One change of one member of a team, as a mutation asks for it. */
interface RequestedChange {
  teamId: number;
  /** The member changed (the viewer, when they leave). */
  userId: number;
  /** Their new role; null when they leave the team. */
  role: TeamRoleValue | null;
  /** Roles that may ask for it, and what it is called in a FORBIDDEN message ("… needs the X role"). */
  allowed: readonly TeamRoleValue[];
  action: string;
}

/**
 * Who is in a team, and with which role. A member removed or leaving keeps their row with
 * is_active = 0 and loses access at once; an invitation accepted later makes them a member
 * again. Nobody is notified: the contract has no notification type for it, and a removed
 * member could not see the team a notification would point at. Removing oneself through
 * removeMember is leaving, for an OWNER or ADMIN, under the same rules.
 */
@Resolver()
export class MemberMutationResolver {
  @Mutation(() => Boolean, {
    description:
      'OWNER/ADMIN only; an ADMIN cannot remove an OWNER. The member loses access to the team at once, on every instance. NOT_FOUND for a team the viewer cannot see or a user who is not an active member; CONFLICT when it would leave the team without an OWNER.',
  })
  async removeMember(
    @Arg('teamId', () => ID) teamId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    const change = { teamId: parseId(teamId, 'teamId'), userId: parseId(userId, 'userId'), role: null };
    await changeMember(ctx, { ...change, allowed: TEAM_MANAGERS, action: 'removing a member' });
    return true;
  }

  @Mutation(() => TeamMember, {
    description: 'OWNER/ADMIN only; only an OWNER may give or take the OWNER role. CONFLICT when it would leave the team without an OWNER.',
  })
  async setMemberRole(
    @Arg('teamId', () => ID) teamId: string,
    @Arg('userId', () => ID) userId: string,
    @Arg('role', () => TeamRole) role: TeamRoleValue,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TeamMemberEntry> {
    const change = { teamId: parseId(teamId, 'teamId'), userId: parseId(userId, 'userId'), role };
    return changeMember(ctx, { ...change, allowed: TEAM_MANAGERS, action: "changing a member's role" });
  }

  @Mutation(() => Boolean, { description: 'The viewer leaves the team and loses access at once; CONFLICT for its last OWNER.' })
  async leaveTeam(@Arg('teamId', () => ID) teamId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    const id = parseId(teamId, 'teamId');
    await changeMember(ctx, { teamId: id, userId: await ctx.viewer.userId(), role: null, allowed: ANY_ROLE, action: 'leaving the team' });
    return true;
  }
}

/**
 * Checks and writes one member change in one transaction, deciding on rows locked until it
 * commits, so that however many changes run at once the team keeps an OWNER. Returns the
 * member as the change left them.
 */
async function changeMember(ctx: GraphQLContext, change: RequestedChange): Promise<TeamMemberEntry> {
  const team: WriteTarget = { what: 'Team', id: change.teamId, teamId: change.teamId };
  // Outsiders and roles without the right are turned away before anything is locked.
  await requireTeamRole(ctx, team, change.allowed, change.action);
  const actorId = await ctx.viewer.userId();
  const changed = await ctx.db.transaction().execute(async (trx) => {
    const members = await lockMembersForChange(trx, change.teamId, [actorId, change.userId]);
    // Decided again on the locked rows: the viewer's own role may have changed since this request read it.
    const actorRole = requireRole(members.find((row) => row.userId === actorId)?.role ?? null, team, change.allowed, change.action);
    const member = members.find((row) => row.userId === change.userId);
    if (!member) {
      throw new ClientError('NOT_FOUND', `User ${JSON.stringify(String(change.userId))} is not an active member of this team; team.members lists who is.`);
    }
    if (actorRole !== 'OWNER' && (member.role === 'OWNER' || change.role === 'OWNER')) {
      throw forbidden(
        change.role === null
          ? `Your role in this team is ${actorRole}; only an OWNER may remove an OWNER.`
          : `Your role in this team is ${actorRole}; only an OWNER may give or take the OWNER role.`,
      );
    }
    // Only an OWNER gets here with an OWNER as the member, so a team's only OWNER is the viewer.
    const owners = members.filter((row) => row.role === 'OWNER');
    if (member.role === 'OWNER' && change.role !== 'OWNER' && owners.length === 1) {
      throw conflict("You are the team's only OWNER, and a team must keep one: make another member OWNER first (setMemberRole).");
    }
    if (change.role === null) await deactivateMembership(trx, change.teamId, change.userId);
    else await setMembershipRole(trx, { teamId: change.teamId, userId: change.userId, role: change.role });
    return { ...member, role: change.role ?? member.role };
  });
  await membershipsChanged(ctx, { teamId: change.teamId, userIds: [change.userId] });
  return changed;
}
