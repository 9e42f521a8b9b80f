import type { Db } from '../../src/db/database';
import { MEMORY_SOURCE_TYPES, memoryItemOf, readMemorySources } from '../../src/memory/memorySources';
import type { MemoryItem } from '../../src/memory/memoryStore';
import { embeddingIdOf } from '../../src/memory/outbox';
import { Random } from '../../src/seed/prng';

/** Memories read from MySQL and stored per upsert while filling Chroma. */
const CHUNK = 1000;

/**
 * How the memories are chosen and their vectors made; part of the cached Chroma folder's key
 * (filledChroma.ts), so a change here fills a new folder.
 */
export const SEARCHED_MEMORIES_RECIPE = 'ai_memory_index by project_id, id; vector = unit(normal(forLabel(memory-vector-<position>))) v1';

/**
 * The first `count` memory sources of the bench database in project order (ai_memory_index by
 * project_id, then id: whole projects from project 1 up, the last one cut short), each with its
 * real id, project, source type and text, and a synthetic unit vector of `dimension` numbers
 * drawn from the memory's position, in chunks of 1,000. Embedding 100k real texts with use-lite
 * would take most of an hour; the searched query is still embedded for real by the server.
 */
export async function* searchedMemories(db: Db, count: number, dimension: number): AsyncGenerator<MemoryItem[]> {
  for (let offset = 0; offset < count; offset += CHUNK) {
    const entries = await db
      .selectFrom('aiMemoryIndex')
      .select(['sourceType', 'sourceId', 'embeddingId'])
      .orderBy('projectId')
      .orderBy('id')
      .limit(Math.min(CHUNK, count - offset))
      .offset(offset)
      .execute();
    if (entries.length === 0) return;
    const position = new Map(entries.map((entry, index) => [entry.embeddingId, offset + index]));
    const items: MemoryItem[] = [];
    for (const sourceType of MEMORY_SOURCE_TYPES) {
      const ids = entries.filter((entry) => entry.sourceType === sourceType).map((entry) => entry.sourceId);
      for (const source of (await readMemorySources(db, sourceType, ids)).values()) {
        const vector = syntheticVector(position.get(embeddingIdOf(sourceType, source.sourceId))!, dimension);
        items.push(memoryItemOf(source, vector));
      }
    }
    yield items;
  }
}

/**
 * A direction drawn uniformly from the unit sphere (normalised Gaussian coordinates), the same
 * for the same position on every run. Random directions are the hard case for an HNSW index (no
 * clusters to follow) and lie about 1 apart in cosine distance from any query, so the searches
 * ask for `maxDistance: 2` to get their full page of hits.
 */
export function syntheticVector(position: number, dimension: number): number[] {
  const random = Random.forLabel(`memory-vector-${position}`);
  const vector = Array.from({ length: dimension }, () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next()));
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}
