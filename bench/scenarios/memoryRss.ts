import { alternate } from '../alternate';
import { formatSummary } from '../format';
import { describeFailures } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { fullNestedShape, nestedQuery } from '../queries';
import type { ScenarioResult } from '../results';
import { summarize } from '../stats';
import type { Scenario } from './scenario';

const RSS_GOAL_MB = 512;
const SIDES = ['10 connections', '40 connections'] as const;
type Side = (typeof SIDES)[number];
const CONNECTIONS: Record<Side, number> = { '10 connections': 10, '40 connections': 40 };
/** Two waves at the goal's 10 connections; one at 40 (its peak is reached with every request in flight). */
const REQUESTS_PER_CONNECTION: Record<Side, number> = { '10 connections': 2, '40 connections': 1 };

interface MemorySample {
  readonly startRssMb: number;
  readonly load: LoadSample;
  readonly afterRssMb: number;
}

/**
 * The memory goal: the optimized production server's resident set size (the VmRSS of
 * all its processes, a cluster's primary and workers, sampled every 100 ms from /proc) under the
 * nested query, at the goal's 10 connections and at 40 to show how memory follows the number of
 * requests in flight.
 */
export const memoryRss: Scenario = {
  name: 'memory-rss',
  title: 'Server memory (RSS) under the nested query',
  async run(context) {
    const { timing } = context;
    const body = JSON.stringify({ query: nestedQuery(fullNestedShape(context.scale)) });
    const samples = await alternate<Side, MemorySample>(SIDES, timing.repetitions, (side, repetition) =>
      withServers({ server: () => context.startServer({ optimized: true, production: true }) }, async ({ server }) => {
        context.log(`  repetition ${repetition + 1}/${timing.repetitions}: ${side}, fresh server`);
        const token = await context.demoToken(server);
        const startRssMb = server.rssMb() ?? Number.NaN;
        const perConnection = context.options.quick ? 1 : REQUESTS_PER_CONNECTION[side];
        const load = await runLoad({ server, token, connections: CONNECTIONS[side], bodies: [body], ...context.nestedBound(CONNECTIONS[side], perConnection) });
        return { startRssMb, load, afterRssMb: server.rssMb() ?? Number.NaN };
      }),
    );

    const column = (pick: (sample: MemorySample) => number) =>
      Object.fromEntries(SIDES.map((side) => [side, summarize(samples[side].map(pick))]));
    const peak = column((sample) => sample.load.peakRssMb ?? Number.NaN);
    const goalSide = peak['10 connections']!;
    return {
      sides: SIDES,
      definition: [
        `The nested query of nested-optimized-vs-naive, ${REQUESTS_PER_CONNECTION['10 connections']} requests per connection at 10 connections and ` +
          `${REQUESTS_PER_CONNECTION['40 connections']} at 40${context.options.quick ? ' (1 each in --quick)' : ''}, per repetition, on a FRESH optimized production server ` +
          `(so each peak includes start-up and JIT, and no repetition inherits another's heap), ${timing.repetitions} repetitions alternating the two ` +
          `connection counts. RSS is the sum of VmRSS from /proc/<pid>/status over the server's processes (WEB_CONCURRENCY=${context.options.webConcurrency}: ` +
          `${context.options.webConcurrency === 1 ? 'one process' : `the primary and ${context.options.webConcurrency} workers, each with its own heap and embedding model`}), sampled every 100 ms by the bench. ` +
          'Scenarios nested-optimized-vs-naive and nested-vs-sql-floor report the same peak for their own load (row "peak server RSS").',
      ],
      metrics: [
        { label: 'RSS after start-up (before load)', unit: 'MB', values: column((sample) => sample.startRssMb), digits: 0 },
        { label: 'peak RSS under load', unit: 'MB', values: peak, digits: 0 },
        { label: 'RSS after load', unit: 'MB', values: column((sample) => sample.afterRssMb), digits: 0 },
        { label: 'requests/s', unit: 'req/s', values: column((sample) => sample.load.requestsPerSecond), digits: 2 },
        { label: 'p99 latency', unit: 'ms', values: column((sample) => sample.load.p99Ms), digits: 0 },
      ],
      goals: [
        {
          goal: `peak RSS ≤ ${RSS_GOAL_MB} MB under the nested load (10 connections)`,
          measured: `${formatSummary(goalSide)} MB (max ${Math.round(goalSide.max)} MB)`,
          met: context.options.quick ? null : goalSide.max <= RSS_GOAL_MB,
        },
      ],
      notes: SIDES.map((side) => `Failures at ${side}: ${describeFailures(samples[side].map((sample) => sample.load))}.`),
      chart: {
        title: 'Peak server RSS under the nested query',
        unit: 'MB',
        bars: SIDES.map((side) => ({ label: side, value: peak[side]! })),
        lines: [{ label: `goal ${RSS_GOAL_MB} MB`, value: RSS_GOAL_MB }],
      },
    } satisfies ScenarioResult;
  },
};
