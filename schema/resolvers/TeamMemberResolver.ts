import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { TeamMemberEntry } from '../../loaders/rows';
import type { GraphQLContext } from '../context';
import { TeamMember } from '../types/TeamMember';
import { User } from '../types/User';

@Resolver(() => TeamMember)
export class TeamMemberResolver {
  @FieldResolver(() => User)
  user(@Root() member: TeamMemberEntry, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.userById.load(member.userId);
  }
}
