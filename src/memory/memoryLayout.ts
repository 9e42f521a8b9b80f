import type { Where } from 'chromadb';
import type { MemorySourceType } from '../db/schema';

/**
 * How memories are spread over Chroma collections, and so how a query is kept inside one
 * project. With one collection, every search runs the `where` filter (SQLite, over the
 * metadata of all projects) and then a vector search restricted to the matching ids; with a
 * collection per project, each search is small but the server holds one index per project.
 * The benchmark compares the two at 100k memories over 1,000 projects; this file is the one
 * place a layout is defined.
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
