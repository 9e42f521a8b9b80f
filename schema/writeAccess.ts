import type { ProjectRow, TeamRole } from '../src/db/schema';
import { forbidden, notFound } from '../src/errors';
import type { ChatSessionWithTeam, CrsWithTeam } from '../loaders/rows';
import type { GraphQLContext } from './context';

/**
 * The write half of the contract's visibility rule, next to its read half in visibility.ts.
 * Writing into something the viewer cannot see (not an active member of its team) is
 * NOT_FOUND with exactly the message of a missing id; seeing it but holding a role that may
 * not do this is FORBIDDEN.
 */

/** Roles that may change a team's contents: projects, CRS documents, comments, chat. VIEWER only reads. */
export const CONTENT_WRITERS: readonly TeamRole[] = ['OWNER', 'ADMIN', 'MEMBER'];

/** Roles that run a team: review its projects, invite, remove members and set their roles. */
export const TEAM_MANAGERS: readonly TeamRole[] = ['OWNER', 'ADMIN'];

/** Every role: what any active member may do, such as leaving the team. */
export const ANY_ROLE: readonly TeamRole[] = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'];

/** What a mutation aims at, as the client named it, for the NOT_FOUND message. */
export interface WriteTarget {
  /** E.g. `Project`. */
  what: string;
  /** The id as given. */
  id: string | number;
  /** The team that owns the row; null when the row does not exist. */
  teamId: number | null;
}

/**
 * Returns the viewer's role in the target's team when it is one of `allowed`.
 * UNAUTHENTICATED without a viewer; NOT_FOUND when the row is missing or the viewer is not an
 * active member of its team; FORBIDDEN naming the role otherwise. `action` completes the
 * sentence "… needs the X role", e.g. `reviewing a project`.
 */
export async function requireTeamRole(
  ctx: GraphQLContext,
  target: WriteTarget,
  allowed: readonly TeamRole[],
  action: string,
): Promise<TeamRole> {
  await ctx.viewer.userId();
  return requireRole(target.teamId === null ? null : await ctx.viewer.roleIn(target.teamId), target, allowed, action);
}

/**
 * requireTeamRole's decision on a role already read (null: not an active member), e.g. read
 * again under a lock inside a transaction.
 */
export function requireRole(role: TeamRole | null, target: WriteTarget, allowed: readonly TeamRole[], action: string): TeamRole {
  if (role === null) throw notFound(target.what, target.id);
  if (!allowed.includes(role)) {
    const readOnly = role === 'VIEWER' ? ', which may only read' : '';
    throw forbidden(`Your role in this team is ${role}${readOnly}; ${action} needs the ${describeRoles(allowed)} role.`);
  }
  return role;
}

/** The project with `id` when the viewer may write to it with one of `allowed` (see requireTeamRole). */
export async function writableProject(
  ctx: GraphQLContext,
  id: number,
  allowed: readonly TeamRole[],
  action: string,
): Promise<ProjectRow> {
  await ctx.viewer.userId();
  const project = await ctx.loaders.projectById.load(id);
  await requireTeamRole(ctx, { what: 'Project', id, teamId: project?.teamId ?? null }, allowed, action);
  return project as ProjectRow;
}

/** The CRS document with `id` when the viewer may change its team's contents. */
export async function writableCrs(ctx: GraphQLContext, id: number, action: string): Promise<CrsWithTeam> {
  await ctx.viewer.userId();
  const crs = await ctx.loaders.crsById.load(id);
  await requireTeamRole(ctx, { what: 'CRS document', id, teamId: crs?.teamId ?? null }, CONTENT_WRITERS, action);
  return crs as CrsWithTeam;
}

/** The chat session with `id` when the viewer may change its team's contents. */
export async function writableChatSession(ctx: GraphQLContext, id: number, action: string): Promise<ChatSessionWithTeam> {
  await ctx.viewer.userId();
  const session = await ctx.loaders.chatSessionById.load(id);
  await requireTeamRole(ctx, { what: 'Chat session', id, teamId: session?.teamId ?? null }, CONTENT_WRITERS, action);
  return session as ChatSessionWithTeam;
}

/** `OWNER or ADMIN`, `MEMBER, ADMIN or OWNER`: the roles in the order given. */
function describeRoles(roles: readonly TeamRole[]): string {
  return roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(', ')} or ${roles[roles.length - 1]}`;
}
