import type { InvitationRow, ProjectRow, TeamRow } from '../src/db/schema';
import type { ChatSessionWithTeam, CommentWithTeam, CrsWithTeam, MessageWithTeam } from '../loaders/rows';
import type { GraphQLContext } from './context';

/**
 * The contract's visibility rule in one place: a viewer sees a team and everything under it only
 * while an active member. Each function returns the row when the viewer may see it and null when
 * it is missing or invisible — the two must look the same from outside.
 */

export async function visibleTeam(ctx: GraphQLContext, id: number): Promise<TeamRow | null> {
  if (!(await ctx.viewer.canSeeTeam(id))) return null;
  return ctx.loaders.teamById.load(id);
}

export async function visibleProject(ctx: GraphQLContext, id: number): Promise<ProjectRow | null> {
  const project = await ctx.loaders.projectById.load(id);
  return project && (await ctx.viewer.canSeeTeam(project.teamId)) ? project : null;
}

export async function visibleCrs(ctx: GraphQLContext, id: number): Promise<CrsWithTeam | null> {
  const crs = await ctx.loaders.crsById.load(id);
  return crs && (await ctx.viewer.canSeeTeam(crs.teamId)) ? crs : null;
}

export async function visibleComment(ctx: GraphQLContext, id: number): Promise<CommentWithTeam | null> {
  const comment = await ctx.loaders.commentById.load(id);
  return comment && (await ctx.viewer.canSeeTeam(comment.teamId)) ? comment : null;
}

export async function visibleChatSession(ctx: GraphQLContext, id: number): Promise<ChatSessionWithTeam | null> {
  const session = await ctx.loaders.chatSessionById.load(id);
  return session && (await ctx.viewer.canSeeTeam(session.teamId)) ? session : null;
}

export async function visibleMessage(ctx: GraphQLContext, id: number): Promise<MessageWithTeam | null> {
  const message = await ctx.loaders.messageById.load(id);
  return message && (await ctx.viewer.canSeeTeam(message.teamId)) ? message : null;
}

/** An invitation is seen by the person it is addressed to and by the team's OWNER and ADMIN members. */
export async function canSeeInvitation(ctx: GraphQLContext, invitation: InvitationRow): Promise<boolean> {
  const viewer = await ctx.viewer.user();
  return sameEmail(invitation.email, viewer.email) || (await ctx.viewer.canManageTeam(invitation.teamId));
}

export async function visibleInvitation(ctx: GraphQLContext, id: number): Promise<InvitationRow | null> {
  const invitation = await ctx.loaders.invitationById.load(id);
  return invitation && (await canSeeInvitation(ctx, invitation)) ? invitation : null;
}

export function sameEmail(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
