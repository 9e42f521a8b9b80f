import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type {
  InvitationRow,
  InvitationStatus as InvitationStatusValue,
  ProjectRow,
  ProjectStatus as ProjectStatusValue,
  TeamRow,
} from '../../src/db/schema';
import type { TeamMemberEntry } from '../../loaders/rows';
import { pageSize } from '../arguments';
import type { GraphQLContext } from '../context';
import { InvitationStatus, ProjectStatus } from '../types/enums';
import { Invitation } from '../types/Invitation';
import { Project } from '../types/Project';
import { Team } from '../types/Team';
import { TeamMember } from '../types/TeamMember';

/**
 * A Team can be reached without membership (through an invitation addressed to the viewer), so
 * every list checks membership itself and stays empty for outsiders.
 */
@Resolver(() => Team)
export class TeamResolver {
  @FieldResolver(() => [TeamMember])
  async members(
    @Root() team: TeamRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TeamMemberEntry[]> {
    const limit = pageSize(first, 50);
    if (!(await ctx.viewer.canSeeTeam(team.id))) return [];
    return ctx.loaders.membersByTeamId.load({ parentId: team.id, first: limit });
  }

  @FieldResolver(() => [Project])
  async projects(
    @Root() team: TeamRow,
    @Arg('status', () => ProjectStatus, { nullable: true }) status: ProjectStatusValue | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProjectRow[]> {
    const limit = pageSize(first, 50);
    if (!(await ctx.viewer.canSeeTeam(team.id))) return [];
    const projects = await ctx.loaders.projectsByTeamId.load({ teamId: team.id, status: status ?? null, first: limit });
    for (const project of projects) ctx.loaders.projectById.prime(project.id, project);
    return projects;
  }

  @FieldResolver(() => [Invitation], { description: 'Visible to OWNER and ADMIN members only; empty for others.' })
  async invitations(
    @Root() team: TeamRow,
    @Arg('status', () => InvitationStatus, { nullable: true }) status: InvitationStatusValue | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<InvitationRow[]> {
    const limit = pageSize(first, 50);
    if (!(await ctx.viewer.canManageTeam(team.id))) return [];
    return ctx.loaders.invitationsByTeamId.load({ teamId: team.id, status: status ?? null, first: limit });
  }
}
