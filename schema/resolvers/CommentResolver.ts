import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CommentRow } from '../../src/db/schema';
import type { GraphQLContext } from '../context';
import { Comment } from '../types/Comment';
import { CrsDocument } from '../types/CrsDocument';

@Resolver(() => Comment)
export class CommentResolver {
  @FieldResolver(() => CrsDocument)
  crs(@Root() comment: CommentRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.crsById.load(comment.crsId);
  }
}
