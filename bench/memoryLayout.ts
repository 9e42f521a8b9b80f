import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemorySourceType } from '../src/db/schema';
import { startChromaServer, type ChromaServer } from '../src/memory/chromaServer';
import { collectionPerProjectLayout, shardedLayout, singleCollectionLayout, type MemoryLayout } from '../src/memory/memoryLayout';
import { MemoryStore, type MemoryItem } from '../src/memory/memoryStore';
import { USE_LITE_DIMENSION } from '../src/memory/useLiteEmbedder';
import { Random } from '../src/seed/prng';

/** Deterministic numbers in [0, 1): the same on every run. */
const seededRandom = (seed: number): (() => number) => {
  const random = new Random(seed);
  return () => random.next();
};

/**
 * Semantic-memory layout benchmark (docs/memory-layout.md holds the decision it informs).
 *
 * 1. Layouts: the same memories (100 per project, random unit vectors of use-lite's 512
 *    dimensions) go into (a) one collection filtered by a project `where`, (b) one collection
 *    per project and (c) 16 collections sharded by project, each filtered by a project `where`,
 *    each layout on its own Chroma server; after 10, 100 and 1,000 projects (1k, 10k, 100k
 *    memories) the searchMemory query (MemoryStore.query: limit 5, every other query also
 *    filtered by source type) is timed, rotating through the layouts query by query.
 * 2. Upserts: 10, 100 and 1,000 memories stored one request each vs one batch.
 *
 * Traffic goes only to Chroma servers this script starts on 127.0.0.1, in temporary folders it
 * deletes afterwards. Writes bench/results/memory-layout.json and prints markdown tables.
 *
 * ```
 * npx tsc -p tsconfig.build.json && node dist/bench/memoryLayout.js [--projects 10,100,1000] [--queries 200] [--layouts single,per-project,sharded]
 * ```
 */

const DIMENSION = USE_LITE_DIMENSION;
const MEMORIES_PER_PROJECT = 100;
const UPSERT_CHUNK = 1000;
const WARM_UP_QUERIES = 20;
const UPSERT_SIZES = [10, 100, 1000] as const;
const UPSERT_REPETITIONS = 3;
const SOURCE_TYPES: readonly MemorySourceType[] = ['CRS', 'COMMENT', 'MESSAGE'];

const LAYOUTS = {
  single: { name: 'single collection + where', layout: singleCollectionLayout },
  'per-project': { name: 'collection per project', layout: collectionPerProjectLayout },
  sharded: { name: '16 shards + where', layout: shardedLayout(16) },
} as const;
type LayoutKey = keyof typeof LAYOUTS;
type LayoutName = (typeof LAYOUTS)[LayoutKey]['name'];

interface Arguments {
  projectStages: number[];
  queries: number;
  layouts: LayoutKey[];
}

interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  samples: number;
}

interface LayoutStage {
  projects: number;
  memories: number;
  /** The machine's 1-minute load average after the queries: these numbers are only comparable on a quiet machine. */
  loadAverage: number;
  /** Disk the layout's Chroma data folder takes (allocated blocks), in MB. */
  diskMb: Record<LayoutName, number>;
  insertSeconds: Record<LayoutName, number>;
  query: Record<LayoutName, LatencySummary>;
}


interface UpsertResult {
  items: number;
  singleMs: number;
  batchMs: number;
  speedup: number;
}

/** Every timing of one size: `singleMs[i]` and `batchMs[i]` were measured back to back, in alternating order. */
export interface UpsertSamples {
  items: number;
  singleMs: number[];
  batchMs: number[];
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { projectStages: [10, 100, 1000], queries: 200, layouts: ['single', 'per-project', 'sharded'] };
  for (let index = 0; index < argv.length; index += 1) {
    const value = argv[index + 1];
    if (argv[index] === '--projects' && value) {
      args.projectStages = value.split(',').map(Number);
      index += 1;
    } else if (argv[index] === '--queries' && value) {
      args.queries = Number(value);
      index += 1;
    } else if (argv[index] === '--layouts' && value) {
      args.layouts = value.split(',') as LayoutKey[];
      index += 1;
    } else {
      throw new Error(
        `unknown argument ${argv[index]}; usage: node dist/bench/memoryLayout.js [--projects 10,100,1000] [--queries 200] [--layouts single,per-project,sharded]`,
      );
    }
  }
  if (args.projectStages.some((n, i) => !Number.isSafeInteger(n) || n < 1 || (i > 0 && n <= args.projectStages[i - 1]))) {
    throw new Error('--projects must be increasing whole numbers, e.g. 10,100,1000');
  }
  if (!Number.isSafeInteger(args.queries) || args.queries < 1 || args.queries > 10_000) {
    throw new Error('--queries must be a whole number from 1 to 10000');
  }
  if (args.layouts.length === 0 || args.layouts.some((key) => !(key in LAYOUTS))) {
    throw new Error(`--layouts must name some of ${Object.keys(LAYOUTS).join(', ')}`);
  }
  return args;
}


