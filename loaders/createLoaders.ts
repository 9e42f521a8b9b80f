import DataLoader from 'dataloader';
import { sql } from 'kysely';
import type { Db } from '../src/db/database';
import type {
  ChatSessionRow,
  CommentRow,
  CrsRow,
  InvitationRow,
  MessageRow,
  ProjectRow,
  TeamRow,
  UserRow,
} from '../src/db/schema';
import { batchByArguments, firstPerParent, groupByKeys, orderByKeys } from './batch';
import type {
  ByParentKey,
  ChatSessionWithTeam,
  CommentWithAuthor,
  CommentWithTeam,
  CrsByProjectKey,
  CrsWithTeam,
  InvitationsByTeamKey,
  MessagesBySessionKey,
  MessageWithTeam,
  ProjectsByTeamKey,
  TeamMemberEntry,
  UserSummary,
} from './rows';

/**
 * The per-request loaders. Created for each request, never shared between requests or users:
 * their caches hold rows one viewer was allowed to read.
 */
export interface Loaders {
  userById: DataLoader<number, UserRow | null>;
  teamById: DataLoader<number, TeamRow | null>;
  projectById: DataLoader<number, ProjectRow | null>;
  crsById: DataLoader<number, CrsWithTeam | null>;
  commentById: DataLoader<number, CommentWithTeam | null>;
  invitationById: DataLoader<number, InvitationRow | null>;
  chatSessionById: DataLoader<number, ChatSessionWithTeam | null>;
  messageById: DataLoader<number, MessageWithTeam | null>;
  /** Active members of a team, oldest membership first. */
  membersByTeamId: DataLoader<ByParentKey, TeamMemberEntry[], string>;
  /** Team ids a user is an active member of. */
  teamIdsByUserId: DataLoader<number, number[]>;
  /** A team's projects, newest first. */
  projectsByTeamId: DataLoader<ProjectsByTeamKey, ProjectRow[], string>;
  /** A project's CRS documents, newest first. */
  crsByProjectId: DataLoader<CrsByProjectKey, CrsRow[], string>;
  /** A CRS document's comments, oldest first, each with its author. */
  commentsByCrsId: DataLoader<ByParentKey, CommentWithAuthor[], string>;
  /** A project's chat sessions, newest first. */
  chatSessionsByProjectId: DataLoader<ByParentKey, ChatSessionRow[], string>;
  /** A session's messages, newest first, from a keyset position. */
  messagesBySessionId: DataLoader<MessagesBySessionKey, MessageRow[], string>;
  /** A team's invitations, newest first. */
  invitationsByTeamId: DataLoader<InvitationsByTeamKey, InvitationRow[], string>;
}

export interface LoaderOptions {
  /**
   * true: batch every tick's keys into one IN-query and cache per request.
   * false: one query per call, no cache (the performance guide's "before", for comparison).
   */
  optimized: boolean;
  /** Told the size of every batch a loader runs (for the batch-size histogram). */
  onBatch?: (loader: keyof Loaders, size: number) => void;
}

