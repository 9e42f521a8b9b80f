import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CommentRow } from '../../src/db/schema';
import type { CommentWithAuthor } from '../../loaders/rows';
import type { GraphQLContext } from '../context';
import { Comment } from '../types/Comment';
import { CrsDocument } from '../types/CrsDocument';
import { User } from '../types/User';

@Resolver(() => Comment)
export class CommentResolver {
  @FieldResolver(() => CrsDocument)
  crs(@Root() comment: CommentRow, @Ctx() ctx: GraphQLContext) {
    return ctx.loaders.crsById.load(comment.crsId);
  }

  /** Comments from commentsByCrsId carry their author; others (by id, just written) load it. */
  @FieldResolver(() => User)
  author(@Root() comment: CommentRow & Partial<CommentWithAuthor>, @Ctx() ctx: GraphQLContext) {
    return comment.author ?? ctx.loaders.userById.load(comment.authorId);
  }
}
