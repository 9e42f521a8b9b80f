import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { MemoryLane, MemorySourceType } from '../db/schema';

/** Something to remember: a CRS document, comment or chat message, and its current text. */
export interface MemorySource {
  projectId: number;
  sourceType: MemorySourceType;
  sourceId: number;
  text: string;
}

/** The Chroma id of a source: stable, so re-indexing replaces the old vector instead of adding one. */
export function embeddingIdOf(sourceType: MemorySourceType, sourceId: number): string {
  return `${sourceType.toLowerCase()}-${sourceId}`;
}

export function contentHashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Records that `sources` must be (re-)indexed, in the caller's transaction, so the row and its
 * outbox entry commit together. A mutation's write queues them `live` (indexed before any
 * backlog); bulk work queues them `backlog`. One statement for any number of sources:
 * ```sql
 * INSERT INTO ai_memory_index (project_id, source_type, source_id, embedding_id, content_hash, status, lane, attempts, …)
 * VALUES (…, 'pending', ?, 0, …), …
 * ON DUPLICATE KEY UPDATE …  -- unchanged and already indexed: left alone; otherwise pending again
 * ```
 * An entry that is pending live stays live when bulk work queues it again.
 */
export async function enqueueMemory(db: Db, sources: readonly MemorySource[], lane: MemoryLane): Promise<void> {
  if (sources.length === 0) return;
  const rows = sources.map(
    (s) =>
      sql`(${s.projectId}, ${s.sourceType}, ${s.sourceId}, ${embeddingIdOf(s.sourceType, s.sourceId)}, ${contentHashOf(s.text)}, 'pending', ${lane}, 0, NULL, UTC_TIMESTAMP(3))`,
  );
  const unchangedAndIndexed = sql`content_hash = VALUES(content_hash) AND status = 'indexed'`;
  // MySQL applies the assignments left to right: lane reads the old status and lane, and
  // content_hash is compared before it changes.
  await sql`INSERT INTO ai_memory_index
      (project_id, source_type, source_id, embedding_id, content_hash, status, lane, attempts, last_error, updated_at)
    VALUES ${sql.join(rows)}
    ON DUPLICATE KEY UPDATE
      lane = IF(${unchangedAndIndexed}, lane, IF(status = 'pending' AND lane = 'live', 'live', VALUES(lane))),
      status = IF(${unchangedAndIndexed}, status, 'pending'),
      attempts = IF(${unchangedAndIndexed}, attempts, 0),
      last_error = IF(${unchangedAndIndexed}, last_error, NULL),
      updated_at = IF(${unchangedAndIndexed}, updated_at, VALUES(updated_at)),
      content_hash = VALUES(content_hash)`.execute(db);
}