/** A direction drawn uniformly from the unit sphere (normalised Gaussian coordinates). */
function randomUnitVector(random: () => number): number[] {
  const vector = Array.from({ length: DIMENSION }, () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
  const length = Math.hypot(...vector);
  return vector.map((value) => value / length);
}

/** The memories of projects `firstProject..lastProject`, in chunks of UPSERT_CHUNK. */
function* memoryChunks(firstProject: number, lastProject: number, random: () => number): Generator<MemoryItem[]> {
  let chunk: MemoryItem[] = [];
  for (let projectId = firstProject; projectId <= lastProject; projectId += 1) {
    for (let n = 0; n < MEMORIES_PER_PROJECT; n += 1) {
      const sourceId = (projectId - 1) * MEMORIES_PER_PROJECT + n + 1;
      const sourceType = SOURCE_TYPES[n % SOURCE_TYPES.length];
      chunk.push({
        id: `${sourceType.toLowerCase()}-${sourceId}`,
        embedding: randomUnitVector(random),
        document: `Memory ${sourceId} of project ${projectId}.`,
        metadata: { project_id: projectId, source_type: sourceType, source_id: sourceId },
      });
      if (chunk.length === UPSERT_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}

function summarize(samplesMs: number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)];
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    meanMs: round(sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length),
    samples: sorted.length,
  };
}

/** Allocated size of a folder's files (Chroma preallocates index files, so this is more than the data). */
async function diskMegabytes(path: string): Promise<number> {
  let bytes = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += (await stat(join(entry.parentPath, entry.name))).blocks * 512;
  }
  return Math.round(bytes / 1e6);
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await action();
  return performance.now() - startedAt;
}

interface BenchServer {
  readonly server: ChromaServer;
  readonly path: string;
}

async function startBenchServer(): Promise<BenchServer> {
  const path = await mkdtemp(join(tmpdir(), 'bridgeai-bench-chroma-'));
  return { server: await startChromaServer({ path, host: '127.0.0.1', startTimeoutMs: 60_000 }), path };
}

async function stopBenchServer({ server, path }: BenchServer): Promise<void> {
  await server.stop();
  await rm(path, { recursive: true, force: true });
}

function storeOn(server: ChromaServer, databaseName: string, layout: (baseName: string) => MemoryLayout): MemoryStore {
  return new MemoryStore({ chromaUrl: server.url, databaseName, modelId: 'bench', dimension: DIMENSION, layout, requestTimeoutMs: 120_000 });
}

async function compareLayouts(args: Arguments): Promise<LayoutStage[]> {
  const servers = await Promise.all(args.layouts.map(() => startBenchServer()));
  try {
    const names = args.layouts.map((key) => LAYOUTS[key].name);
    const stores = Object.fromEntries(
      args.layouts.map((key, index) => [LAYOUTS[key].name, storeOn(servers[index].server, 'bench', LAYOUTS[key].layout)]),
    ) as Record<LayoutName, MemoryStore>;
    const vectors = seededRandom(1);
    const choices = seededRandom(2);
    const stages: LayoutStage[] = [];
    let projects = 0;
    for (const stageProjects of args.projectStages) {
      const insertSeconds = Object.fromEntries(names.map((name) => [name, 0])) as Record<LayoutName, number>;
      for (const chunk of memoryChunks(projects + 1, stageProjects, vectors)) {
        for (const name of names) insertSeconds[name] += (await timed(() => stores[name].upsert(chunk))) / 1000;
      }
      projects = stageProjects;
      process.stderr.write(`  ${projects * MEMORIES_PER_PROJECT} memories stored; querying\n`);

      const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<LayoutName, number[]>;
      for (let index = 0; index < WARM_UP_QUERIES + args.queries; index += 1) {
        const projectId = 1 + Math.floor(choices() * projects);
        const sourceType = index % 2 === 0 ? undefined : SOURCE_TYPES[Math.floor(choices() * SOURCE_TYPES.length)];
        const embedding = randomUnitVector(vectors);
        // Rotate which layout goes first, so drift on the machine hits all alike.
        const order = names.map((_, offset) => names[(index + offset) % names.length]);
        for (const name of order) {
          const ms = await timed(() => stores[name].query({ embedding, projectId, sourceType, limit: 5, maxDistance: 2 }));
          if (index >= WARM_UP_QUERIES) samples[name].push(ms);
        }
      }
      stages.push({
        projects,
        memories: projects * MEMORIES_PER_PROJECT,
        loadAverage: Math.round(loadavg()[0] * 10) / 10,
        diskMb: Object.fromEntries(await Promise.all(names.map(async (name, index) => [name, await diskMegabytes(servers[index].path)]))),
        insertSeconds: Object.fromEntries(names.map((name) => [name, Math.round(insertSeconds[name] * 10) / 10])) as Record<LayoutName, number>,
        query: Object.fromEntries(names.map((name) => [name, summarize(samples[name])])) as Record<LayoutName, LatencySummary>,
      });
      process.stderr.write(`${JSON.stringify(stages[stages.length - 1])}\n`);
    }
    return stages;
  } finally {
    await Promise.all(servers.map(stopBenchServer));
  }
}

