import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Db } from '../../src/db/database';
import type { CrsStatus as CrsStatusValue } from '../../src/db/schema';
import { conflict, notFound } from '../../src/errors';
import { crsMemoryText } from '../../src/memory/memorySources';
import { enqueueMemory } from '../../src/memory/outbox';
import { crsAfterWrite, insertCrs, updateCrsContent, updateCrsStatus } from '../../loaders/crsWrites';
import { activeMemberUnlessActor, otherActiveMemberIds } from '../../loaders/notificationRecipients';
import { notify } from '../../loaders/notify';
import type { CrsWithTeam } from '../../loaders/rows';
import { parseId } from '../arguments';
import { transactionWithEvents } from '../committedEvents';
import type { GraphQLContext } from '../context';
import { crsCreated, crsStatusChanged } from '../notificationTexts';
import { CreateCrsInput } from '../types/CreateCrsInput';
import { CrsDocument } from '../types/CrsDocument';
import { CrsStatus } from '../types/enums';
import { UpdateCrsInput } from '../types/UpdateCrsInput';
import { requireContent, requireText, requireVersion } from '../validation';
import { CONTENT_WRITERS, writableCrs, writableProject } from '../writeAccess';

/**
 * CRS documents: any member but a VIEWER may create them, edit their content and set their
 * status (the review workflow lives in the status, not in the role). Each write commits with
 * its notifications and its memory outbox row, or not at all.
 */
@Resolver()
export class CrsMutationResolver {
  @Mutation(() => CrsDocument, {
    description: 'Notifies the other active members of the team (CRS_CREATED) and indexes the text into memory.',
  })
  async createCrsDocument(
    @Arg('input', () => CreateCrsInput) input: CreateCrsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CrsWithTeam> {
    const projectId = parseId(input.projectId, 'input.projectId');
    const title = requireText(input.title, 'input.title', 300);
    const content = requireContent(input.content, 'input.content');
    const project = await writableProject(ctx, projectId, CONTENT_WRITERS, 'creating a CRS document');
    const author = await ctx.viewer.user();
    const at = new Date();
    const crs = await transactionWithEvents(ctx, async (trx, pending) => {
      const row = await insertCrs(trx, { projectId, createdBy: author.id, title, content, at });
      await enqueueMemory(trx, [{ projectId, sourceType: 'CRS', sourceId: row.id, text: crsMemoryText(row.title, row.content) }], 'live');
      pending.notifications(await notify(trx, await otherActiveMemberIds(trx, project.teamId, author.id), {
        type: 'CRS_CREATED',
        referenceId: row.id,
        createdAt: at,
        ...crsCreated(author.fullName, title, project.name),
      }));
      return { ...row, teamId: project.teamId };
    });
    ctx.loaders.crsById.prime(crs.id, crs);
    ctx.loaders.crsByProjectId.clearAll();
    return crs;
  }

  @Mutation(() => CrsDocument, { description: 'CONFLICT when expectedVersion is not the current version.' })
  async updateCrsDocument(
    @Arg('input', () => UpdateCrsInput) input: UpdateCrsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CrsWithTeam> {
    const id = parseId(input.id, 'input.id');
    const content = requireContent(input.content, 'input.content');
    const expectedVersion = requireVersion(input.expectedVersion, 'input.expectedVersion');
    await writableCrs(ctx, id, 'editing a CRS document');
    const crs = await ctx.db.transaction().execute(async (trx) => {
      if (!(await updateCrsContent(trx, { id, content, expectedVersion, at: new Date() }))) {
        throw conflict(
          `input.expectedVersion: CRS document ${JSON.stringify(input.id)} is no longer at version ${expectedVersion}; ` +
            'read it again, re-apply your change and send the version you read.',
        );
      }
      const row = await rowAfterWrite(trx, id);
      await enqueueMemory(trx, [{ projectId: row.projectId, sourceType: 'CRS', sourceId: id, text: crsMemoryText(row.title, row.content) }], 'live');
      return row;
    });
    ctx.loaders.crsById.clear(id).prime(id, crs);
    ctx.loaders.crsByProjectId.clearAll();
    return crs;
  }

  /** Setting the status a document already has changes nothing and notifies nobody. */
  @Mutation(() => CrsDocument, { description: 'Notifies the creator (CRS_STATUS_CHANGED).' })
  async setCrsStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => CrsStatus) status: CrsStatusValue,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CrsWithTeam> {
    const crsId = parseId(id);
    await writableCrs(ctx, crsId, 'changing the status of a CRS document');
    const actor = await ctx.viewer.user();
    const at = new Date();
    const crs = await transactionWithEvents(ctx, async (trx, pending) => {
      const changed = await updateCrsStatus(trx, { id: crsId, status, at });
      const row = await rowAfterWrite(trx, crsId);
      if (changed) {
        pending.notifications(await notify(trx, await activeMemberUnlessActor(trx, row.teamId, row.createdBy, actor.id), {
          type: 'CRS_STATUS_CHANGED',
          referenceId: crsId,
          createdAt: at,
          ...crsStatusChanged(actor.fullName, row.title, status),
        }));
      }
      return row;
    });
    ctx.loaders.crsById.clear(crsId).prime(crsId, crs);
    ctx.loaders.crsByProjectId.clearAll();
    return crs;
  }
}

/** The row as this transaction left it; NOT_FOUND if it was deleted since the access check. */
async function rowAfterWrite(trx: Db, id: number): Promise<CrsWithTeam> {
  const row = await crsAfterWrite(trx, id);
  if (!row) throw notFound('CRS document', id);
  return row;
}
