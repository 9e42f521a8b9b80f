import type { GraphQLContext } from './context';

/** A committed write to one team's memberships, and whose memberships it changed. */
export interface MembershipChange {
  readonly teamId: number;
  readonly userIds: readonly number[];
}

/**
 * What every write that changes a team membership does once its transaction has committed, and
 * before its mutation answers: the users' cached viewer records are dropped on every instance
 * (src/auth/viewerInvalidations.ts), so their next request, wherever it lands, reads the new
 * memberships; and this request's own caches forget what they read before the write.
 */
export async function membershipsChanged(ctx: GraphQLContext, change: MembershipChange): Promise<void> {
  await ctx.viewerInvalidations.membershipsChanged(change.userIds);
  if (change.userIds.includes(ctx.viewer.tokenUserId())) ctx.viewer.forgetMemberships();
  for (const userId of change.userIds) ctx.loaders.teamIdsByUserId.clear(userId);
  ctx.loaders.membersByTeamId.clearAll();
}
