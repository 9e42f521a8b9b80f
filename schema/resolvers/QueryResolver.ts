import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Query, Resolver } from 'type-graphql';
import type { InvitationStatus as InvitationStatusValue, ProjectStatus as ProjectStatusValue, TeamRow, UserRow } from '../../src/db/schema';
import { notificationsPage } from '../../loaders/notificationsPage';
import { invitationsForEmail, projectsPage } from '../../loaders/pages';
import { pageSize, parseId } from '../arguments';
import { toConnection } from '../connection';
import { selectsField } from '../selection';
import type { GraphQLContext } from '../context';
import { ChatSession } from '../types/ChatSession';
import { CrsDocument } from '../types/CrsDocument';
import { InvitationStatus, ProjectStatus } from '../types/enums';
import { Invitation } from '../types/Invitation';
import { NotificationConnection, ProjectConnection } from '../types/connections';
import { Project } from '../types/Project';
import { Team } from '../types/Team';
import { User } from '../types/User';
import { visibleChatSession, visibleCrs, visibleProject, visibleTeam } from '../visibility';

@Resolver()
export class QueryResolver {
  @Query(() => User, { description: 'The signed-in user. UNAUTHENTICATED without a valid bearer token.' })
  viewer(@Ctx() ctx: GraphQLContext): Promise<UserRow> {
    return ctx.viewer.user();
  }

  @Query(() => [Team], { description: "The viewer's teams." })
  async teams(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TeamRow[]> {
    const limit = pageSize(first, 50);
    return (await ctx.viewer.memberships()).slice(0, limit).map(({ role: _role, ...team }) => team);
  }

  @Query(() => Team, { nullable: true })
  team(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return visibleTeam(ctx, parseId(id));
  }

  @Query(() => Project, { nullable: true })
  project(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return visibleProject(ctx, parseId(id));
  }

  @Query(() => ProjectConnection, {
    description: "Projects of the given teams (default: all of the viewer's teams), newest first, keyset-paginated.",
  })
  async projects(
    @Arg('teamIds', () => [ID], { nullable: true }) teamIds: string[] | null,
    @Arg('status', () => ProjectStatus, { nullable: true }) status: ProjectStatusValue | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const limit = pageSize(first, 50);
    const position = after ? ctx.cursors.decode('project', after, 'after') : null;
    const requested = teamIds?.map((id) => parseId(id, 'teamIds'));
    const memberships = await ctx.viewer.memberships();
    // Teams the viewer is not in are left out, exactly like teams that do not exist.
    const visible = memberships.map((team) => team.id).filter((id) => !requested || requested.includes(id));
    const rows = await projectsPage(ctx.db, { teamIds: visible, status, first: limit, after: position });
    for (const row of rows) ctx.loaders.projectById.prime(row.id, row);
    return toConnection(rows, limit, 'project', (row) => row.createdAt, ctx.cursors);
  }

  @Query(() => CrsDocument, { nullable: true })
  crsDocument(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return visibleCrs(ctx, parseId(id));
  }

  @Query(() => NotificationConnection, { description: "The viewer's notifications, newest first, keyset-paginated." })
  async notifications(
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false }) unreadOnly: boolean | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const limit = pageSize(first, 50);
    const position = after ? ctx.cursors.decode('notification', after, 'after') : null;
    const userId = await ctx.viewer.userId();
    // One statement for the page, its count and what each notification is about (loaders/notificationsPage.ts).
    const { rows, unreadCount } = await notificationsPage(ctx.db, ctx.loaders, {
      userId,
      unreadOnly: unreadOnly ?? false,
      first: limit,
      after: position,
      withUnreadCount: selectsField(info, 'unreadCount'),
      // The naive mode resolves each subject with its own statement, as the guide's "before" did.
      withSubjects: ctx.optimizedQueries && selectsField(info, 'edges', 'node', 'subject'),
    });
    return { ...toConnection(rows, limit, 'notification', (row) => row.createdAt, ctx.cursors), userId, unreadCount };
  }

  @Query(() => ChatSession, { nullable: true })
  chatSession(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext) {
    return visibleChatSession(ctx, parseId(id));
  }

  @Query(() => [Invitation], { description: "Invitations addressed to the viewer's email, newest first." })
  async invitations(
    @Arg('status', () => InvitationStatus, { nullable: true, defaultValue: 'PENDING' }) status: InvitationStatusValue | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const viewer = await ctx.viewer.user();
    return invitationsForEmail(ctx.db, { email: viewer.email, status, first: pageSize(first, 50) });
  }
}
