import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { enqueueMemory } from '../../src/memory/outbox';
import { insertComment } from '../../loaders/commentWrites';
import { crsDiscussionMemberIds } from '../../loaders/notificationRecipients';
import { notify } from '../../loaders/notify';
import type { CommentWithTeam } from '../../loaders/rows';
import { parseId } from '../arguments';
import { transactionWithEvents } from '../committedEvents';
import type { GraphQLContext } from '../context';
import { crsCommented } from '../notificationTexts';
import { Comment } from '../types/Comment';
import { requireContent, TEXT_COLUMN_BYTES } from '../validation';
import { writableCrs } from '../writeAccess';

@Resolver()
export class CommentMutationResolver {
  /**
   * Any member but a VIEWER may comment. The CRS creator and everyone who commented before
   * hear about it once each (not the author, not former members).
   */
  @Mutation(() => Comment, { description: 'Notifies the CRS creator and other commenters (CRS_COMMENTED); indexes into memory.' })
  async addComment(
    @Arg('crsId', () => ID) crsId: string,
    @Arg('content', () => String) content: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CommentWithTeam> {
    const id = parseId(crsId, 'crsId');
    const text = requireContent(content, 'content', TEXT_COLUMN_BYTES);
    const crs = await writableCrs(ctx, id, 'commenting');
    const author = await ctx.viewer.user();
    const at = new Date();
    const comment = await transactionWithEvents(ctx, async (trx, pending) => {
      const row = await insertComment(trx, { crsId: id, authorId: author.id, content: text, at });
      await enqueueMemory(trx, [{ projectId: crs.projectId, sourceType: 'COMMENT', sourceId: row.id, text }], 'live');
      const recipients = await crsDiscussionMemberIds(trx, {
        teamId: crs.teamId,
        crsId: id,
        creatorId: crs.createdBy,
        exceptUserId: author.id,
      });
      pending.notifications(await notify(trx, recipients, {
        type: 'CRS_COMMENTED',
        referenceId: row.id,
        createdAt: at,
        ...crsCommented(author.fullName, crs.title, text),
      }));
      return { ...row, projectId: crs.projectId, teamId: crs.teamId, author: { id: author.id, email: author.email, fullName: author.fullName } };
    });
    ctx.loaders.commentById.prime(comment.id, comment);
    ctx.loaders.commentsByCrsId.clearAll();
    return comment;
  }
}
