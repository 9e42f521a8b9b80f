import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { databaseNameOf } from '../../src/db/ensureDatabase';
import { startChromaServer } from '../../src/memory/chromaServer';
import { MemoryStore } from '../../src/memory/memoryStore';
import { USE_LITE_DIMENSION, USE_LITE_MODEL_ID } from '../../src/memory/useLiteEmbedder';
import { alternate } from '../alternate';
import { openBenchDatabase } from '../benchDatabase';
import { formatNumber, formatSummary } from '../format';
import { runLoad, type LoadSample } from '../load/loadTest';
import { BenchBacklog } from '../memory/benchBacklog';
import { metricSum } from '../memory/metricSum';
import type { ServerProcess } from '../processes/serverProcess';
import type { Metric, ScenarioResult } from '../results';
import { demoChatSessionIds, seedMixBodies } from '../seedMixRequests';
import { summarize } from '../stats';
import type { Scenario } from './scenario';

const BATCH_SIZES = ['16', '64', '256'] as const;
type BatchSize = (typeof BATCH_SIZES)[number];
const DEFAULT_BATCH_SIZE: BatchSize = '64';
const CONNECTIONS = 100;
/** The seed mix runs in windows of this long until the backlog is indexed. */
const WINDOW_SECONDS = 5;
/** A repetition ends after this long even with the backlog not indexed. */
const MAX_SECONDS = 240;
const BACKLOG = 1_000;
const QUICK_BACKLOG = 60;
const GOAL_PER_SECOND = 50;

/** What one repetition of one batch size measured. */
interface BacklogRun {
  /** Backlog memories indexed per second while the seed mix ran. */
  readonly perSecond: number;
  readonly indexed: number;
  readonly seconds: number;
  /** Whether the whole backlog was indexed within MAX_SECONDS. */
  readonly drained: boolean;
  /** Seconds of embedding calls, and of Chroma upserts, per memory indexed. */
  readonly embeddingMsPerMemory: number;
  readonly upsertMsPerMemory: number;
  /** The seed mix's windows meanwhile. */
  readonly load: readonly LoadSample[];
  readonly loadAverage: number;
}

/**
 * The memory outbox's backlog throughput: how many memories per second the production server's
 * outbox worker indexes with the default model (use-lite) at MEMORY_OUTBOX_BATCH_SIZE 16, 64 and
 * 256, while the same server serves the seed mix at 100 connections.
 */
export const memoryBacklog: Scenario = {
  name: 'memory-backlog',
  title: 'Memory backlog: memories indexed per second at batch sizes 16 / 64 / 256, under the seed mix',
  async run(context) {
    const quick = context.options.quick;
    const { repetitions } = context.timing;
    const handle = openBenchDatabase(context.databaseUrl);
    const chromaPath = await mkdtemp(join(tmpdir(), 'bridgeai-bench-backlog-'));
    const chroma = await startChromaServer({ path: chromaPath });
    try {
      const backlog = await BenchBacklog.choose(handle.db, quick ? QUICK_BACKLOG : BACKLOG);
      const store = new MemoryStore({
        chromaUrl: chroma.url,
        databaseName: databaseNameOf(context.databaseUrl),
        modelId: USE_LITE_MODEL_ID,
        dimension: USE_LITE_DIMENSION,
      });
      await backlog.storeOneMemory(store, USE_LITE_DIMENSION);
      const bodies = seedMixBodies(await demoChatSessionIds(context.databaseUrl), 20_240_108);

      const runs = await alternate<BatchSize, BacklogRun>(BATCH_SIZES, repetitions, async (batchSize, repetition) => {
        context.log(`  repetition ${repetition + 1}/${repetitions}: batch size ${batchSize}, ${formatNumber(backlog.size)} memories`);
        await backlog.queue();
        let server: ServerProcess | undefined;
        try {
          server = await context.startServer({ optimized: true, production: true, env: { CHROMA_URL: chroma.url, MEMORY_OUTBOX_BATCH_SIZE: batchSize } });
          return await drainUnderLoad(server, await context.demoToken(server), (seconds) => ({
            server: server!,
            database: context.database,
            connections: CONNECTIONS,
            bodies,
            ...context.loadBound(seconds, CONNECTIONS),
          }));
        } finally {
          await server?.stop();
          await backlog.settle();
        }
      });
      return report(runs, { quick, repetitions, backlog, describeWindow: context.describeBound(WINDOW_SECONDS) });
    } finally {
      await chroma.stop();
      await rm(chromaPath, { recursive: true, force: true });
      await handle.destroy();
    }
  },
};

/**
 * Runs the seed mix in windows until the server's /health/ready says no backlog is pending (or
 * MAX_SECONDS have passed), and reads from its /metrics how many backlog memories it indexed
 * meanwhile and how long its embedding calls and Chroma upserts took.
 */
