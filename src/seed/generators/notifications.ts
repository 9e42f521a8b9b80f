import type { NotificationType, ProjectStatus } from '../../db/schema';
import type { SqlValue, TableRows } from '../bulkInsert';
import { phases, Timeline, toSqlDateTime } from '../clock';
import { Random } from '../prng';
import type { Scale } from '../scales';
import type { Invitations } from './invitations';
import { demoAccount, fullName, type People } from './people';
import type { Work } from './work';

export const notificationTypes: readonly NotificationType[] = [
  'PROJECT_APPROVED', 'PROJECT_REJECTED', 'TEAM_INVITATION', 'CRS_CREATED',
  'CRS_STATUS_CHANGED', 'CRS_COMMENTED', 'MENTION', 'SYSTEM',
];

/** The table each type's reference_id points into. */
export const notificationReferences: Readonly<Record<NotificationType, string>> = Object.freeze({
  PROJECT_APPROVED: 'projects',
  PROJECT_REJECTED: 'projects',
  TEAM_INVITATION: 'invitations',
  CRS_CREATED: 'crs_documents',
  CRS_STATUS_CHANGED: 'crs_documents',
  CRS_COMMENTED: 'comments',
  MENTION: 'comments',
  SYSTEM: 'teams',
});

const typeWeights: Readonly<Record<NotificationType, number>> = {
  PROJECT_APPROVED: 10, PROJECT_REJECTED: 5, TEAM_INVITATION: 8, CRS_CREATED: 15,
  CRS_STATUS_CHANGED: 15, CRS_COMMENTED: 25, MENTION: 12, SYSTEM: 10,
};
const attempts = 10;
const statusWords = { DRAFT: 'a draft again', UNDER_REVIEW: 'under review', APPROVED: 'approved', REJECTED: 'rejected' } as const;

interface Message {
  readonly referenceId: number;
  readonly title: string;
  readonly message: string;
}

/**
 * Notifications about rows of the recipient's own teams (or invitations addressed to it).
 * The demo account's first eight take every type once; older notifications are more often read.
 */
export function notificationsRows(scale: Scale, people: People, work: Work, invitations: Invitations): TableRows {
  return {
    table: 'notifications',
    columns: ['id', 'user_id', 'type', 'reference_id', 'title', 'message', 'is_read', 'created_at'],
    *rows(): Generator<readonly SqlValue[]> {
      const random = Random.forLabel('notifications');
      const writer = new NotificationWriter(random, people, work, invitations);
      const recipients = chooseRecipients(random, scale, people);
      const clock = new Timeline(random, phases.notifications, scale.notifications, 0.03);
      let demoTypesGiven = 0;
      for (let id = 1; id <= scale.notifications; id++) {
        const userId = recipients[id - 1]!;
        const wanted = userId === demoAccount.id && demoTypesGiven < notificationTypes.length
          ? notificationTypes[demoTypesGiven++]!
          : random.weighted(typeWeights);
        let type = wanted;
        let content = writer.write(type, userId);
        if (content === undefined) {
          type = 'SYSTEM';
          content = writer.write(type, userId)!;
        }
        const isRead = random.chance(0.85 - (0.6 * id) / scale.notifications) ? 1 : 0;
        yield [id, userId, type, content.referenceId, content.title, content.message, isRead, toSqlDateTime(clock.next())];
      }
    },
  };
}

/** `demoNotifications` for the demo account, the rest over users with an active membership, in random order. */
function chooseRecipients(random: Random, scale: Scale, people: People): number[] {
  const eligible: number[] = [];
  for (let userId = 2; userId <= people.userCount; userId++) {
    if (people.activeTeams[userId]!.length > 0) eligible.push(userId);
  }
  const recipients = Array.from({ length: scale.notifications }, (_, i) =>
    i < scale.demoNotifications ? demoAccount.id : random.pick(eligible),
  );
  return random.shuffle(recipients);
}

class NotificationWriter {
  readonly #random: Random;
  readonly #people: People;
  readonly #work: Work;
  readonly #invitations: Invitations;

  constructor(random: Random, people: People, work: Work, invitations: Invitations) {
    this.#random = random;
    this.#people = people;
    this.#work = work;
    this.#invitations = invitations;
  }

