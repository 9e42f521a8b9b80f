import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { TeamRow } from '../../src/db/schema';
import { insertTeamWithOwner } from '../../loaders/teamWrites';
import type { GraphQLContext } from '../context';
import { membershipsChanged } from '../membershipChanges';
import { Team } from '../types/Team';
import { optionalText, requireText } from '../validation';

@Resolver()
export class TeamMutationResolver {
  @Mutation(() => Team, { description: "The creator becomes the team's OWNER." })
  async createTeam(
    @Arg('name', () => String) name: string,
    @Arg('description', () => String, { nullable: true }) description: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TeamRow> {
    const values = { name: requireText(name, 'name', 200), description: optionalText(description, 'description', 2000) };
    const userId = await ctx.viewer.userId();
    const teamId = await ctx.db.transaction().execute((trx) => insertTeamWithOwner(trx, { ...values, createdBy: userId }));
    // The response may already list the new team's members.
    await membershipsChanged(ctx, { teamId, userIds: [userId] });
    ctx.loaders.teamById.clear(teamId);
    return (await ctx.loaders.teamById.load(teamId)) as TeamRow;
  }
}