/** Creates the loaders of one request. */
export function createLoaders(db: Db, options: LoaderOptions): Loaders {
  const { optimized, onBatch } = options;

  function loader<K, V, C = K>(
    name: keyof Loaders,
    batch: (keys: readonly K[]) => Promise<V[]>,
    cacheKeyFn?: (key: K) => C,
  ): DataLoader<K, V, C> {
    const observed = onBatch
      ? (keys: readonly K[]) => {
          onBatch(name, keys.length);
          return batch(keys);
        }
      : batch;
    return new DataLoader<K, V, C>(observed, {
      batch: optimized,
      cache: optimized,
      cacheKeyFn,
      name,
    });
  }

  const byId = <R extends { id: number }>(name: keyof Loaders, fetch: (ids: readonly number[]) => Promise<R[]>) =>
    loader<number, R | null>(name, async (ids) => orderByKeys(ids, await fetch(ids), (row) => row.id));

  return {
    userById: byId('userById', (ids) => db.selectFrom('users').selectAll().where('id', 'in', ids).execute()),
    teamById: byId('teamById', (ids) => db.selectFrom('teams').selectAll().where('id', 'in', ids).execute()),
    projectById: byId('projectById', (ids) => db.selectFrom('projects').selectAll().where('id', 'in', ids).execute()),
    invitationById: byId('invitationById', (ids) =>
      db.selectFrom('invitations').selectAll().where('id', 'in', ids).execute(),
    ),
    crsById: byId('crsById', (ids) =>
      db
        .selectFrom('crsDocuments as c')
        .innerJoin('projects as p', 'p.id', 'c.projectId')
        .selectAll('c')
        .select('p.teamId')
        .where('c.id', 'in', ids)
        .execute(),
    ),
    commentById: byId('commentById', async (ids) =>
      withAuthors(
        await db
          .selectFrom('comments as m')
          .innerJoin('crsDocuments as c', 'c.id', 'm.crsId')
          .innerJoin('projects as p', 'p.id', 'c.projectId')
          .innerJoin('users as u', 'u.id', 'm.authorId')
          .selectAll('m')
          .select(['c.projectId', 'p.teamId', 'u.email as authorEmail', 'u.fullName as authorFullName'])
          .where('m.id', 'in', ids)
          .execute(),
      ),
    ),
    chatSessionById: byId('chatSessionById', (ids) =>
      db
        .selectFrom('chatSessions as s')
        .innerJoin('projects as p', 'p.id', 's.projectId')
        .selectAll('s')
        .select('p.teamId')
        .where('s.id', 'in', ids)
        .execute(),
    ),
    messageById: byId('messageById', (ids) =>
      db
        .selectFrom('messages as m')
        .innerJoin('chatSessions as s', 's.id', 'm.sessionId')
        .innerJoin('projects as p', 'p.id', 's.projectId')
        .selectAll('m')
        .select(['s.projectId', 'p.teamId'])
        .where('m.id', 'in', ids)
        .execute(),
    ),

    teamIdsByUserId: loader('teamIdsByUserId', async (userIds) => {
      const rows = await db
        .selectFrom('teamMembers')
        .select(['userId', 'teamId'])
        .where('userId', 'in', userIds)
        .where('isActive', '=', 1)
        .orderBy('teamId')
        .execute();
      return groupByKeys(userIds, rows, (row) => row.userId).map((group) => group.map((row) => row.teamId));
    }),

    membersByTeamId: loader(
      'membersByTeamId',
      (keys) =>
        batchByArguments(keys, (key) => String(key.first), async (group) => {
          const teamIds = group.map((key) => key.parentId);
          const rows = await firstPerParent<TeamMemberEntry>(db, {
            table: 'team_members',
            parentColumn: 'team_id',
            parentIds: teamIds,
            limit: group[0].first,
            columns: sql`t.team_id, t.user_id, t.role, t.joined_at`,
            where: sql`t.is_active = 1`,
            orderBy: sql`t.joined_at, t.id`,
          });
          return groupByKeys(teamIds, rows, (row) => row.teamId);
        }),
      (key) => `${key.parentId}:${key.first}`,
    ),

    projectsByTeamId: loader(
      'projectsByTeamId',
      (keys) =>
        batchByArguments(keys, (key) => `${key.status}:${key.first}`, async (group) => {
          const teamIds = group.map((key) => key.teamId);
          const { status, first } = group[0];
          const rows = await firstPerParent<ProjectRow>(db, {
            table: 'projects',
            parentColumn: 'team_id',
            parentIds: teamIds,
            limit: first,
            where: status ? sql`t.status = ${status}` : undefined,
            orderBy: sql`t.created_at DESC, t.id DESC`,
          });
          return groupByKeys(teamIds, rows, (row) => row.teamId);
        }),
      (key) => `${key.teamId}:${key.status}:${key.first}`,
    ),

    crsByProjectId: loader(
      'crsByProjectId',
      (keys) =>
        batchByArguments(keys, (key) => `${key.statuses?.join(',')}:${key.first}`, async (group) => {
          const projectIds = group.map((key) => key.projectId);
          const { statuses, first } = group[0];
          if (statuses && statuses.length === 0) return projectIds.map(() => []);
          const rows = await firstPerParent<CrsRow>(db, {
            table: 'crs_documents',
            parentColumn: 'project_id',
            parentIds: projectIds,
            limit: first,
            where: statuses ? sql`t.status IN (${sql.join(statuses)})` : undefined,
            orderBy: sql`t.created_at DESC, t.id DESC`,
          });
          return groupByKeys(projectIds, rows, (row) => row.projectId);
        }),
      (key) => `${key.projectId}:${key.statuses?.join(',')}:${key.first}`,
    ),

    commentsByCrsId: loader(
      'commentsByCrsId',
      (keys) =>
        batchByArguments(keys, (key) => String(key.first), async (group) => {
          const crsIds = group.map((key) => key.parentId);
          const query = { table: 'comments', parentColumn: 'crs_id', parentIds: crsIds, limit: group[0].first, orderBy: sql`t.created_at, t.id` };
          if (!optimized) return [await withAuthorsOneByOne(db, await firstPerParent<CommentRow>(db, query))];
          const rows = await firstPerParent<CommentRow & AuthorColumns>(db, {
            ...query,
            // camelCase aliases: the rows need no renaming copy (src/db/camelCaseRows.ts); every column of comments.
            columns: sql`t.id, t.crs_id AS crsId, t.author_id AS authorId, t.content, t.created_at AS createdAt,
              u.email AS authorEmail, u.full_name AS authorFullName`,
            join: sql`JOIN users u ON u.id = t.author_id`,
          });
          return groupByKeys(crsIds, withAuthors(rows), (row) => row.crsId);
        }),
      (key) => `${key.parentId}:${key.first}`,
    ),

    chatSessionsByProjectId: loader(
      'chatSessionsByProjectId',
      (keys) =>
        batchByArguments(keys, (key) => String(key.first), async (group) => {
          const projectIds = group.map((key) => key.parentId);
          const rows = await firstPerParent<ChatSessionRow>(db, {
            table: 'chat_sessions',
            parentColumn: 'project_id',
            parentIds: projectIds,
            limit: group[0].first,
            orderBy: sql`t.started_at DESC, t.id DESC`,
          });
          return groupByKeys(projectIds, rows, (row) => row.projectId);
        }),
      (key) => `${key.parentId}:${key.first}`,
    ),

    messagesBySessionId: loader(
      'messagesBySessionId',
      (keys) =>
        batchByArguments(
          keys,
          (key) => `${key.first}:${key.before?.time.getTime()}:${key.before?.id}`,
          async (group) => {
            const sessionIds = group.map((key) => key.sessionId);
            const { first, before } = group[0];
            const rows = await firstPerParent<MessageRow>(db, {
              table: 'messages',
              parentColumn: 'session_id',
              parentIds: sessionIds,
              limit: first,
              where: before
                ? sql`(t.timestamp < ${before.time} OR (t.timestamp = ${before.time} AND t.id < ${before.id}))`
                : undefined,
              orderBy: sql`t.timestamp DESC, t.id DESC`,
            });
            return groupByKeys(sessionIds, rows, (row) => row.sessionId);
          },
        ),
      (key) => `${key.sessionId}:${key.first}:${key.before?.time.getTime()}:${key.before?.id}`,
    ),

    invitationsByTeamId: loader(
      'invitationsByTeamId',
      (keys) =>
        batchByArguments(keys, (key) => `${key.status}:${key.first}`, async (group) => {
          const teamIds = group.map((key) => key.teamId);
          const { status, first } = group[0];
          const rows = await firstPerParent<InvitationRow>(db, {
            table: 'invitations',
            parentColumn: 'team_id',
            parentIds: teamIds,
            limit: first,
            where: status ? invitationStatusCondition(status) : undefined,
            orderBy: sql`t.created_at DESC, t.id DESC`,
          });
          return groupByKeys(teamIds, rows, (row) => row.teamId);
        }),
      (key) => `${key.teamId}:${key.status}:${key.first}`,
    ),
  };
}

