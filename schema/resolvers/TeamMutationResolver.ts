import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { TeamRow } from '../../src/db/schema';
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
    const teamId = await ctx.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('teams')
        .values({ ...values, createdBy: userId })
        .executeTakeFirstOrThrow();
      const id = Number(result.insertId);
      await trx.insertInto('teamMembers').values({ teamId: id, userId, role: 'OWNER' }).execute();
      return id;
    });
    // The response may already list the new team's members.
    await membershipsChanged(ctx, { teamId, userIds: [userId] });
    ctx.loaders.teamById.clear(teamId);
    return (await ctx.loaders.teamById.load(teamId)) as TeamRow;
  }
}
