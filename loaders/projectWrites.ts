import type { Db } from '../src/db/database';
import type { ProjectRow, ProjectStatus } from '../src/db/schema';

/**
 * Inserts a PENDING project and returns its row, built from the values written (every column
 * is set explicitly, so no re-read is needed):
 * ```sql
 * INSERT INTO projects (team_id, created_by, name, description, status, created_at, updated_at)
 * VALUES (?, ?, ?, ?, 'PENDING', ?, ?)
 * ```
 */
export async function insertProject(
  db: Db,
  values: { teamId: number; createdBy: number; name: string; description: string | null; at: Date },
): Promise<ProjectRow> {
  const { at, ...columns } = values;
  const row = { ...columns, status: 'PENDING' as const, createdAt: at, updatedAt: at };
  const result = await db.insertInto('projects').values(row).executeTakeFirstOrThrow();
  return { id: Number(result.insertId), ...row };
}

/**
 * Sets the status unless it already is that status; returns whether it changed, so only a real
 * decision notifies (also when two reviewers decide the same at once).
 * ```sql
 * UPDATE projects SET status = ?, updated_at = ? WHERE id = ? AND status <> ?
 * ```
 */
export async function setProjectStatus(db: Db, id: number, status: ProjectStatus, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('projects')
    .set({ status, updatedAt: at })
    .where('id', '=', id)
    .where('status', '<>', status)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