/**
 * An invitation whose expiry has passed while PENDING counts as EXPIRED, whatever its row says,
 * so filters by status look at the expiry too (alias `t`).
 */
export function invitationStatusCondition(status: string) {
  if (status === 'PENDING') return sql`t.status = 'PENDING' AND t.expires_at > UTC_TIMESTAMP(3)`;
  if (status === 'EXPIRED') return sql`(t.status = 'EXPIRED' OR (t.status = 'PENDING' AND t.expires_at <= UTC_TIMESTAMP(3)))`;
  return sql`t.status = ${status}`;
}

interface AuthorColumns {
  authorEmail: string;
  authorFullName: string;
}

/**
 * The performance guide's "before" (USE_OPTIMIZED_QUERIES=false): a comment's author is a
 * relation like any other, so it costs one statement per comment, as a resolver per field would
 * (the comments' statements run side by side, as graphql-js runs sibling resolvers).
 */
async function withAuthorsOneByOne(db: Db, rows: CommentRow[]): Promise<CommentWithAuthor[]> {
  return Promise.all(
    rows.map(async (row) => {
      const author = await db.selectFrom('users').select(['id', 'email', 'fullName']).where('id', '=', row.authorId).executeTakeFirstOrThrow();
      return { ...row, author };
    }),
  );
}

/** Gives each comment its author; comments by the same user share one object. */
function withAuthors<R extends CommentRow & AuthorColumns>(rows: R[]): (R & CommentWithAuthor)[] {
  const authors = new Map<number, UserSummary>();
  return rows.map((row) => {
    let author = authors.get(row.authorId);
    if (!author) authors.set(row.authorId, (author = { id: row.authorId, email: row.authorEmail, fullName: row.authorFullName }));
    const withAuthor = row as R & CommentWithAuthor;
    withAuthor.author = author;
    return withAuthor;
  });
}
