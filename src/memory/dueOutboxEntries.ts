import { sql, type RawBuilder } from 'kysely';
import type { MemoryLane, MemorySourceType } from '../db/schema';

/** One ai_memory_index row taken for processing. */
export interface OutboxEntry {
  readonly id: number;
  readonly projectId: number;
  readonly sourceType: MemorySourceType;
  readonly sourceId: number;
  readonly embeddingId: string;
  /** The hash the row had when it was read: it is only marked indexed if it still has it. */
  readonly contentHash: string;
  readonly lane: MemoryLane;
}

/** How many entries a poll takes, and how long a failed one waits: min(retryBaseMs × 2^attempts, retryMaxMs). */
export interface DuePolicy {
  readonly batchSize: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

/**
 * The outbox worker's poll: up to batchSize due entries of each lane, each lane oldest first, in
 * one statement that the index on (status, lane, updated_at) serves without reading the table's
 * other rows or sorting (docs/indexes.md, "ai_memory_index"). An entry is due once the back-off
 * of its attempts has passed:
 * ```sql
 * (SELECT id, project_id, … FROM ai_memory_index WHERE status = 'pending' AND lane = 'live'
 *    AND updated_at <= UTC_TIMESTAMP(3) - INTERVAL <back-off of attempts> MICROSECOND
 *  ORDER BY updated_at, id LIMIT <batchSize>)
 * UNION ALL
 * (SELECT … the same with lane = 'backlog' …)
 * ```
 */
export function dueOutboxEntries({ batchSize, retryBaseMs, retryMaxMs }: DuePolicy): RawBuilder<OutboxEntry> {
  const backOffMs = sql`IF(attempts = 0, 0, LEAST(${retryBaseMs} * POW(2, LEAST(attempts, 30)), ${retryMaxMs}))`;
  const dueOf = (lane: MemoryLane) => sql`(SELECT id, project_id, source_type, source_id, embedding_id, content_hash, lane
    FROM ai_memory_index
    WHERE status = 'pending' AND lane = ${lane}
      AND updated_at <= UTC_TIMESTAMP(3) - INTERVAL CAST(${backOffMs} * 1000 AS UNSIGNED) MICROSECOND
    ORDER BY updated_at, id LIMIT ${batchSize})`;
  return sql<OutboxEntry>`${dueOf('live')} UNION ALL ${dueOf('backlog')}`;
}
