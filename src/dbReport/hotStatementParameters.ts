import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';

/** Values from the live data that the hot statements are explained with: the busiest of each kind. */
export interface HotStatementParameters {
  /** The user with the most active memberships; null when there are none. */
  readonly viewerId: number | null;
  /** That user's active teams, by id. */
  readonly viewerTeamIds: readonly number[];
  /** The user with the most notifications; null when there are none. */
  readonly notifiedUserId: number | null;
  /** The chat session with the most messages; null when there are none. */
  readonly chatSessionId: number | null;
  /** Up to 10 of the newest projects of the viewer's teams: the parents of a nested query's CRS documents. */
  readonly projectIds: readonly number[];
  /** Up to 10 of the newest CRS documents of those projects: the parents of a nested query's comments. */
  readonly crsIds: readonly number[];
  /** The newest ids of each table a notification's subject lives in, as many as a page of notifications shows. */
  readonly subjectIds: {
    readonly projects: readonly number[];
    readonly teams: readonly number[];
    readonly crsDocuments: readonly number[];
    readonly comments: readonly number[];
    readonly invitations: readonly number[];
  };
}

const NESTED_PARENTS = 10;
const SUBJECTS_PER_TYPE = 20;

/**
 * Chooses the parameters with read-only SELECTs, each read through the table's primary key
 * (`FORCE INDEX (PRIMARY)`): the report's own reads then never count as uses of a secondary
 * index, whose use since the server started the report shows.
 * ```sql
 * SELECT user_id FROM team_members FORCE INDEX (PRIMARY) WHERE is_active = 1
 * GROUP BY user_id ORDER BY COUNT(*) DESC, user_id LIMIT 1
 * ```
 * and the like for notifications by user and messages by session, then the viewer's teams, the
 * newest projects of those teams, the newest CRS of those projects, and the newest rows of each
 * notification subject's table.
 */
export async function chooseHotStatementParameters(db: Db): Promise<HotStatementParameters> {
  const plain = db.withoutPlugins();
  const ids = async (query: RawBuilder<{ id: number | string }>) => (await query.execute(plain)).rows.map((row) => Number(row.id));
  const busiest = async (table: string, column: string, where = sql``) => {
    const [first] = await ids(sql<{ id: number }>`SELECT ${sql.ref(column)} AS id FROM ${sql.table(table)} FORCE INDEX (PRIMARY)
      ${where} GROUP BY ${sql.ref(column)} ORDER BY COUNT(*) DESC, ${sql.ref(column)} LIMIT 1`);
    return first ?? null;
  };
  const newest = (table: string, limit: number, where = sql``) =>
    ids(sql<{ id: number }>`SELECT id FROM ${sql.table(table)} FORCE INDEX (PRIMARY) ${where} ORDER BY id DESC LIMIT ${sql.lit(limit)}`);
  const whereIn = (column: string, values: readonly number[]) => sql`WHERE ${sql.ref(column)} IN (${sql.join(values)})`;

  const viewerId = await busiest('team_members', 'user_id', sql`WHERE is_active = 1`);
  const viewerTeamIds =
    viewerId === null
      ? []
      : await ids(sql<{ id: number }>`SELECT team_id AS id FROM team_members FORCE INDEX (PRIMARY)
          WHERE user_id = ${viewerId} AND is_active = 1 ORDER BY team_id`);
  const projectIds = viewerTeamIds.length === 0 ? [] : await newest('projects', NESTED_PARENTS, whereIn('team_id', viewerTeamIds));
  const crsIds = projectIds.length === 0 ? [] : await newest('crs_documents', NESTED_PARENTS, whereIn('project_id', projectIds));
  return {
    viewerId,
    viewerTeamIds,
    notifiedUserId: await busiest('notifications', 'user_id'),
    chatSessionId: await busiest('messages', 'session_id'),
    projectIds,
    crsIds,
    subjectIds: {
      projects: await newest('projects', SUBJECTS_PER_TYPE),
      teams: await newest('teams', SUBJECTS_PER_TYPE),
      crsDocuments: await newest('crs_documents', SUBJECTS_PER_TYPE),
      comments: await newest('comments', SUBJECTS_PER_TYPE),
      invitations: await newest('invitations', SUBJECTS_PER_TYPE),
    },
  };
}
