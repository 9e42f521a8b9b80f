import { Kysely, sql } from 'kysely';

/**
 * The memory outbox's two lanes and the index its worker polls by (docs/indexes.md,
 * "ai_memory_index").
 *
 * `lane` says who queued an entry: `live` for a mutation's write, which the worker indexes first,
 * and `backlog` for bulk work (the seed's data, memory queued again after Chroma lost it, rows
 * written by a reindex). Entries that exist before this migration become `backlog`.
 *
 * `ix_ai_memory_index_status_lane_updated_at` serves the worker's poll (the pending entries of
 * one lane, oldest first) without reading the table, and the backlog's count by lane. `down`
 * drops both and keeps every row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE ai_memory_index
    ADD COLUMN lane ENUM('live','backlog') NOT NULL DEFAULT 'backlog' AFTER status`.execute(db);
  await sql`CREATE INDEX ix_ai_memory_index_status_lane_updated_at ON ai_memory_index (status, lane, updated_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX ix_ai_memory_index_status_lane_updated_at ON ai_memory_index`.execute(db);
  await sql`ALTER TABLE ai_memory_index DROP COLUMN lane`.execute(db);
}
