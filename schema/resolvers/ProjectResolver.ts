import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CrsStatus as CrsStatusValue, ProjectRow } from '../../src/db/schema';
import { pageSize } from '../arguments';
import type { GraphQLContext } from '../context';
import { ChatSession } from '../types/ChatSession';
import { CrsDocument } from '../types/CrsDocument';
import { CrsStatus } from '../types/enums';
import { Project } from '../types/Project';
import { Team } from '../types/Team';
import { User } from '../types/User';

@Resolver(() => Project)
export class ProjectResolver {
  @FieldResolver(() => Team)
  team(@Root() project: ProjectRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.teamById.load(project.teamId);
  }

  @FieldResolver(() => User)
  creator(@Root() project: ProjectRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.userById.load(project.createdBy);
  }

  @FieldResolver(() => [CrsDocument], { description: 'Newest first.' })
  async crsDocuments(
    @Root() project: ProjectRow,
    @Arg('status', () => [CrsStatus], { nullable: true }) status: CrsStatusValue[] | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const limit = pageSize(first, 50);
    if (!(await ctx.viewer.canSeeTeam(project.teamId))) return [];
    const statuses = status ? [...new Set(status)].sort() : null;
    return ctx.loaders.crsByProjectId.load({ projectId: project.id, statuses, first: limit });
  }

  @FieldResolver(() => [ChatSession])
  async chatSessions(
    @Root() project: ProjectRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    const limit = pageSize(first, 50);
    if (!(await ctx.viewer.canSeeTeam(project.teamId))) return [];
    return ctx.loaders.chatSessionsByProjectId.load({ parentId: project.id, first: limit });
  }
}
