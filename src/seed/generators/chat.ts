import type { TableRows } from '../bulkInsert';
import { minutes, phases, Timeline, toSqlDateTime } from '../clock';
import { distribute, type ChildRanges } from '../distribute';
import { Random } from '../prng';
import type { Scale } from '../scales';
import { assistantMessage, sessionName, userMessage } from '../text/conversation';
import { demoAccount, type People } from './people';
import type { Work } from './work';

/** Share of messages stamped with the very millisecond of the one before (keyset tie-breaks). */
const tieRate = 0.08;

/** Chat sessions per project (the first of each demo-team project is the demo account's) and their messages. */
export interface Chat {
  readonly sessionsByProject: ChildRanges;
  readonly sessionUser: Uint32Array;
  readonly sessionTopic: readonly string[];
  readonly sessionStartedAt: Float64Array;
  readonly messagesBySession: ChildRanges;
}

export function planChat(scale: Scale, people: People, work: Work): Chat {
  const random = Random.forLabel('chat');
  const demoProjects = 3 * scale.projectsPerDemoTeam;
  const sessionsByProject = distribute(random, scale.projects, scale.chatSessions, (project) =>
    project <= demoProjects ? scale.sessionsPerDemoProject : undefined,
  );
  const sessionUser = new Uint32Array(scale.chatSessions + 1);
  const sessionTopic = [''];
  const sessionStartedAt = new Float64Array(scale.chatSessions + 1);
  const clock = new Timeline(random, phases.chatSessions, scale.chatSessions);
  for (let session = 1; session <= scale.chatSessions; session++) {
    const project = sessionsByProject.parentOf(session);
    const firstOfDemoProject = project <= demoProjects && session === sessionsByProject.first(project);
    sessionUser[session] = firstOfDemoProject
      ? demoAccount.id
      : random.pick(people.activeMembers[work.projectsByTeam.parentOf(project)]!);
    const crs = work.crsByProject.pickChild(random, project);
    sessionTopic[session] = crs === undefined ? work.projectNames[project]! : work.crsTitles[crs]!;
    sessionStartedAt[session] = clock.next();
  }
  const messagesBySession = distribute(random, scale.chatSessions, scale.messages, () => undefined);
  return { sessionsByProject, sessionUser, sessionTopic, sessionStartedAt, messagesBySession };
}

export function chatSessionsRows(chat: Chat): TableRows {
  return {
    table: 'chat_sessions',
    columns: ['id', 'project_id', 'user_id', 'name', 'started_at'],
    *rows() {
      const random = Random.forLabel('chat_sessions:text');
      for (let id = 1; id < chat.sessionTopic.length; id++) {
        yield [id, chat.sessionsByProject.parentOf(id), chat.sessionUser[id]!, sessionName(random, chat.sessionTopic[id]!), toSqlDateTime(chat.sessionStartedAt[id]!)];
      }
    },
  };
}

/** Each session's messages alternate USER (sender_id = the session's user) and AI (sender_id NULL). */
export function messagesRows(chat: Chat): TableRows {
  return {
    table: 'messages',
    columns: ['id', 'session_id', 'sender_type', 'sender_id', 'content', 'timestamp'],
    *rows() {
      const random = Random.forLabel('messages:text');
      for (let session = 1; session < chat.sessionTopic.length; session++) {
        const topic = chat.sessionTopic[session]!;
        let timestamp = chat.sessionStartedAt[session]! + random.between(5_000, 60_000);
        for (let turn = 0; turn < chat.messagesBySession.count(session); turn++) {
          const id = chat.messagesBySession.first(session) + turn;
          const fromUser = turn % 2 === 0;
          if (turn > 0 && !random.chance(tieRate)) {
            timestamp += fromUser ? random.between(20_000, minutes(15)) : random.between(1_500, 20_000);
          }
          yield fromUser
            ? [id, session, 'USER', chat.sessionUser[session]!, userMessage(random, topic, turn === 0), toSqlDateTime(timestamp)]
            : [id, session, 'AI', null, assistantMessage(random, topic), toSqlDateTime(timestamp)];
        }
      }
    },
  };
}
