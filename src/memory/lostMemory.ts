import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { MemoryStore } from './memoryStore';

/** A collection that holds fewer memories than ai_memory_index records as indexed in it. */
export interface ShortCollection {
  readonly name: string;
  /** Memories Chroma holds. */
  readonly stored: number;
  /** Memories ai_memory_index records as indexed there. */
  readonly recorded: number;
}

/** What {@link requeueMemoryLostFromChroma} found and did. */
export interface LostMemoryReport {
  /** ai_memory_index entries set back to pending, for the outbox worker to index again. */
  readonly requeued: number;
  /**
   * Collections that hold fewer memories than recorded, when Chroma still holds some of the
   * database's memory: left for `npm run reindex -- --all`.
   */
  readonly shortCollections: readonly ShortCollection[];
}

/**
 * When Chroma holds none of this database's memory although ai_memory_index records some as
 * indexed, queues all of it again: what a lost Chroma volume, a Chroma started afresh, or a new
 * embedding model's (empty) collections leave behind. Without it, searchMemory would answer
 * nothing, silently, until someone ran a reindex. The outbox worker then embeds the entries
 * again in the background.
 *
 * When Chroma still holds part of the memory, the collections that are short are only reported:
 * finding which memories are missing means reading every id back from Chroma, which
 * `npm run reindex -- --all` does. Chroma's heartbeat comes first and its counts are read before
 * any entry is touched, so a Chroma that cannot be reached (MemoryUnavailableError) costs no scan
 * and changes nothing.
 * ```sql
 * SELECT project_id, COUNT(*) AS recorded FROM ai_memory_index WHERE status = 'indexed' GROUP BY project_id
 * -- then, only when every collection is empty:
 * UPDATE ai_memory_index SET status = 'pending', lane = 'backlog', attempts = 0, last_error = NULL, updated_at = UTC_TIMESTAMP(3)
 * WHERE status = 'indexed'
 * ```
 * Both statements read nearly every entry (almost all are indexed), which is why this runs once
 * per outbox worker, at its start. The memory queued again goes into the backlog lane, behind
 * live writes.
 */
export async function requeueMemoryLostFromChroma(db: Db, store: MemoryStore): Promise<LostMemoryReport> {
  // While Chroma is down (the worker then tries at every poll), spare MySQL the scan below.
  await store.heartbeat();
  const recordedByProject = await db
    .selectFrom('aiMemoryIndex')
    .select(['projectId', (eb) => eb.fn.countAll<number | string>().as('recorded')])
    .where('status', '=', 'indexed')
    .groupBy('projectId')
    .execute();
  const recordedByCollection = new Map<string, number>();
  for (const { projectId, recorded } of recordedByProject) {
    const name = store.collectionNameOf(projectId);
    recordedByCollection.set(name, (recordedByCollection.get(name) ?? 0) + Number(recorded));
  }

  const shortCollections: ShortCollection[] = [];
  let storedInAll = 0;
  for (const [name, recorded] of recordedByCollection) {
    const stored = await store.count(name);
    storedInAll += stored;
    if (stored < recorded) shortCollections.push({ name, stored, recorded });
  }
  if (recordedByCollection.size === 0 || storedInAll > 0) return { requeued: 0, shortCollections };

  const result = await sql`UPDATE ai_memory_index
    SET status = 'pending', lane = 'backlog', attempts = 0, last_error = NULL, updated_at = UTC_TIMESTAMP(3)
    WHERE status = 'indexed'`.execute(db);
  return { requeued: Number(result.numAffectedRows ?? 0), shortCollections: [] };
}
