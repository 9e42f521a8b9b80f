import { alternate } from '../alternate';
import type { BenchContext } from '../context';
import { formatNumber, formatSummary } from '../format';
import { queryOk } from '../graphqlHttp';
import { describeFailures, loadMetrics } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { commentsOf, expectedComments, fullNestedShape, narrowNestedShape, nestedQuery, type NestedShape } from '../queries';
import type { Metric, ScenarioResult } from '../results';
import { summarize } from '../stats';
import type { Scenario } from './scenario';

const CONNECTIONS = 10;
const THROUGHPUT_GOAL = 20;
const SIDES = ['optimized', 'naive'] as const;
type Side = (typeof SIDES)[number];

interface Count {
  readonly statements: number;
  readonly ms: number;
  readonly bytes: number;
}

/**
 * DESIGN.md "Benchmarks": the nested query with DataLoaders vs one query per relation
 * (USE_OPTIMIZED_QUERIES=false), at 10 connections.
 */
export const nestedOptimizedVsNaive: Scenario = {
  name: 'nested-optimized-vs-naive',
  title: 'Nested query: optimized (DataLoaders) vs naive (one query per relation)',
  async run(context) {
    const full = fullNestedShape(context.scale);
    const narrow = narrowNestedShape(context.scale);
    const counts = await countStatements(context, { narrow, full });

    const { timing } = context;
    const body = JSON.stringify({ query: nestedQuery(full) });
    const samples = await withServers(
      {
        optimized: () => context.startServer({ optimized: true, production: true }),
        naive: () => context.startServer({ optimized: false, production: true }),
      },
      async (servers) => {
        const token = await context.demoToken(servers.optimized);
        context.log('  warming up (one request per connection optimized, one request naive)');
        await runLoad({ database: context.database, server: servers.optimized, token, connections: CONNECTIONS, bodies: [body], ...context.nestedBound(CONNECTIONS, 1) });
        await queryOk(servers.naive.url, { query: nestedQuery(full) }, token);
        return alternate<Side, LoadSample>(SIDES, timing.repetitions, async (side, repetition) => {
          context.log(`  repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
          const perConnection = side === 'optimized' ? timing.nestedRequestsPerConnection : timing.naiveRequestsPerConnection;
          return runLoad({ database: context.database, server: servers[side], token, connections: CONNECTIONS, bodies: [body], ...context.nestedBound(CONNECTIONS, perConnection) });
        });
      },
    );

    const statementRows: Metric[] = [
      {
        label: `SQL statements per request, narrow (${describeShape(narrow)})`,
        unit: 'statements',
        values: { optimized: summarize([counts.optimized.narrow.statements]), naive: summarize([counts.naive.narrow.statements]) },
        digits: 0,
      },
      {
        label: `SQL statements per request, full (${describeShape(full)})`,
        unit: 'statements',
        values: { optimized: summarize([counts.optimized.full.statements]), naive: summarize([counts.naive.full.statements]) },
        ratio: { label: 'naive ÷ optimized', value: summarize([counts.naive.full.statements / counts.optimized.full.statements]) },
        digits: 0,
      },
      {
        label: 'one request alone, full (development server, second request)',
        unit: 'ms',
        values: { optimized: summarize([counts.optimized.full.ms]), naive: summarize([counts.naive.full.ms]) },
        ratio: { label: 'naive ÷ optimized', value: summarize([counts.naive.full.ms / counts.optimized.full.ms]) },
        digits: 0,
      },
    ];
    const metrics = [...statementRows, ...loadMetrics(samples, { better: 'optimized', other: 'naive' })];
    const throughput = metrics.find((metric) => metric.label === 'requests/s')!.ratio!.value;
    const constant = counts.optimized.narrow.statements === counts.optimized.full.statements;
    const naiveBounded = samples.naive.filter((sample) => sample.hitBound).length;

    return {
      sides: SIDES,
      definition: [
        `Query (${expectedComments(full).toLocaleString('en-US')} comments, ${formatNumber(counts.optimized.full.bytes / 1e6, 1)} MB of JSON per response), as the demo account (teams 1–3): ` +
          '`' + nestedQuery(full).replace(/\s+/g, ' ') + '`. The seed gives each demo team exactly ' +
          `${full.projects} projects × ${full.crsDocuments} CRS documents × ${full.comments} comments, so these \`first\` values return all of them.`,
        `Statements per request: \`extensions.queryCount\` of a request (the second) to a development server (NODE_ENV=development) of each kind, ` +
          `at the narrow shape (${describeShape(narrow)}) and the full one; the responses were checked to hold every expected comment.`,
        `Load: production servers (NODE_ENV=production, LOG_LEVEL=warn, child processes of the bench), ${CONNECTIONS} connections, ` +
          `each sending ${timing.nestedRequestsPerConnection} requests per repetition to the optimized server and ${timing.naiveRequestsPerConnection} to the naive one ` +
          `(bounded at ${timing.nestedMaxSeconds} s), after an unmeasured warm-up (one request per connection optimized, one request naive); requests/s = answered requests ÷ time to the last answer. ` +
          `${timing.repetitions} repetitions, sides alternating (A B, B A, A B); ratios are per repetition pair.`,
      ],
      metrics,
      goals: [
        {
          goal: `throughput optimized ÷ naive ≥ ${THROUGHPUT_GOAL}×`,
          measured: `${formatSummary(throughput, 1)}×`,
          met: context.options.quick ? null : throughput.median >= THROUGHPUT_GOAL,
        },
        {
          goal: 'optimized statements per request do not grow with breadth',
          measured: `${counts.optimized.narrow.statements} (narrow) vs ${counts.optimized.full.statements} (full)`,
          met: constant,
        },
      ],
      notes: [
        `Failures: optimized ${describeFailures(samples.optimized)}; naive ${describeFailures(samples.naive)}.`,
        ...(naiveBounded > 0 ? [`The naive side hit its ${timing.nestedMaxSeconds} s bound in ${naiveBounded} of ${timing.repetitions} repetitions; its figures are what it managed by then.`] : []),
      ],
      chart: {
        title: 'Nested query at 10 connections: requests/s',
        unit: 'req/s',
        bars: SIDES.map((side) => ({ label: side, value: summarize(samples[side].map((sample) => sample.requestsPerSecond)) })),
        logScale: true,
      },
    } satisfies ScenarioResult;
  },
};

function describeShape(shape: NestedShape): string {
  return `${shape.teams}×${shape.projects}×${shape.crsDocuments}×${shape.comments}`;
}

/** One request of each shape to a development server of each kind, reading extensions.queryCount. */
async function countStatements(
  context: BenchContext,
  shapes: { narrow: NestedShape; full: NestedShape },
): Promise<Record<Side, Record<'narrow' | 'full', Count>>> {
  const counts = {} as Record<Side, Record<'narrow' | 'full', Count>>;
  for (const side of SIDES) {
    counts[side] = await withServers({ server: () => context.startServer({ optimized: side === 'optimized', production: false }) }, async ({ server }) => {
      const token = await context.demoToken(server);
      const result = {} as Record<'narrow' | 'full', Count>;
      for (const [name, shape] of Object.entries(shapes) as ['narrow' | 'full', NestedShape][]) {
        // The first request of a fresh server pays for compiling code; the second is the one timed.
        await queryOk(server.url, { query: nestedQuery(shape) }, token);
        const reply = await queryOk(server.url, { query: nestedQuery(shape) }, token);
        const comments = commentsOf(reply.body.data).length;
        if (comments !== expectedComments(shape)) {
          throw new Error(`${side} server returned ${comments} comments for ${describeShape(shape)}, expected ${expectedComments(shape)}`);
        }
        const statements = reply.body.extensions?.queryCount;
        if (typeof statements !== 'number') throw new Error(`${side} development server sent no extensions.queryCount`);
        result[name] = { statements, ms: reply.ms, bytes: reply.bytes };
      }
      context.log(`  ${side}: ${result.narrow.statements} statements (narrow), ${result.full.statements} (full)`);
      return result;
    });
  }
  return counts;
}
