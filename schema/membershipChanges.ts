import type { GraphQLContext } from './context';

/** Whose memberships of which team a committed write changed. */
export interface MembershipChange {
  teamId: number;
  userIds: readonly number[];
}

/**
 * Every write that changes who is an active member of a team, or with which role, calls this
 * once its transaction has committed and before the mutation answers: it is the one place that
 * knows when memberships change. It drops what this request had read about them, so the
 * response already shows the change (the viewer's teams and what they may see, team.members,
 * user.teams). Callers await it, so what it does may also take a round trip, such as telling
 * other processes.
 */
export async function membershipsChanged(ctx: GraphQLContext, change: MembershipChange): Promise<void> {
  if (change.userIds.includes(ctx.viewer.tokenUserId())) ctx.viewer.forgetMemberships();
  for (const userId of change.userIds) ctx.loaders.teamIdsByUserId.clear(userId);
  // Its cache keys also carry `first`, so one team's entries cannot be picked out.
  ctx.loaders.membersByTeamId.clearAll();
}
