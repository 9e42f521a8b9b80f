import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { ProjectRow } from '../../src/db/schema';
import { conflict } from '../../src/errors';
import { activeMemberUnlessActor } from '../../loaders/notificationRecipients';
import { notify } from '../../loaders/notify';
import { insertProject, setProjectStatus } from '../../loaders/projectWrites';
import { parseId } from '../arguments';
import { transactionWithEvents } from '../committedEvents';
import type { GraphQLContext } from '../context';
import { projectReviewed } from '../notificationTexts';
import { CreateProjectInput } from '../types/CreateProjectInput';
import { Project } from '../types/Project';
import { optionalText, requireText } from '../validation';
import { CONTENT_WRITERS, requireTeamRole, TEAM_MANAGERS, writableProject } from '../writeAccess';

@Resolver()
export class ProjectMutationResolver {
  /** Any member but a VIEWER may start a project; it waits in PENDING for an OWNER or ADMIN to review it. */
  @Mutation(() => Project)
  async createProject(
    @Arg('input', () => CreateProjectInput) input: CreateProjectInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProjectRow> {
    const teamId = parseId(input.teamId, 'input.teamId');
    const name = requireText(input.name, 'input.name', 200);
    const description = optionalText(input.description, 'input.description', 2000);
    await requireTeamRole(ctx, { what: 'Team', id: teamId, teamId }, CONTENT_WRITERS, 'creating a project');
    const project = await insertProject(ctx.db, {
      teamId,
      createdBy: await ctx.viewer.userId(),
      name,
      description,
      at: new Date(),
    });
    ctx.loaders.projectById.prime(project.id, project);
    ctx.loaders.projectsByTeamId.clearAll();
    return project;
  }

  /** Repeating the decision a project already has changes nothing and notifies nobody. */
  @Mutation(() => Project, { description: 'OWNER/ADMIN only. Notifies the creator (PROJECT_APPROVED / PROJECT_REJECTED).' })
  async reviewProject(
    @Arg('id', () => ID) id: string,
    @Arg('approve', () => Boolean) approve: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProjectRow> {
    const project = await writableProject(ctx, parseId(id), TEAM_MANAGERS, 'reviewing a project');
    // Reviewing would silently bring an archived project back; a decision on any other status may be revised.
    if (project.status === 'ARCHIVED') throw conflict(`Project ${JSON.stringify(id)} is archived and can no longer be reviewed.`);
    const reviewer = await ctx.viewer.user();
    const status = approve ? 'APPROVED' : 'REJECTED';
    const at = new Date();
    const changed = await transactionWithEvents(ctx, async (trx, pending) => {
      if (!(await setProjectStatus(trx, project.id, status, at))) return false;
      pending.notifications(await notify(trx, await activeMemberUnlessActor(trx, project.teamId, project.createdBy, reviewer.id), {
        type: approve ? 'PROJECT_APPROVED' : 'PROJECT_REJECTED',
        referenceId: project.id,
        createdAt: at,
        ...projectReviewed(reviewer.fullName, project.name, approve),
      }));
      return true;
    });
    // No mutation changes a project but its status, so the row read before plus the status is the row now
    // (unchanged means it already had this status, perhaps set by another reviewer since it was read).
    const reviewed: ProjectRow = changed ? { ...project, status, updatedAt: at } : { ...project, status };
    ctx.loaders.projectById.clear(project.id).prime(project.id, reviewed);
    ctx.loaders.projectsByTeamId.clearAll();
    return reviewed;
  }
}
