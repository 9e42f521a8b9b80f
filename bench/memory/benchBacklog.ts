import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { MEMORY_SOURCE_TYPES, memoryItemOf, readMemorySources } from '../../src/memory/memorySources';
import type { MemoryStore } from '../../src/memory/memoryStore';

/**
 * A backlog of about `memories` memories of the bench database, for the outbox worker to index:
 * every CRS document, comment and message of the last projects (not the demo account's, which are
 * the first), so it holds the bench data's mix of long documents and short comments and messages.
 */
export class BenchBacklog {
  readonly #db: Db;
  readonly projectIds: readonly number[];
  readonly size: number;

  private constructor(db: Db, projectIds: readonly number[], size: number) {
    this.#db = db;
    this.projectIds = projectIds;
    this.size = size;
  }

  /**
   * The last projects whose memories add up to at least `memories`:
   * ```sql
   * SELECT project_id, COUNT(*) AS memories FROM ai_memory_index GROUP BY project_id ORDER BY project_id DESC LIMIT ?
   * ```
   */
  static async choose(db: Db, memories: number): Promise<BenchBacklog> {
    const rows = await db
      .selectFrom('aiMemoryIndex')
      .select(['projectId', (eb) => eb.fn.countAll<number | string>().as('memories')])
      .groupBy('projectId')
      .orderBy('projectId', 'desc')
      .limit(memories)
      .execute();
    const projectIds: number[] = [];
    let size = 0;
    for (const row of rows) {
      if (size >= memories) break;
      projectIds.push(row.projectId);
      size += Number(row.memories);
    }
    if (size < memories) throw new Error(`the bench database holds fewer than ${memories} memories; is it seeded?`);
    return new BenchBacklog(db, projectIds, size);
  }

  /**
   * Queues the backlog's memories again, as the seed's data is queued (the backlog lane):
   * ```sql
   * UPDATE ai_memory_index SET status = 'pending', lane = 'backlog', attempts = 0, … WHERE project_id IN (…)
   * ```
   */
  async queue(): Promise<void> {
    await sql`UPDATE ai_memory_index SET status = 'pending', lane = 'backlog', attempts = 0, last_error = NULL, updated_at = UTC_TIMESTAMP(3)
      WHERE project_id IN (${sql.join(this.projectIds)})`.execute(this.#db);
  }

  /** Marks whatever is left of it indexed again, as the bench database keeps its memory. */
  async settle(): Promise<void> {
    await sql`UPDATE ai_memory_index SET status = 'indexed' WHERE project_id IN (${sql.join(this.projectIds)}) AND status = 'pending'`.execute(this.#db);
  }

  /**
   * Stores the first memory of the backlog in `store` with a vector of zeros but one: a Chroma that
   * holds none of the database's memory would make the server queue all of it again
   * (lostMemory.ts), 900,000 memories at the bench scale.
   */
  async storeOneMemory(store: MemoryStore, dimension: number): Promise<void> {
    for (const sourceType of MEMORY_SOURCE_TYPES) {
      const entry = await this.#db
        .selectFrom('aiMemoryIndex')
        .select('sourceId')
        .where('projectId', '=', this.projectIds[0]!)
        .where('sourceType', '=', sourceType)
        .executeTakeFirst();
      const source = entry && (await readMemorySources(this.#db, sourceType, [entry.sourceId])).get(entry.sourceId);
      if (!source) continue;
      await store.upsert([memoryItemOf(source, Array.from({ length: dimension }, (_, index) => (index === 0 ? 1 : 0)))]);
      return;
    }
    throw new Error(`project ${this.projectIds[0]} of the bench database has no memory to store`);
  }
}
