import type { Db } from '../db/database';
import type { MemorySourceType } from '../db/schema';
import type { MemoryItem } from './memoryStore';
import { embeddingIdOf, type MemorySource } from './outbox';

/** The source types in the order the indexers walk them. */
export const MEMORY_SOURCE_TYPES: readonly MemorySourceType[] = ['CRS', 'COMMENT', 'MESSAGE'];

/** The table each source type's rows live in. */
const SOURCE_TABLES = { CRS: 'crsDocuments', COMMENT: 'comments', MESSAGE: 'messages' } as const;

/**
 * The text a CRS document is remembered by: its title, a blank line, its content. Comments and
 * messages are remembered by their content alone. Whoever enqueues a CRS (enqueueMemory) should
 * hash this same text, so the reindex recognises an unchanged document.
 */
export function crsMemoryText(title: string, content: string): string {
  return `${title}\n\n${content}`;
}

/** A source and its embedding as Chroma keeps them: the stable id, the text, and the metadata searches filter on. */
export function memoryItemOf(source: MemorySource, embedding: number[]): MemoryItem {
  return {
    id: embeddingIdOf(source.sourceType, source.sourceId),
    embedding,
    document: source.text,
    metadata: { project_id: source.projectId, source_type: source.sourceType, source_id: source.sourceId },
  };
}

/**
 * The CURRENT text and project of sources of one type, by id, in one query; ids whose row is
 * gone are absent from the map.
 *
 * ```sql
 * SELECT id, project_id, title, content FROM crs_documents WHERE id IN (…)
 * SELECT m.id, c.project_id, m.content FROM comments m JOIN crs_documents c ON c.id = m.crs_id WHERE m.id IN (…)
 * SELECT m.id, s.project_id, m.content FROM messages m JOIN chat_sessions s ON s.id = m.session_id WHERE m.id IN (…)
 * ```
 */
export async function readMemorySources(db: Db, sourceType: MemorySourceType, ids: readonly number[]): Promise<Map<number, MemorySource>> {
  const sources = new Map<number, MemorySource>();
  if (ids.length === 0) return sources;
  const add = (sourceId: number, projectId: number, text: string) => sources.set(sourceId, { projectId, sourceType, sourceId, text });
  if (sourceType === 'CRS') {
    const rows = await db.selectFrom('crsDocuments').select(['id', 'projectId', 'title', 'content']).where('id', 'in', ids).execute();
    for (const row of rows) add(row.id, row.projectId, crsMemoryText(row.title, row.content));
  } else if (sourceType === 'COMMENT') {
    const rows = await db
      .selectFrom('comments as m')
      .innerJoin('crsDocuments as c', 'c.id', 'm.crsId')
      .select(['m.id', 'c.projectId', 'm.content'])
      .where('m.id', 'in', ids)
      .execute();
    for (const row of rows) add(row.id, row.projectId, row.content);
  } else {
    const rows = await db
      .selectFrom('messages as m')
      .innerJoin('chatSessions as s', 's.id', 'm.sessionId')
      .select(['m.id', 's.projectId', 'm.content'])
      .where('m.id', 'in', ids)
      .execute();
    for (const row of rows) add(row.id, row.projectId, row.content);
  }
  return sources;
}

/**
 * The ids of every source of one type (of one project, or of all), in pages of `pageSize`,
 * ascending. All ids of one project come from one indexed join; the whole table is walked by
 * primary key, a page per query:
 *
 * ```sql
 * SELECT m.id FROM comments m JOIN crs_documents c ON c.id = m.crs_id WHERE c.project_id = ? ORDER BY m.id
 * SELECT id FROM comments WHERE id > ? ORDER BY id LIMIT ?
 * ```
 */
export async function* memorySourceIdPages(
  db: Db,
  sourceType: MemorySourceType,
  { projectId, pageSize }: { projectId?: number | undefined; pageSize: number },
): AsyncGenerator<number[]> {
  if (projectId !== undefined) {
    const ids = await projectSourceIds(db, sourceType, projectId);
    for (let start = 0; start < ids.length; start += pageSize) yield ids.slice(start, start + pageSize);
    return;
  }
  const table = SOURCE_TABLES[sourceType];
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom(table).select('id').where('id', '>', after).orderBy('id').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows.map((row) => row.id);
    after = rows[rows.length - 1].id;
  }
}

/**
 * How many sources of every type there are, of one project or of all: what a reindex walks.
 * ```sql
 * SELECT COUNT(*) FROM crs_documents  -- and comments, messages; for one project, its ids as above
 * ```
 */
export async function countMemorySources(db: Db, { projectId }: { projectId?: number | undefined } = {}): Promise<number> {
  let total = 0;
  for (const sourceType of MEMORY_SOURCE_TYPES) {
    if (projectId !== undefined) {
      total += (await projectSourceIds(db, sourceType, projectId)).length;
    } else {
      const row = await db.selectFrom(SOURCE_TABLES[sourceType]).select((eb) => eb.fn.countAll<number | string>().as('sources')).executeTakeFirstOrThrow();
      total += Number(row.sources);
    }
  }
  return total;
}

async function projectSourceIds(db: Db, sourceType: MemorySourceType, projectId: number): Promise<number[]> {
  let rows: { id: number }[];
  if (sourceType === 'CRS') {
    rows = await db.selectFrom('crsDocuments').select('id').where('projectId', '=', projectId).orderBy('id').execute();
  } else if (sourceType === 'COMMENT') {
    rows = await db
      .selectFrom('comments as m')
      .innerJoin('crsDocuments as c', 'c.id', 'm.crsId')
      .select('m.id')
      .where('c.projectId', '=', projectId)
      .orderBy('m.id')
      .execute();
  } else {
    rows = await db
      .selectFrom('messages as m')
      .innerJoin('chatSessions as s', 's.id', 'm.sessionId')
      .select('m.id')
      .where('s.projectId', '=', projectId)
      .orderBy('m.id')
      .execute();
  }
  return rows.map((row) => row.id);
}
