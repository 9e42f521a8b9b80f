import type { Db } from '../src/db/database';
import type { CommentRow } from '../src/db/schema';

/**
 * Inserts a comment and returns its row, built from the values written:
 * ```sql
 * INSERT INTO comments (crs_id, author_id, content, created_at) VALUES (?, ?, ?, ?)
 * ```
 */
export async function insertComment(
  db: Db,
  values: { crsId: number; authorId: number; content: string; at: Date },
): Promise<CommentRow> {
  const { at, ...columns } = values;
  const row = { ...columns, createdAt: at };
  const result = await db.insertInto('comments').values(row).executeTakeFirstOrThrow();
  return { id: Number(result.insertId), ...row };
}
