import type { TableRows } from './bulkInsert';
import { chatSessionsRows, messagesRows, planChat, type Chat } from './generators/chat';
import { invitationsRows, planInvitations, type Invitations } from './generators/invitations';
import { notificationsRows } from './generators/notifications';
import { planPeople, teamMembersRows, teamsRows, usersRows, type People } from './generators/people';
import { commentsRows, crsDocumentsRows, planWork, projectsRows, type Work } from './generators/work';
import { scales, type Scale, type ScaleName } from './scales';

/**
 * Everything the generated rows refer to (ids, parents, owners, statuses, names, times), decided
 * before any row is written, so every foreign key is known without reading anything back.
 * Long texts (CRS bodies, comments, messages, notifications) are made as the rows are written.
 */
export interface World {
  readonly scaleName: ScaleName;
  readonly scale: Scale;
  readonly people: People;
  readonly work: Work;
  readonly invitations: Invitations;
  readonly chat: Chat;
}

export function planWorld(scaleName: ScaleName): World {
  const scale = scales[scaleName];
  const people = planPeople(scale);
  const work = planWork(scale, people);
  return {
    scaleName,
    scale,
    people,
    work,
    invitations: planInvitations(scale, people),
    chat: planChat(scale, people, work),
  };
}

/** The rows of every seeded table but ai_memory_index (the indexer's), parents first. */
export function worldRows(world: World, passwordHash: string): TableRows[] {
  const { scale, people, work, invitations, chat } = world;
  return [
    usersRows(people, passwordHash),
    teamsRows(people),
    teamMembersRows(people),
    projectsRows(work),
    crsDocumentsRows(work),
    commentsRows(work, people, scale.comments),
    invitationsRows(invitations, world.scaleName),
    chatSessionsRows(chat),
    messagesRows(chat),
    notificationsRows(scale, people, work, invitations),
  ];
}
