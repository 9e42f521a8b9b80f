import type { Db } from '../src/db/database';
import type { CrsRow, CrsStatus } from '../src/db/schema';
import type { CrsWithTeam } from './rows';

/**
 * Inserts a DRAFT CRS document at version 1 and returns its row, built from the values
 * written:
 * ```sql
 * INSERT INTO crs_documents (project_id, created_by, title, content, status, version, created_at, updated_at)
 * VALUES (?, ?, ?, ?, 'DRAFT', 1, ?, ?)
 * ```
 */
export async function insertCrs(
  db: Db,
  values: { projectId: number; createdBy: number; title: string; content: string; at: Date },
): Promise<CrsRow> {
  const { at, ...columns } = values;
  const row = { ...columns, status: 'DRAFT' as const, version: 1, createdAt: at, updatedAt: at };
  const result = await db.insertInto('crsDocuments').values(row).executeTakeFirstOrThrow();
  return { id: Number(result.insertId), ...row };
}

/**
 * Replaces the content when the document is still at `expectedVersion`, in one atomic
 * statement (no read-then-write race: of concurrent updates from one version, exactly one
 * matches). Returns false when the version had moved on (or the row is gone).
 * ```sql
 * UPDATE crs_documents SET content = ?, version = version + 1, updated_at = ?
 * WHERE id = ? AND version = ?
 * ```
 */
export async function updateCrsContent(
  db: Db,
  args: { id: number; content: string; expectedVersion: number; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('crsDocuments')
    .set((eb) => ({ content: args.content, version: eb('version', '+', 1), updatedAt: args.at }))
    .where('id', '=', args.id)
    .where('version', '=', args.expectedVersion)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Sets the status unless it already is that status. Returns whether it changed, so only a
 * real change notifies (also when two people set the same status at once).
 * ```sql
 * UPDATE crs_documents SET status = ?, updated_at = ? WHERE id = ? AND status <> ?
 * ```
 */
export async function updateCrsStatus(db: Db, args: { id: number; status: CrsStatus; at: Date }): Promise<boolean> {
  const result = await db
    .updateTable('crsDocuments')
    .set({ status: args.status, updatedAt: args.at })
    .where('id', '=', args.id)
    .where('status', '<>', args.status)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * The document as the caller's transaction left it, with its team (the shape of the crsById
 * loader). Read after an UPDATE, under that UPDATE's row lock, so it is exactly the row the
 * write produced, including columns others changed just before:
 * ```sql
 * SELECT c.*, p.team_id FROM crs_documents c JOIN projects p ON p.id = c.project_id WHERE c.id = ?
 * ```
 */
export async function crsAfterWrite(db: Db, id: number): Promise<CrsWithTeam | null> {
  const row = await db
    .selectFrom('crsDocuments as c')
    .innerJoin('projects as p', 'p.id', 'c.projectId')
    .selectAll('c')
    .select('p.teamId')
    .where('c.id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}
