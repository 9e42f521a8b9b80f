import { Arg, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MemorySourceType as MemorySourceTypeValue } from '../../src/db/schema';
import { badUserInput, serviceUnavailable } from '../../src/errors';
import type { MemoryService } from '../../src/memory/memoryService';
import type { MemoryHit as StoredMemoryHit, MemoryQuery } from '../../src/memory/memoryStore';
import { MemoryUnavailableError } from '../../src/memory/memoryUnavailableError';
import { reindexMemory } from '../../src/memory/reindex';
import { parseId } from '../arguments';
import type { GraphQLContext } from '../context';
import { MemorySourceType } from '../types/enums';
import { MemoryHit } from '../types/MemoryHit';
import { MemorySource } from '../types/unions';
import { requireText } from '../validation';
import { visibleComment, visibleCrs, visibleMessage, visibleProject } from '../visibility';
import { TEAM_MANAGERS, writableProject } from '../writeAccess';

/** searchMemory's bounds: a page of hits, a cosine distance, a question of reasonable length. */
export const MAX_MEMORY_HITS = 50;
export const MAX_MEMORY_DISTANCE = 2;
export const MAX_MEMORY_QUERY_LENGTH = 2000;

/** A hit as searchMemory returns it; `source` is resolved from the source's id. */
interface MemoryHitRow {
  id: string;
  sourceType: MemorySourceTypeValue;
  text: string;
  distance: number;
  sourceId: number;
}

const UNAVAILABLE_MESSAGE = 'Semantic memory is unavailable right now (the vector store does not answer): retry in a few seconds.';

/** Each source type's GraphQL type and visible-row lookup (through the per-request by-id loaders). */
const SOURCES = {
  CRS: { typeName: 'CrsDocument', load: visibleCrs },
  COMMENT: { typeName: 'Comment', load: visibleComment },
  MESSAGE: { typeName: 'Message', load: visibleMessage },
} as const;

@Resolver(() => MemoryHit)
export class MemoryResolver {
  /**
   * Embeds the question with the process's embedder (a question the viewer asked recently comes
   * from QueryEmbeddingCache) and asks Chroma for the project's nearest memories; the project and
   * source-type filter runs inside Chroma. A project the viewer cannot see answers [] exactly like
   * a missing one; Chroma being down is SERVICE_UNAVAILABLE, never []. The response's
   * Server-Timing header says how long the embedding and the Chroma query took.
   */
  @Query(() => [MemoryHit], { description: "Semantic search over a project's memory (CRS documents, comments, chat messages), via Chroma." })
  async searchMemory(
    @Arg('projectId', () => ID) projectId: string,
    @Arg('query', () => String) query: string,
    @Arg('sourceType', () => MemorySourceType, { nullable: true }) sourceType: MemorySourceTypeValue | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 5 }) limit: number | null,
    @Arg('maxDistance', () => Float, { nullable: true, defaultValue: 0.5 }) maxDistance: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<MemoryHitRow[]> {
    const id = parseId(projectId, 'projectId');
    const question = requireText(query, 'query', MAX_MEMORY_QUERY_LENGTH);
    const hitLimit = limit ?? 5;
    if (!Number.isInteger(hitLimit) || hitLimit < 1 || hitLimit > MAX_MEMORY_HITS) {
      throw badUserInput('limit', `must be between 1 and ${MAX_MEMORY_HITS} (got ${hitLimit}).`);
    }
    const distance = maxDistance ?? 0.5;
    if (!(distance >= 0 && distance <= MAX_MEMORY_DISTANCE)) {
      throw badUserInput('maxDistance', `must be a cosine distance between 0 and ${MAX_MEMORY_DISTANCE} (got ${distance}).`);
    }
    // The search (the embedding in its thread, then Chroma) runs while this thread checks in MySQL
    // that the viewer may see the project, so the waits overlap instead of adding up. Nothing is
    // returned before the check passes; a project the viewer cannot see answers [] as soon as it
    // fails, like a missing one, and the search's result or failure is dropped.
    const search = ctx.memory && searchProject(ctx.memory, ctx.viewer.tokenUserId(), question, {
      projectId: id,
      sourceType: sourceType ?? undefined,
      limit: hitLimit,
      maxDistance: distance,
    });
    search?.catch(() => undefined);
    if (!(await visibleProject(ctx, id))) return [];

    requireMemory(ctx);
    const { hits, embeddingMs, chromaMs } = await unavailableAsClientError(() => search!);
    // Timed only once the viewer may see the project: the times say nothing about others' projects.
    ctx.timings.add('embedding', embeddingMs);
    ctx.timings.add('chroma', chromaMs);
    return hits.map((hit) => ({
      id: hit.id,
      sourceType: hit.metadata.source_type,
      text: hit.document,
      distance: hit.distance,
      sourceId: hit.metadata.source_id,
    }));
  }

  /** One SQL statement per source type for all hits of a response: the by-id loaders batch them. */
  @FieldResolver(() => MemorySource, { nullable: true, description: 'The row the text came from; null if it was deleted since.' })
  async source(@Root() hit: MemoryHitRow, @Ctx() ctx: GraphQLContext) {
    const { typeName, load } = SOURCES[hit.sourceType];
    const row = await load(ctx, hit.sourceId);
    return row && { ...row, __typename: typeName };
  }

  @Mutation(() => Int, {
    description: 'OWNER/ADMIN only. Re-embeds every memory item of the project in batches; returns how many were indexed.',
  })
  async reindexProjectMemory(@Arg('projectId', () => ID) projectId: string, @Ctx() ctx: GraphQLContext): Promise<number> {
    const id = parseId(projectId, 'projectId');
    await writableProject(ctx, id, TEAM_MANAGERS, "reindexing a project's memory");
    const memory = requireMemory(ctx);
    const { indexed } = await unavailableAsClientError(() =>
      reindexMemory({ db: ctx.db, embedder: memory.embedder, store: memory.store, projectId: id }),
    );
    return indexed;
  }
}

/**
 * The project's memories nearest to the question, which `viewerId` asked (for QueryEmbeddingCache),
 * and how long the question's embedding and the Chroma query took (for the Server-Timing header).
 */
async function searchProject(
  memory: MemoryService,
  viewerId: number,
  question: string,
  filter: Omit<MemoryQuery, 'embedding'>,
): Promise<{ hits: StoredMemoryHit[]; embeddingMs: number; chromaMs: number }> {
  const startedAt = performance.now();
  const embedding = await memory.queryEmbeddings.embed(viewerId, question);
  const embeddedAt = performance.now();
  const hits = await memory.store.query({ embedding, ...filter });
  return { hits, embeddingMs: embeddedAt - startedAt, chromaMs: performance.now() - embeddedAt };
}

/** The server's memory service; SERVICE_UNAVAILABLE when it runs without one (no Chroma configured). */
function requireMemory(ctx: GraphQLContext): MemoryService {
  if (!ctx.memory) throw serviceUnavailable('Semantic memory is not enabled on this server.');
  return ctx.memory;
}

async function unavailableAsClientError<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof MemoryUnavailableError) throw serviceUnavailable(UNAVAILABLE_MESSAGE);
    throw error;
  }
}
