import type { GraphQLContext } from './context';

/** Whose memberships of which team a committed write changed. */
export interface MembershipChange {
  readonly teamId: number;
  readonly userIds: readonly number[];
}

/**
 * Every write that changes who is an active member of a team, or with which role, calls this
 * once its transaction has committed and before the mutation answers: it is the one place that
 * knows when memberships change. The users' cached viewer records are dropped on every instance
 * (src/auth/viewerInvalidations.ts), so their next request, wherever it lands, reads the new
 * memberships; and what this request had read about them is dropped too, so the response
 * already shows the change (the viewer's teams and what they may see, team.members, user.teams).
 */
export async function membershipsChanged(ctx: GraphQLContext, change: MembershipChange): Promise<void> {
  await ctx.viewerInvalidations.membershipsChanged(change.userIds);
  if (change.userIds.includes(ctx.viewer.tokenUserId())) ctx.viewer.forgetMemberships();
  for (const userId of change.userIds) ctx.loaders.teamIdsByUserId.clear(userId);
  // Its cache keys also carry `first`, so one team's entries cannot be picked out.
  ctx.loaders.membersByTeamId.clearAll();
}