/**
 * Stores `sizes` memories one request each and as one batch, `repetitions` times per size,
 * alternating which goes first, each run into a fresh collection on a Chroma server of its own.
 */
export async function measureUpserts(
  sizes: readonly number[] = UPSERT_SIZES,
  repetitions = UPSERT_REPETITIONS,
): Promise<UpsertSamples[]> {
  const bench = await startBenchServer();
  try {
    const random = seededRandom(3);
    const results: UpsertSamples[] = [];
    let run = 0;
    for (const size of sizes) {
      const single: number[] = [];
      const batch: number[] = [];
      for (let repetition = 0; repetition < repetitions; repetition += 1) {
        const items = [...memoryChunks(1, Math.ceil(size / MEMORIES_PER_PROJECT), random)].flat().slice(0, size);
        for (const mode of repetition % 2 === 0 ? (['single', 'batch'] as const) : (['batch', 'single'] as const)) {
          run += 1;
          // A fresh collection per run; its creation is done before the clock starts.
          const store = storeOn(bench.server, `upsert_${run}`, singleCollectionLayout);
          await store.query({ embedding: items[0].embedding, projectId: 1, limit: 1, maxDistance: 2 });
          if (mode === 'single') {
            single.push(await timed(async () => {
              for (const item of items) await store.upsert([item]);
            }));
          } else {
            batch.push(await timed(() => store.upsert(items)));
          }
        }
      }
      results.push({ items: size, singleMs: single, batchMs: batch });
    }
    return results;
  } finally {
    await stopBenchServer(bench);
  }
}

function markdown(stages: LayoutStage[], upserts: UpsertResult[]): string {
  const lines = [
    '### searchMemory query (MemoryStore.query, limit 5), by layout',
    '',
    '| memories | projects | layout | p50 ms | p95 ms | mean ms | insert s | disk MB | load avg |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const stage of stages) {
    for (const [name, summary] of Object.entries(stage.query) as [LayoutName, LatencySummary][]) {
      lines.push(
        `| ${stage.memories} | ${stage.projects} | ${name} | ${summary.p50Ms} | ${summary.p95Ms} | ${summary.meanMs} | ${stage.insertSeconds[name]} | ${stage.diskMb[name]} | ${stage.loadAverage} |`,
      );
    }
  }
  lines.push('', '### Upsert: one request per memory vs one batch (median of 3)', '', '| memories | single ms | batch ms | speed-up |', '| ---: | ---: | ---: | ---: |');
  for (const result of upserts) lines.push(`| ${result.items} | ${result.singleMs} | ${result.batchMs} | ${result.speedup}× |`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  process.stderr.write(
    `memory layout benchmark: ${args.layouts.join(', ')}; ${args.projectStages.join('/')} projects × ${MEMORIES_PER_PROJECT} memories, ${args.queries} queries per layout and size\n`,
  );
  const stages = await compareLayouts(args);
  process.stderr.write('upsert benchmark: single vs batch\n');
  const upserts = (await measureUpserts()).map(({ items, singleMs, batchMs }): UpsertResult => {
    const single = summarize(singleMs).p50Ms;
    const batch = summarize(batchMs).p50Ms;
    return { items, singleMs: single, batchMs: batch, speedup: Math.round((single / batch) * 10) / 10 };
  });
  const resultsDir = join(__dirname, '..', '..', 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  await writeFile(
    join(resultsDir, 'memory-layout.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), dimension: DIMENSION, memoriesPerProject: MEMORIES_PER_PROJECT, stages, upserts }, null, 2)}\n`,
  );
  process.stdout.write(markdown(stages, upserts));
}

// Run as a script; `npm run bench` imports measureUpserts instead (scenarios/chromaBatch.ts).
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