async function drainUnderLoad(server: ServerProcess, token: string, window: (seconds: number) => Parameters<typeof runLoad>[0]): Promise<BacklogRun> {
  const scrape = async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return {
      indexed: metricSum(text, 'bridgeai_memory_outbox_indexed_total', { lane: 'backlog' }),
      embeddingSeconds: metricSum(text, 'bridgeai_embedding_duration_seconds_sum'),
      upsertSeconds: metricSum(text, 'bridgeai_chroma_request_duration_seconds_sum', { operation: 'upsert' }),
    };
  };
  const pending = async () => ((await (await fetch(`${server.url}/health/ready`)).json()) as { memory: { pending: { backlog: number } } }).memory.pending.backlog;
  const loadAverage = loadavg()[0]!;
  const before = await scrape();
  const started = performance.now();
  const load: LoadSample[] = [];
  let drained = false;
  while (!(drained = (await pending()) === 0) && performance.now() - started < MAX_SECONDS * 1000) {
    load.push(await runLoad({ ...window(WINDOW_SECONDS), token }));
  }
  const seconds = (performance.now() - started) / 1000;
  const after = await scrape();
  const indexed = after.indexed - before.indexed;
  return {
    perSecond: indexed / seconds,
    indexed,
    seconds,
    drained,
    embeddingMsPerMemory: ((after.embeddingSeconds - before.embeddingSeconds) * 1000) / indexed,
    upsertMsPerMemory: ((after.upsertSeconds - before.upsertSeconds) * 1000) / indexed,
    load,
    loadAverage,
  };
}

function report(
  runs: Readonly<Record<BatchSize, readonly BacklogRun[]>>,
  run: { quick: boolean; repetitions: number; backlog: BenchBacklog; describeWindow: string },
): ScenarioResult {
  const sides = BATCH_SIZES.map((size) => `batch ${size}`);
  const row = (label: string, unit: string, pick: (r: BacklogRun) => number, digits = 1): Metric => ({
    label,
    unit,
    values: Object.fromEntries(BATCH_SIZES.map((size) => [`batch ${size}`, summarize(runs[size].map(pick))])),
    digits,
  });
  const windows = (r: BacklogRun, pick: (sample: LoadSample) => number) => summarize(r.load.map(pick)).median;
  const atDefault = summarize(runs[DEFAULT_BATCH_SIZE].map((r) => r.perSecond));
  const undrained = BATCH_SIZES.reduce((sum, size) => sum + runs[size].filter((r) => !r.drained).length, 0);
  return {
    sides,
    definition: [
      `**Backlog.** Every memory of the bench database's last ${run.backlog.projectIds.length} projects (${formatNumber(run.backlog.size)} CRS documents, comments ` +
        'and chat messages, the bench data\'s mix) set back to pending in the backlog lane, as `npm start` queues seeded data, before the server starts; afterwards ' +
        'they are marked indexed again. A Chroma server of this scenario\'s own holds their vectors (it is given one memory first, so the server does not queue ' +
        'the whole database again as memory Chroma lost).',
      `**Measured.** The production server (NODE_ENV=production, dist/src/cli/start.js, one process) with MEMORY_OUTBOX_BATCH_SIZE 16, 64 or 256 and the default ` +
        `model (use-lite), while the seed mix runs against it at ${CONNECTIONS} connections in windows of ${run.describeWindow} until /health/ready says no backlog ` +
        `is pending (at most ${MAX_SECONDS} s). Memories per second: the server's bridgeai_memory_outbox_indexed_total{lane="backlog"} over that time; embedding and ` +
        `upsert time per memory: the sums of its bridgeai_embedding_duration_seconds and bridgeai_chroma_request_duration_seconds{operation="upsert"}. ` +
        `${run.repetitions} repetitions, the batch sizes alternating.`,
    ],
    metrics: [
      row('backlog memories indexed per second, under the seed mix', 'memories/s', (r) => r.perSecond),
      row('backlog memories indexed', 'count', (r) => r.indexed, 0),
      row('time to index them', 's', (r) => r.seconds),
      row('embedding time per memory (use-lite, in its thread)', 'ms', (r) => r.embeddingMsPerMemory),
      row('Chroma upsert time per memory', 'ms', (r) => r.upsertMsPerMemory),
      row('seed mix meanwhile: requests/s (median window)', 'req/s', (r) => windows(r, (s) => s.requestsPerSecond)),
      row('seed mix meanwhile: p95 latency (median window)', 'ms', (r) => windows(r, (s) => s.p95Ms), 0),
      row('seed mix meanwhile: error rate (median window)', '%', (r) => windows(r, (s) => s.errorRate * 100), 2),
      row('load average (1 min) at the start', '', (r) => r.loadAverage, 2),
    ],
    goals: [
      {
        goal: `backlog ≥ ${GOAL_PER_SECOND} memories/s while the seed mix runs (batch size ${DEFAULT_BATCH_SIZE}, the default)`,
        measured: `${formatSummary(atDefault, 1)} memories/s`,
        met: run.quick ? null : atDefault.median >= GOAL_PER_SECOND,
      },
    ],
    notes: [undrained === 0 ? 'Every repetition indexed the whole backlog.' : `${undrained} repetitions ended after ${MAX_SECONDS} s with backlog left.`],
    chart: {
      title: 'Backlog memories indexed per second under the seed mix, by batch size',
      unit: 'memories/s',
      bars: BATCH_SIZES.map((size) => ({ label: `batch ${size}`, value: summarize(runs[size].map((r) => r.perSecond)) })),
      lines: [{ label: `goal ${GOAL_PER_SECOND}/s`, value: GOAL_PER_SECOND }],
    },
  };
}
