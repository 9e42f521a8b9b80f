import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { Embedder } from './embedder';
import { MEMORY_SOURCE_TYPES, memoryItemOf, memorySourceIdPages, readMemorySources } from './memorySources';
import type { MemoryStore } from './memoryStore';
import { contentHashOf, embeddingIdOf, enqueueMemory, type MemorySource } from './outbox';

export interface ReindexOptions {
  readonly db: Db;
  readonly embedder: Embedder;
  readonly store: MemoryStore;
  /** Only this project's memory; every project's when absent (`npm run reindex -- --all`). */
  readonly projectId?: number | undefined;
  /** Sources per embedding call and per Chroma upsert; 100 by default. */
  readonly batchSize?: number;
  /** Told after every batch how many memories are indexed so far. */
  readonly onProgress?: (indexed: number) => void;
}

export interface ReindexResult {
  /** Sources embedded and stored. */
  readonly indexed: number;
  /** ai_memory_index entries (and vectors) removed because their source is gone. */
  readonly removed: number;
}

/**
 * Rebuilds semantic memory from MySQL, e.g. after switching EMBEDDING_MODEL (the new model's
 * collection starts empty) or to repair Chroma: every CRS document, comment and message of the
 * project (or of all projects) is read, embedded and upserted in batches (one embedding call
 * and one upsert per batch), and recorded in ai_memory_index as indexed with its hash. Entries
 * whose source is gone are deleted with their vectors.
 *
 * Safe while the server runs: an entry a concurrent write re-pended with another hash stays
 * pending (the outbox worker indexes the newer text), and the vectors are keyed by stable ids.
 */
export async function reindexMemory(options: ReindexOptions): Promise<ReindexResult> {
  const { db, embedder, store, projectId } = options;
  const batchSize = options.batchSize ?? 100;
  const seen = new Set<string>();
  let indexed = 0;
  for (const sourceType of MEMORY_SOURCE_TYPES) {
    for await (const ids of memorySourceIdPages(db, sourceType, { projectId, pageSize: batchSize })) {
      const sources = [...(await readMemorySources(db, sourceType, ids)).values()];
      if (sources.length === 0) continue;
      const embeddings = await embedder.embed(sources.map((source) => source.text));
      await store.upsert(sources.map((source, index) => memoryItemOf(source, embeddings[index])));
      await recordIndexed(db, sources);
      for (const source of sources) seen.add(embeddingIdOf(source.sourceType, source.sourceId));
      indexed += sources.length;
      options.onProgress?.(indexed);
    }
  }
  const removed = await removeEntriesOfGoneSources(db, store, projectId, seen);
  return { indexed, removed };
}

/**
 * Queues every source (of one project, or all) for the outbox worker's backlog lane, e.g. after
 * seeding data that was written without enqueueMemory. Unchanged, already indexed sources stay
 * indexed.
 * Returns how many sources were queued or confirmed.
 */
export async function enqueueAllMemory(db: Db, { projectId, pageSize = 500 }: { projectId?: number; pageSize?: number } = {}): Promise<number> {
  let count = 0;
  for (const sourceType of MEMORY_SOURCE_TYPES) {
    for await (const ids of memorySourceIdPages(db, sourceType, { projectId, pageSize })) {
      const sources = [...(await readMemorySources(db, sourceType, ids)).values()];
      await enqueueMemory(db, sources, 'backlog');
      count += sources.length;
    }
  }
  return count;
}

/**
 * Records freshly stored sources as indexed with their hash, unless a newer write re-pended the
 * entry with another hash (`keep`: the worker indexes that text next). MySQL applies the
 * assignments left to right, so `keep` is read on the old row by every assignment up to
 * `content_hash`; `status` comes last, when a changed hash already makes `keep` false.
 */
async function recordIndexed(db: Db, sources: readonly MemorySource[]): Promise<void> {
  const rows = sources.map(
    (s) =>
      sql`(${s.projectId}, ${s.sourceType}, ${s.sourceId}, ${embeddingIdOf(s.sourceType, s.sourceId)}, ${contentHashOf(s.text)}, 'indexed', 'backlog', 0, NULL, UTC_TIMESTAMP(3))`,
  );
  const keep = sql`(status = 'pending' AND content_hash <> VALUES(content_hash))`;
  await sql`INSERT INTO ai_memory_index
      (project_id, source_type, source_id, embedding_id, content_hash, status, lane, attempts, last_error, updated_at)
    VALUES ${sql.join(rows)}
    ON DUPLICATE KEY UPDATE
      attempts = IF(${keep}, attempts, 0),
      last_error = IF(${keep}, last_error, NULL),
      updated_at = IF(${keep}, updated_at, VALUES(updated_at)),
      project_id = IF(${keep}, project_id, VALUES(project_id)),
      content_hash = IF(${keep}, content_hash, VALUES(content_hash)),
      status = IF(${keep}, status, 'indexed')`.execute(db);
}

/**
 * Entries in scope that the rebuild did not meet, and whose source really is gone (a source
 * written during the rebuild is not gone), are deleted together with their vectors.
 */
async function removeEntriesOfGoneSources(db: Db, store: MemoryStore, projectId: number | undefined, seen: ReadonlySet<string>): Promise<number> {
  let query = db.selectFrom('aiMemoryIndex').select(['id', 'projectId', 'sourceType', 'sourceId', 'embeddingId']);
  if (projectId !== undefined) query = query.where('projectId', '=', projectId);
  const unseen = (await query.execute()).filter((entry) => !seen.has(entry.embeddingId));
  const gone: typeof unseen = [];
  for (const sourceType of MEMORY_SOURCE_TYPES) {
    const ofType = unseen.filter((entry) => entry.sourceType === sourceType);
    if (ofType.length === 0) continue;
    const existing = await readMemorySources(db, sourceType, ofType.map((entry) => entry.sourceId));
    gone.push(...ofType.filter((entry) => !existing.has(entry.sourceId)));
  }
  const byProject = new Map<number, string[]>();
  for (const entry of gone) byProject.set(entry.projectId, [...(byProject.get(entry.projectId) ?? []), entry.embeddingId]);
  for (const [id, ids] of byProject) await store.delete({ projectId: id, ids });
  if (gone.length > 0) await db.deleteFrom('aiMemoryIndex').where('id', 'in', gone.map((entry) => entry.id)).execute();
  return gone.length;
}
