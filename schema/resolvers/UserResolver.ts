import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { TeamRow, UserRow } from '../../src/db/schema';
import { pageSize } from '../arguments';
import type { GraphQLContext } from '../context';
import { Team } from '../types/Team';
import { User } from '../types/User';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => [Team], {
    description: 'Teams the user is an active member of; only teams the viewer also belongs to are listed.',
  })
  async teams(
    @Root() user: UserRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TeamRow[]> {
    const limit = pageSize(first, 50);
    const teamIds = await ctx.loaders.teamIdsByUserId.load(user.id);
    const shared: number[] = [];
    for (const teamId of teamIds) if (await ctx.viewer.canSeeTeam(teamId)) shared.push(teamId);
    const teams = await ctx.loaders.teamById.loadMany(shared.slice(0, limit));
    return teams.filter((team): team is TeamRow => team !== null && !(team instanceof Error));
  }
}
