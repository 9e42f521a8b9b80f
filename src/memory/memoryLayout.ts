import type { Where } from 'chromadb';
import type { MemorySourceType } from '../db/schema';

/**
 * How memories are spread over Chroma collections, and so how a query is kept inside one
 * project. With one collection, every search runs the `where` filter (SQLite, over the
 * metadata of all projects) and then a vector search restricted to the matching ids; with a
 * collection per project, each search is small but the server holds one index per project.
 * bench/memoryLayout.ts compares these and a sharded middle way at 100k memories over 1,000
 * projects; docs/memory-layout.md records the numbers and the decision
 * ({@link defaultMemoryLayout}). This file is the one place a layout is defined.
 */
export interface MemoryLayout {
  /** The collection that holds the memories of `projectId`. */
  collectionName(projectId: number): string;
  /** The server-side filter that keeps a query (or delete) inside the project and source type. */
  where(projectId: number, sourceType?: MemorySourceType): Where | undefined;
}

/**
 * Every memory in one collection (`baseName`); queries filter by the `project_id` and
 * `source_type` metadata on the server.
 */
export function singleCollectionLayout(baseName: string): MemoryLayout {
  return Object.freeze({
    collectionName: () => baseName,
    where(projectId: number, sourceType?: MemorySourceType): Where {
      const inProject: Where = { project_id: { $eq: projectId } };
      return sourceType ? { $and: [inProject, { source_type: { $eq: sourceType } }] } : inProject;
    },
  });
}

/**
 * One collection per project (`<baseName>__p<projectId>`); a query only names the source type.
 * Kept for the layout benchmark (bench/memoryLayout.ts), which measures it against
 * {@link singleCollectionLayout}; see docs/memory-layout.md for the decision.
 */
export function collectionPerProjectLayout(baseName: string): MemoryLayout {
  return Object.freeze({
    collectionName: (projectId: number) => `${baseName}__p${projectId}`,
    where(_projectId: number, sourceType?: MemorySourceType): Where | undefined {
      return sourceType ? { source_type: { $eq: sourceType } } : undefined;
    },
  });
}

/**
 * Memories spread over a fixed number of collections by project (`<baseName>__shard<n>of<shards>`,
 * n = projectId mod shards); queries filter by project (and source type) inside the project's
 * shard, as in {@link singleCollectionLayout}. Chroma's filtered query costs time in proportion
 * to the collection's size, so a shard answers `shards` times faster than one big collection,
 * while the server holds `shards` indexes instead of one per project. The shard count is part of
 * the names: changing it starts new, empty collections (fill them with `npm run reindex -- --all`).
 */
export function shardedLayout(shards: number): (baseName: string) => MemoryLayout {
  if (!Number.isSafeInteger(shards) || shards < 1) throw new RangeError(`A memory layout needs at least 1 shard (got ${shards}).`);
  return (baseName) => {
    const filtered = singleCollectionLayout(baseName);
    return Object.freeze({
      collectionName: (projectId: number) => `${baseName}__shard${projectId % shards}of${shards}`,
      where: filtered.where,
    });
  };
}

/** How many collections the default layout spreads a database's memories over. */
export const MEMORY_SHARDS = 16;

/**
 * The layout the server, the reindex and the outbox worker use: 16 collections sharded by
 * project, each query filtered by project inside its shard. At 100k memories over 1,000
 * projects its filtered query took 30 ms (p50) against 179 ms for one collection and 148 ms
 * for a collection per project, which also took 22 GB of disk (docs/memory-layout.md).
 */
export const defaultMemoryLayout: (baseName: string) => MemoryLayout = shardedLayout(MEMORY_SHARDS);
