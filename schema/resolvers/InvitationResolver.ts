import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { InvitationRow, InvitationStatus as InvitationStatusValue } from '../../src/db/schema';
import type { GraphQLContext } from '../context';
import { InvitationStatus } from '../types/enums';
import { Invitation } from '../types/Invitation';
import { Team } from '../types/Team';
import { User } from '../types/User';
import { canSeeInvitation } from '../visibility';

/** A PENDING invitation past its expiry answers as EXPIRED, whatever its row still says. */
export function effectiveInvitationStatus(invitation: InvitationRow, now = new Date()): InvitationStatusValue {
  return invitation.status === 'PENDING' && invitation.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : invitation.status;
}

@Resolver(() => Invitation)
export class InvitationResolver {
  @FieldResolver(() => InvitationStatus)
  status(@Root() invitation: InvitationRow): InvitationStatusValue {
    return effectiveInvitationStatus(invitation);
  }

  /** The invited person sees the team's id, name and description; its lists stay empty until they join. */
  @FieldResolver(() => Team)
  team(@Root() invitation: InvitationRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.teamById.load(invitation.teamId);
  }

  @FieldResolver(() => User)
  invitedBy(@Root() invitation: InvitationRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.userById.load(invitation.invitedByUserId);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The secret for respondToInvitation: shown to the invited user (by email) and the team's OWNER/ADMIN members; null for everyone else.",
  })
  async token(@Root() invitation: InvitationRow, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    return (await canSeeInvitation(ctx, invitation)) ? invitation.token : null;
  }
}
