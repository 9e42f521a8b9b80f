import type { CrsStatus, ProjectStatus } from '../../db/schema';
import type { TableRows } from '../bulkInsert';
import { days, hours, phases, Timeline, toSqlDateTime } from '../clock';
import { distribute, type ChildRanges } from '../distribute';
import { Random } from '../prng';
import type { Scale } from '../scales';
import { projectDescription, projectName } from '../text/names';
import { crsContent, crsTitle, reviewComment } from '../text/requirements';
import { isDemoTeam, type People } from './people';

export const projectStatuses: readonly ProjectStatus[] = ['PENDING', 'APPROVED', 'REJECTED', 'ARCHIVED'];
export const crsStatuses: readonly CrsStatus[] = ['DRAFT', 'UNDER_REVIEW', 'APPROVED', 'REJECTED'];

const projectStatusWeights = { PENDING: 30, APPROVED: 45, REJECTED: 10, ARCHIVED: 15 } as const;
const crsStatusWeights = { DRAFT: 25, UNDER_REVIEW: 30, APPROVED: 35, REJECTED: 10 } as const;
/** The highest version a document in each status reaches: approved ones went through more rounds. */
const maxVersion: Readonly<Record<CrsStatus, number>> = { DRAFT: 2, UNDER_REVIEW: 3, APPROVED: 6, REJECTED: 4 };

/**
 * Projects, CRS documents and comments. Each level's children have consecutive ids per parent
 * (team → projects → CRS → comments), and the demo teams' share is fixed by the scale.
 */
export interface Work {
  readonly projectsByTeam: ChildRanges;
  readonly projectCreatedBy: Uint32Array;
  readonly projectStatus: readonly ProjectStatus[];
  readonly projectNames: readonly string[];
  readonly projectCreatedAt: Float64Array;
  readonly crsByProject: ChildRanges;
  readonly crsCreatedBy: Uint32Array;
  readonly crsStatus: readonly CrsStatus[];
  readonly crsVersion: Uint8Array;
  readonly crsTitles: readonly string[];
  readonly crsCreatedAt: Float64Array;
  readonly commentsByCrs: ChildRanges;
  readonly commentAuthor: Uint32Array;
}

export function planWork(scale: Scale, people: People): Work {
  const random = Random.forLabel('work');
  const projectsByTeam = distribute(random, scale.teams, scale.projects, (team) =>
    isDemoTeam(team) ? scale.projectsPerDemoTeam : undefined,
  );
  const teamOfProject = (project: number): number => projectsByTeam.parentOf(project);
  const demoProjects = 3 * scale.projectsPerDemoTeam;

  const projectCreatedBy = new Uint32Array(scale.projects + 1);
  const projectStatus: ProjectStatus[] = ['PENDING'];
  const projectNames = [''];
  const projectCreatedAt = new Float64Array(scale.projects + 1);
  const projectClock = new Timeline(random, phases.projects, scale.projects);
  for (let project = 1; project <= scale.projects; project++) {
    projectCreatedBy[project] = random.pick(people.contributors[teamOfProject(project)]!);
    // The first projects (in the demo account's teams) take every status once, so it sees each.
    projectStatus[project] = project <= projectStatuses.length ? projectStatuses[project - 1]! : random.weighted(projectStatusWeights);
    projectNames[project] = projectName(random);
    projectCreatedAt[project] = projectClock.next();
  }

  const crsByProject = distribute(random, scale.projects, scale.crsDocuments, (project) =>
    project <= demoProjects ? scale.crsPerDemoProject : undefined,
  );
  const demoCrs = demoProjects * scale.crsPerDemoProject;
  const crsCreatedBy = new Uint32Array(scale.crsDocuments + 1);
  const crsStatus: CrsStatus[] = ['DRAFT'];
  const crsVersion = new Uint8Array(scale.crsDocuments + 1);
  const crsTitles = [''];
  const crsCreatedAt = new Float64Array(scale.crsDocuments + 1);
  const crsClock = new Timeline(random, phases.crsDocuments, scale.crsDocuments);
  for (let crs = 1; crs <= scale.crsDocuments; crs++) {
    const team = teamOfProject(crsByProject.parentOf(crs));
    crsCreatedBy[crs] = random.pick(people.contributors[team]!);
    // Likewise the first CRS documents (in the demo account's first projects) take every status once.
    const status = crs <= crsStatuses.length ? crsStatuses[crs - 1]! : random.weighted(crsStatusWeights);
    crsStatus[crs] = status;
    crsVersion[crs] = random.between(status === 'APPROVED' ? 2 : 1, maxVersion[status]);
    crsTitles[crs] = crsTitle(random);
    crsCreatedAt[crs] = crsClock.next();
  }

  const commentsByCrs = distribute(random, scale.crsDocuments, scale.comments, (crs) =>
    crs <= demoCrs ? scale.commentsPerDemoCrs : undefined,
  );
  const commentAuthor = new Uint32Array(scale.comments + 1);
  for (let comment = 1; comment <= scale.comments; comment++) {
    const team = teamOfProject(crsByProject.parentOf(commentsByCrs.parentOf(comment)));
    commentAuthor[comment] = random.pick(people.activeMembers[team]!);
  }

  return {
    projectsByTeam,
    projectCreatedBy,
    projectStatus,
    projectNames,
    projectCreatedAt,
    crsByProject,
    crsCreatedBy,
    crsStatus,
    crsVersion,
    crsTitles,
    crsCreatedAt,
    commentsByCrs,
    commentAuthor,
  };
}