  /** The notification of `type` for `userId`, or undefined when nothing of that kind concerns the user. */
  write(type: NotificationType, userId: number): Message | undefined {
    const work = this.#work;
    const people = this.#people;
    switch (type) {
      case 'PROJECT_APPROVED':
      case 'PROJECT_REJECTED': {
        const project = this.#projectWithStatus(userId, type === 'PROJECT_APPROVED' ? 'APPROVED' : 'REJECTED');
        if (project === undefined) return undefined;
        const name = work.projectNames[project]!;
        return type === 'PROJECT_APPROVED'
          ? { referenceId: project, title: 'Project approved', message: `"${name}" was approved. You can start writing CRS documents.` }
          : { referenceId: project, title: 'Project rejected', message: `"${name}" was rejected. See the review notes for the reasons.` };
      }
      case 'TEAM_INVITATION': {
        const ids = this.#invitations.byInvitee.get(userId);
        if (ids === undefined) return undefined;
        const id = this.#random.pick(ids);
        const invitation = this.#invitations.list[id]!;
        const inviter = fullName(people.names[invitation.invitedBy]!);
        const team = people.teamNames[invitation.teamId]!;
        return { referenceId: id, title: 'Team invitation', message: `${inviter} invited you to join ${team} as ${invitation.role.toLowerCase()}.` };
      }
      case 'CRS_CREATED':
      case 'CRS_STATUS_CHANGED': {
        const crs = this.#crsOf(userId, type === 'CRS_CREATED');
        if (crs === undefined) return undefined;
        const title = work.crsTitles[crs]!;
        return type === 'CRS_CREATED'
          ? { referenceId: crs, title: 'New CRS document', message: `${fullName(people.names[work.crsCreatedBy[crs]!]!)} created "${title}" in ${work.projectNames[work.crsByProject.parentOf(crs)]}.` }
          : { referenceId: crs, title: 'CRS status changed', message: `"${title}" is now ${statusWords[work.crsStatus[crs]!]} (version ${work.crsVersion[crs]}).` };
      }
      case 'CRS_COMMENTED':
      case 'MENTION': {
        const comment = this.#commentFor(userId);
        if (comment === undefined) return undefined;
        const author = fullName(people.names[work.commentAuthor[comment]!]!);
        const title = work.crsTitles[work.commentsByCrs.parentOf(comment)]!;
        return type === 'CRS_COMMENTED'
          ? { referenceId: comment, title: 'New comment', message: `${author} commented on "${title}".` }
          : { referenceId: comment, title: 'You were mentioned', message: `${author} mentioned you in a comment on "${title}".` };
      }
      case 'SYSTEM': {
        const teams = people.activeTeams[userId]!;
        if (teams.length === 0) return undefined;
        const team = this.#random.pick(teams);
        const name = people.teamNames[team]!;
        return this.#random.pick([
          { referenceId: team, title: 'Welcome', message: `Welcome to ${name}. Start by reading the team's approved CRS documents.` },
          { referenceId: team, title: 'Scheduled maintenance', message: `${name}: the workspace is read-only on Sunday from 02:00 to 04:00 UTC.` },
          { referenceId: team, title: 'Team update', message: `${name} now has ${work.projectsByTeam.count(team)} projects.` },
          { referenceId: team, title: 'AI memory ready', message: `The assistant has indexed the documents of ${name}; ask it about past decisions.` },
        ]);
      }
    }
  }

  #projectWithStatus(userId: number, status: ProjectStatus): number | undefined {
    const candidates: number[] = [];
    for (const team of this.#people.activeTeams[userId]!) {
      const first = this.#work.projectsByTeam.first(team);
      for (let project = first; project < first + this.#work.projectsByTeam.count(team); project++) {
        if (this.#work.projectStatus[project] === status) candidates.push(project);
      }
    }
    return candidates.length === 0 ? undefined : this.#random.pick(candidates);
  }

  /** A CRS of the user's teams (written by someone else, when `byOthers`). */
  #crsOf(userId: number, byOthers = false): number | undefined {
    const teams = this.#people.activeTeams[userId]!;
    if (teams.length === 0) return undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const project = this.#work.projectsByTeam.pickChild(this.#random, this.#random.pick(teams));
      const crs = project === undefined ? undefined : this.#work.crsByProject.pickChild(this.#random, project);
      if (crs !== undefined && !(byOthers && this.#work.crsCreatedBy[crs] === userId)) return crs;
    }
    return undefined;
  }

  /** A comment by someone else on a CRS of the user's teams. */
  #commentFor(userId: number): number | undefined {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const crs = this.#crsOf(userId);
      const comment = crs === undefined ? undefined : this.#work.commentsByCrs.pickChild(this.#random, crs);
      if (comment !== undefined && this.#work.commentAuthor[comment] !== userId) return comment;
    }
    return undefined;
  }
}
