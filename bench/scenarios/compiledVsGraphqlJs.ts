import { alternate } from '../alternate';
import { formatSummary } from '../format';
import { describeFailures, loadMetrics } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { fullNestedShape, nestedQuery } from '../queries';
import type { Metric, ScenarioResult } from '../results';
import { summarize } from '../stats';
import { demoChatSessionIds, seedMixBodies } from '../seedMixRequests';
import type { Scenario } from './scenario';

const SIDES = ['compiled', 'graphql-js'] as const;
type Side = (typeof SIDES)[number];
const NESTED_CONNECTIONS = 10;
const MIX_CONNECTIONS = 100;

/**
 * The executor, and nothing else, changed: the optimized production server with
 * GRAPHQL_EXECUTION=compiled (graphql-jit, src/http/compiledExecution.ts) vs graphql-js, on the
 * nested query and on the seed mix. Keeps the default honest: it stays `compiled` only while
 * this says it pays.
 */
export const compiledVsGraphqlJs: Scenario = {
  name: 'compiled-vs-graphql-js',
  title: 'Execution: operations compiled by graphql-jit vs graphql-js',
  async run(context) {
    const { timing } = context;
    const shape = fullNestedShape(context.scale);
    const nestedBody = JSON.stringify({ query: nestedQuery(shape) });
    const mixBodies = seedMixBodies(await demoChatSessionIds(context.databaseUrl), 20_240_108);
    const server = (execution: Side) => () =>
      context.startServer({ optimized: true, production: true, env: { GRAPHQL_EXECUTION: execution } });

    const { nested, mix } = await withServers({ compiled: server('compiled'), 'graphql-js': server('graphql-js') }, async (servers) => {
      const token = await context.demoToken(servers.compiled);
      context.log(`  warming up (one nested request per connection, then ${context.describeBound(timing.warmUpSeconds)} of the mix, each)`);
      for (const side of SIDES) {
        await runLoad({ server: servers[side], token, connections: NESTED_CONNECTIONS, bodies: [nestedBody], ...context.nestedBound(NESTED_CONNECTIONS, 1) });
        await runLoad({ server: servers[side], token, connections: MIX_CONNECTIONS, bodies: mixBodies, ...context.loadBound(timing.warmUpSeconds, MIX_CONNECTIONS) });
      }
      const nested = await alternate<Side, LoadSample>(SIDES, timing.repetitions, async (side, repetition) => {
        context.log(`  nested, repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
        return runLoad({
          server: servers[side],
          token,
          connections: NESTED_CONNECTIONS,
          bodies: [nestedBody],
          ...context.nestedBound(NESTED_CONNECTIONS, timing.nestedRequestsPerConnection),
        });
      });
      const mix = await alternate<Side, LoadSample>(SIDES, timing.repetitions, async (side, repetition) => {
        context.log(`  seed mix, repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
        return runLoad({ server: servers[side], token, connections: MIX_CONNECTIONS, bodies: mixBodies, ...context.loadBound(timing.mixSeconds, MIX_CONNECTIONS) });
      });
      return { nested, mix };
    });

    const prefixed = (prefix: string, metrics: Metric[]) => metrics.map((metric) => ({ ...metric, label: `${prefix}: ${metric.label}` }));
    const ratio = { better: 'compiled', other: 'graphql-js' };
    const metrics = [...prefixed('nested', loadMetrics(nested, ratio)), ...prefixed('seed mix', loadMetrics(mix, ratio))];
    const throughputRatio = (label: string) => metrics.find((metric) => metric.label === label)!.ratio!.value;

    return {
      sides: SIDES,
      definition: [
        'Two optimized production servers that differ only in GRAPHQL_EXECUTION: `compiled` runs each operation as a function graphql-jit compiled ' +
          'once per parsed document (src/http/compiledExecution.ts); `graphql-js` is the reference executor. Parsing, validation, limits, plugins ' +
          'and error formatting are Apollo Server\'s on both.',
        `Nested: the query of nested-optimized-vs-naive, ${NESTED_CONNECTIONS} connections, ${timing.nestedRequestsPerConnection} requests per connection per repetition. ` +
          `Seed mix: the requests of seed-mix, ${MIX_CONNECTIONS} connections, ${context.describeBound(timing.mixSeconds)} per repetition. ` +
          `${timing.repetitions} repetitions of each, sides alternating; ratios are per repetition pair.`,
      ],
      metrics,
      goals: [
        {
          goal: 'compiled execution pays on the nested query (requests/s compiled ÷ graphql-js > 1)',
          measured: `${formatSummary(throughputRatio('nested: requests/s'), 2)}×`,
          met: context.options.quick ? null : throughputRatio('nested: requests/s').median > 1,
        },
        {
          goal: 'compiled execution pays on the seed mix (requests/s compiled ÷ graphql-js > 1)',
          measured: `${formatSummary(throughputRatio('seed mix: requests/s'), 2)}×`,
          met: context.options.quick ? null : throughputRatio('seed mix: requests/s').median > 1,
        },
      ],
      notes: [
        `Failures, nested: compiled ${describeFailures(nested.compiled)}; graphql-js ${describeFailures(nested['graphql-js'])}.`,
        `Failures, seed mix: compiled ${describeFailures(mix.compiled)}; graphql-js ${describeFailures(mix['graphql-js'])}.`,
      ],
      chart: {
        title: 'Seed mix at 100 connections by executor: requests/s',
        unit: 'req/s',
        bars: SIDES.map((side) => ({ label: side, value: summarize(mix[side].map((sample) => sample.requestsPerSecond)) })),
      },
    } satisfies ScenarioResult;
  },
};