export function teamOfCrs(work: Work, crs: number): number {
  return work.projectsByTeam.parentOf(work.crsByProject.parentOf(crs));
}

export function projectsRows(work: Work): TableRows {
  return {
    table: 'projects',
    columns: ['id', 'team_id', 'created_by', 'name', 'description', 'status', 'created_at', 'updated_at'],
    *rows() {
      const random = Random.forLabel('projects:text');
      for (let id = 1; id < work.projectNames.length; id++) {
        const name = work.projectNames[id]!;
        const description = random.chance(0.9) ? projectDescription(random, name) : null;
        const createdAt = work.projectCreatedAt[id]!;
        const updatedAt = work.projectStatus[id] === 'PENDING' && random.chance(0.5) ? createdAt : createdAt + random.between(hours(1), days(30));
        yield [id, work.projectsByTeam.parentOf(id), work.projectCreatedBy[id]!, name, description, work.projectStatus[id]!, toSqlDateTime(createdAt), toSqlDateTime(updatedAt)];
      }
    },
  };
}

export function crsDocumentsRows(work: Work): TableRows {
  return {
    table: 'crs_documents',
    columns: ['id', 'project_id', 'created_by', 'title', 'content', 'status', 'version', 'created_at', 'updated_at'],
    *rows() {
      const random = Random.forLabel('crs_documents:text');
      for (let id = 1; id < work.crsTitles.length; id++) {
        const project = work.crsByProject.parentOf(id);
        const title = work.crsTitles[id]!;
        const version = work.crsVersion[id]!;
        const createdAt = work.crsCreatedAt[id]!;
        const updatedAt = version === 1 && random.chance(0.5) ? createdAt : createdAt + version * random.between(hours(2), days(4));
        yield [
          id, project, work.crsCreatedBy[id]!, title, crsContent(random, title, work.projectNames[project]!),
          work.crsStatus[id]!, version, toSqlDateTime(createdAt), toSqlDateTime(updatedAt),
        ];
      }
    },
  };
}

export function commentsRows(work: Work, people: People, count: number): TableRows {
  return {
    table: 'comments',
    columns: ['id', 'crs_id', 'author_id', 'content', 'created_at'],
    *rows() {
      const random = Random.forLabel('comments:text');
      const clock = new Timeline(random, phases.comments, count, 0.01);
      for (let id = 1; id <= count; id++) {
        const crs = work.commentsByCrs.parentOf(id);
        const author = work.commentAuthor[id]!;
        const mention = random.chance(0.15) ? pickOther(random, people.activeMembers[teamOfCrs(work, crs)]!, author) : undefined;
        const content = reviewComment(random, mention === undefined ? undefined : people.names[mention]!.first);
        yield [id, crs, author, content, toSqlDateTime(clock.next())];
      }
    },
  };
}

function pickOther(random: Random, members: readonly number[], self: number): number | undefined {
  const others = members.filter((member) => member !== self);
  return others.length === 0 ? undefined : random.pick(others);
}
