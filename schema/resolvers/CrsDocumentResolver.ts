import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CrsRow } from '../../src/db/schema';
import { pageSize } from '../arguments';
import type { GraphQLContext } from '../context';
import { Comment } from '../types/Comment';
import { CrsDocument } from '../types/CrsDocument';
import { Project } from '../types/Project';
import { User } from '../types/User';

/** CRS documents are only ever handed out after their project's team was checked. */
@Resolver(() => CrsDocument)
export class CrsDocumentResolver {
  @FieldResolver(() => Project)
  project(@Root() crs: CrsRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.projectById.load(crs.projectId);
  }

  @FieldResolver(() => User)
  creator(@Root() crs: CrsRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.userById.load(crs.createdBy);
  }

  @FieldResolver(() => [Comment], { description: 'Oldest first.' })
  comments(
    @Root() crs: CrsRow,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return ctx.loaders.commentsByCrsId.load({ parentId: crs.id, first: pageSize(first, 50) });
  }
}
