import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database';
import { startChromaServer, type ChromaServer } from '../../src/memory/chromaServer';
import { MEMORY_COLLECTION_CONFIGURATION, MemoryStore } from '../../src/memory/memoryStore';
import { SEARCHED_MEMORIES_RECIPE, searchedMemories } from './searchedMemories';

/** The collections the server would open for this database and model (MemoryStore's naming). */
export interface MemoryCollections {
  readonly databaseName: string;
  readonly modelId: string;
  readonly dimension: number;
}

/** A Chroma server over a folder that holds `memories` memories of the bench database. */
export interface FilledChroma {
  readonly server: ChromaServer;
  readonly memories: number;
  /** How long filling took, when this run filled the folder; null when it was reused. */
  readonly fillSeconds: number | null;
  /** The fill time recorded when the folder was filled (this run or an earlier one). */
  readonly recordedFillSeconds: number;
  /** Allocated size of the folder (Chroma preallocates its index files). */
  readonly diskMb: number;
}

/**
 * Starts a Chroma server over `<cacheDirectory>/<memories>-<key>`, filled with the first
 * `memories` memories of the bench database (searchedMemories.ts) through MemoryStore.upsert, in
 * the collections and layout the server uses. The folder is kept and reused while its key (the
 * database's seed marker, the count, the memories' recipe, the store's collection settings and
 * the chromadb version) is the same, like the bench database itself; a folder of the same count
 * with another key is deleted. A folder whose fill did not finish has no `.complete.json` beside
 * it and is filled again from scratch.
 */
export async function openFilledChroma(options: {
  readonly db: Db;
  readonly memories: number;
  readonly collections: MemoryCollections;
  readonly cacheDirectory: string;
  readonly log: (line: string) => void;
}): Promise<FilledChroma> {
  const { db, memories, collections, cacheDirectory, log } = options;
  const key = await cacheKey(db, memories, collections);
  const folder = join(cacheDirectory, `${memories}-${key}`);
  const marker = `${folder}.complete.json`;
  const recorded = await readFile(marker, 'utf8')
    .then((text) => JSON.parse(text) as { fillSeconds: number })
    .catch(() => undefined);

  if (recorded) {
    log(`  ${memories} memories: reusing ${folder}`);
    const server = await startChromaServer({ path: folder, startTimeoutMs: 120_000 });
    return { server, memories, fillSeconds: null, recordedFillSeconds: recorded.fillSeconds, diskMb: await diskMegabytes(folder) };
  }

  await removeFoldersOfCount(cacheDirectory, memories);
  await mkdir(folder, { recursive: true });
  log(`  ${memories} memories: filling ${folder}`);
  const server = await startChromaServer({ path: folder, startTimeoutMs: 120_000 });
  try {
    const store = new MemoryStore({ chromaUrl: server.url, ...collections, requestTimeoutMs: 300_000 });
    const startedAt = performance.now();
    let stored = 0;
    for await (const items of searchedMemories(db, memories, collections.dimension)) {
      await store.upsert(items);
      stored += items.length;
      if (stored % 10_000 === 0) log(`    ${stored} stored`);
    }
    const fillSeconds = (performance.now() - startedAt) / 1000;
    if (stored !== memories) throw new Error(`the bench database holds only ${stored} memory sources, not ${memories}`);
    await writeFile(marker, `${JSON.stringify({ memories, key, fillSeconds, filledAt: new Date().toISOString() })}\n`);
    return { server, memories, fillSeconds, recordedFillSeconds: fillSeconds, diskMb: await diskMegabytes(folder) };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** What the folder's content depends on, hashed. */
async function cacheKey(db: Db, memories: number, collections: MemoryCollections): Promise<string> {
  const marker = await sql<{ scale: string; rowCounts: string; seededAt: Date }>`
    SELECT scale, row_counts, seeded_at FROM bench_seed_marker`.execute(db);
  const key = JSON.stringify({
    seed: marker.rows[0] ?? null,
    memories,
    recipe: SEARCHED_MEMORIES_RECIPE,
    collections,
    configuration: MEMORY_COLLECTION_CONFIGURATION,
    chromadb: chromadbVersion(),
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function chromadbVersion(): string {
  const manifest = join(dirname(require.resolve('chromadb')), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function removeFoldersOfCount(cacheDirectory: string, memories: number): Promise<void> {
  const entries = await readdir(cacheDirectory).catch(() => [] as string[]);
  for (const entry of entries.filter((name) => name.startsWith(`${memories}-`))) {
    await rm(join(cacheDirectory, entry), { recursive: true, force: true });
  }
}

/** Allocated size of a folder's files, in MB. */
async function diskMegabytes(path: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).blocks * 512;
  }
  return bytes / 1e6;
}
