import type { Db } from '../../src/db/database';
import { syntheticVector } from './searchedMemories';

/** A stored memory's id and vector, as searchedMemories.ts made it. */
export interface StoredVector {
  readonly id: string;
  readonly vector: readonly number[];
}

/**
 * The memories of `projectIds` among the first `memories` memory sources in project order, with
 * the vectors searchedMemories.ts gave them (recomputed from their positions), by project.
 */
export async function storedVectors(db: Db, memories: number, projectIds: readonly number[], dimension: number): Promise<Map<number, StoredVector[]>> {
  const wanted = new Set(projectIds);
  const rows = await db.selectFrom('aiMemoryIndex').select(['projectId', 'embeddingId']).orderBy('projectId').orderBy('id').limit(memories).execute();
  const byProject = new Map<number, StoredVector[]>();
  rows.forEach((row, position) => {
    if (!wanted.has(row.projectId)) return;
    const list = byProject.get(row.projectId) ?? [];
    list.push({ id: row.embeddingId, vector: syntheticVector(position, dimension) });
    byProject.set(row.projectId, list);
  });
  return byProject;
}

/**
 * The ids of the `k` memories nearest to `query` by cosine distance, nearest first, computed
 * over every one of them: the ranking an exact search returns, to hold an index's answer against.
 */
export function exactNearest(query: readonly number[], stored: readonly StoredVector[], k: number): string[] {
  const queryLength = Math.hypot(...query);
  return stored
    .map(({ id, vector }) => {
      let dot = 0;
      for (let index = 0; index < vector.length; index++) dot += vector[index]! * query[index]!;
      return { id, distance: 1 - dot / (queryLength * Math.hypot(...vector)) };
    })
    .sort((a, b) => a.distance - b.distance)
    .slice(0, k)
    .map((entry) => entry.id);
}
