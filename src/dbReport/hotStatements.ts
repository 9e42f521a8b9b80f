import { createLoaders } from '../../loaders/createLoaders';
import { notificationsPage } from '../../loaders/notificationsPage';
import { projectsPage } from '../../loaders/pages';
import { loadViewer } from '../../loaders/viewer';
import type { Db } from '../db/database';
import { makeEmbedder } from '../memory/embedder';
import { MemoryStore } from '../memory/memoryStore';
import { OutboxWorker } from '../memory/outboxWorker';
import type { HotStatementParameters } from './hotStatementParameters';

/** A statement the product sends on its hot paths, and the index it is meant to use. */
export interface HotStatement {
  /** What it reads, e.g. "the viewer's memberships". */
  readonly name: string;
  /** The product's function that sends it. */
  readonly source: string;
  /** The key EXPLAIN should show (`PRIMARY` for reads by id); null where, by design, no index serves it. */
  readonly intendedIndex: string | null;
  /** Why no index serves it, when intendedIndex is null. */
  readonly withoutIndexBecause?: string;
  /**
   * Calls the product's function with the parameters, on a Kysely that records what it sends
   * (statementCapture.ts). Sends nothing when the live data has nothing for it.
   */
  send(db: Db, parameters: HotStatementParameters): Promise<unknown>;
}

/** The loaders of one request, as the server creates them. */
const loadersOf = (db: Db) => createLoaders(db, { optimized: true });

/** The seed mix's page sizes (bench/queries.ts): 50 notifications, 50 projects, 20 messages; a nested query's 10 per parent. */
const PAGE = 50;
const MESSAGES_PAGE = 20;
const PER_PARENT = 10;

/**
 * The statements behind the seed's load mix (notifications 3 : projects 2 : chat messages 1),
 * the nested query's by-parent loaders and the memory outbox poll: what the report explains.
 */
export const hotStatements: readonly HotStatement[] = [
  {
    name: "the viewer's memberships",
    source: 'loaders/viewer.ts loadViewer',
    intendedIndex: 'ix_team_members_user_id',
    send: (db, { viewerId }) => (viewerId === null ? Promise.resolve() : loadViewer(db, viewerId)),
  },
  {
    name: 'the first notifications page with the unread count and subjects',
    source: 'loaders/notificationsPage.ts notificationsPage',
    intendedIndex: 'ix_notifications_user_unread',
    send: (db, { notifiedUserId }) =>
      notifiedUserId === null
        ? Promise.resolve()
        : notificationsPage(db, loadersOf(db), { userId: notifiedUserId, unreadOnly: false, first: PAGE, after: null, withUnreadCount: true, withSubjects: true }),
  },
  ...(
    [
      ['projects', 'projects', 'projectById'],
      ['teams', 'teams', 'teamById'],
      ['crs_documents', 'crsDocuments', 'crsById'],
      ['comments', 'comments', 'commentById'],
      ['invitations', 'invitations', 'invitationById'],
    ] as const
  ).map(
    ([table, subjects, loader]): HotStatement => ({
      name: `notification subjects: ${table} by id`,
      source: `loaders/createLoaders.ts ${loader}`,
      intendedIndex: 'PRIMARY',
      send: (db, { subjectIds }) => loadersOf(db)[loader].loadMany(subjectIds[subjects]),
    }),
  ),
  {
    name: 'the projects page',
    source: 'loaders/pages.ts projectsPage',
    intendedIndex: 'ix_projects_team_id',
    send: (db, { viewerTeamIds }) => projectsPage(db, { teamIds: viewerTeamIds, status: null, first: PAGE, after: null }),
  },
  {
    name: 'a chat session by id',
    source: 'loaders/createLoaders.ts chatSessionById',
    intendedIndex: 'PRIMARY',
    send: (db, { chatSessionId }) => (chatSessionId === null ? Promise.resolve() : loadersOf(db).chatSessionById.load(chatSessionId)),
  },
  {
    name: "a chat session's newest messages",
    source: 'loaders/createLoaders.ts messagesBySessionId',
    intendedIndex: 'ix_messages_session_id',
    send: (db, { chatSessionId }) =>
      chatSessionId === null
        ? Promise.resolve()
        : loadersOf(db).messagesBySessionId.load({ sessionId: chatSessionId, first: MESSAGES_PAGE + 1, before: null }),
  },
  {
    name: "nested query: the teams' projects",
    source: 'loaders/createLoaders.ts projectsByTeamId',
    intendedIndex: 'ix_projects_team_id',
    send: (db, { viewerTeamIds }) =>
      loadersOf(db).projectsByTeamId.loadMany(viewerTeamIds.map((teamId) => ({ teamId, status: null, first: PER_PARENT }))),
  },
  {
    name: "nested query: the projects' CRS documents",
    source: 'loaders/createLoaders.ts crsByProjectId',
    intendedIndex: 'ix_crs_documents_project_id',
    send: (db, { projectIds }) =>
      loadersOf(db).crsByProjectId.loadMany(projectIds.map((projectId) => ({ projectId, statuses: null, first: PER_PARENT }))),
  },
  {
    name: "nested query: the CRS documents' comments",
    source: 'loaders/createLoaders.ts commentsByCrsId',
    intendedIndex: 'ix_comments_crs_id',
    send: (db, { crsIds }) => loadersOf(db).commentsByCrsId.loadMany(crsIds.map((parentId) => ({ parentId, first: PER_PARENT }))),
  },
  {
    name: 'the memory outbox poll',
    source: 'src/memory/outboxWorker.ts OutboxWorker.runOnce',
    intendedIndex: 'ix_ai_memory_index_status_lane_updated_at',
    send: (db) => outboxWorkerOver(db).runOnce(),
  },
];

/**
 * An outbox worker over `db` whose embedder and Chroma are never reached: on the recording
 * Kysely its poll finds nothing due, and a batch with nothing due embeds and stores nothing.
 * No Chroma listens on 127.0.0.1:9 (the discard port), so a call would fail rather than write.
 */
function outboxWorkerOver(db: Db): OutboxWorker {
  const embedder = makeEmbedder({
    modelId: 'none',
    dimension: 1,
    embedBatch: () => Promise.reject(new Error('the outbox poll was recorded with nothing due; nothing is embedded')),
  });
  const store = new MemoryStore({ chromaUrl: 'http://127.0.0.1:9', databaseName: 'none', modelId: 'none', dimension: 1 });
  return new OutboxWorker({ db, embedder, store });
}
