import { alternate } from '../alternate';
import type { BenchContext, LoadBound, ServerKind } from '../context';
import { formatSummary } from '../format';
import { describeFailures, loadMetrics } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { fullNestedShape, nestedQuery } from '../queries';
import type { Metric, ScenarioResult } from '../results';
import { summarize } from '../stats';
import { demoChatSessionIds, seedMixBodies } from '../seedMixRequests';
import type { Scenario } from './scenario';

const NESTED_CONNECTIONS = 10;
const MIX_CONNECTIONS = 100;

export interface ServerComparison {
  readonly name: string;
  readonly title: string;
  /** The side expected to win, then the other one: names and how each server differs. */
  readonly sides: readonly [ComparedServer, ComparedServer];
  /** What differs between the two servers, and why it is measured (the definition's first paragraph). */
  readonly what: string;
  /**
   * A setting outside the servers (of the database server, say) that a side needs: called before
   * each of that side's warm-ups and repetitions, which then warm up again; `restore` runs at
   * the end, also after a failure.
   */
  readonly environment?: {
    prepare(side: string, context: BenchContext): Promise<void>;
    restore(context: BenchContext): Promise<void>;
  };
}

export interface ComparedServer {
  readonly name: string;
  readonly server: Partial<ServerKind>;
}

/**
 * Two optimized production servers that differ in one setting, on the nested query (10
 * connections) and on the seed mix (100 connections), sides alternating. A default stays a
 * default only while its comparison says it pays.
 */
export function serverComparison(comparison: ServerComparison): Scenario {
  const [better, other] = comparison.sides;
  const sideNames = [better.name, other.name] as const;
  return {
    name: comparison.name,
    title: comparison.title,
    async run(context: BenchContext) {
      const { timing } = context;
      const nestedBody = JSON.stringify({ query: nestedQuery(fullNestedShape(context.scale)) });
      const mixBodies = seedMixBodies(await demoChatSessionIds(context.databaseUrl), 20_240_108);
      const start = (side: ComparedServer) => () => context.startServer({ optimized: true, production: true, ...side.server });

      const { environment } = comparison;
      const { nested, mix } = await withServers({ [better.name]: start(better), [other.name]: start(other) }, async (servers) => {
        const token = await context.demoToken(servers[better.name]!);
        const load = (side: string, workload: 'nested' | 'mix', bound: LoadBound) =>
          runLoad({
            database: context.database,
            server: servers[side]!,
            token,
            ...(workload === 'nested' ? { connections: NESTED_CONNECTIONS, bodies: [nestedBody] } : { connections: MIX_CONNECTIONS, bodies: mixBodies }),
            ...bound,
          });
        const warmUp = async (side: string, workload: 'nested' | 'mix') => {
          await environment?.prepare(side, context);
          await load(side, workload, workload === 'nested' ? context.nestedBound(NESTED_CONNECTIONS, 1) : context.loadBound(timing.warmUpSeconds, MIX_CONNECTIONS));
        };
        try {
          context.log(`  warming up (one nested request per connection, then ${context.describeBound(timing.warmUpSeconds)} of the mix, each)`);
          for (const side of sideNames) {
            await warmUp(side, 'nested');
            await warmUp(side, 'mix');
          }
          const nested = await alternate<string, LoadSample>(sideNames, timing.repetitions, async (side, repetition) => {
            if (environment) await warmUp(side, 'nested');
            context.log(`  nested, repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
            return load(side, 'nested', context.nestedBound(NESTED_CONNECTIONS, timing.nestedRequestsPerConnection));
          });
          const mix = await alternate<string, LoadSample>(sideNames, timing.repetitions, async (side, repetition) => {
            if (environment) await warmUp(side, 'mix');
            context.log(`  seed mix, repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
            return load(side, 'mix', context.loadBound(timing.mixSeconds, MIX_CONNECTIONS));
          });
          return { nested, mix };
        } finally {
          await environment?.restore(context);
        }
      });

      const prefixed = (prefix: string, metrics: Metric[]) => metrics.map((metric) => ({ ...metric, label: `${prefix}: ${metric.label}` }));
      const ratio = { better: better.name, other: other.name };
      const metrics = [...prefixed('nested', loadMetrics(nested, ratio)), ...prefixed('seed mix', loadMetrics(mix, ratio))];
      const throughputRatio = (label: string) => metrics.find((metric) => metric.label === label)!.ratio!.value;
      const pays = (workload: 'nested' | 'seed mix') => {
        const value = throughputRatio(`${workload}: requests/s`);
        return {
          goal: `${better.name} pays on the ${workload === 'nested' ? 'nested query' : 'seed mix'} (requests/s ${better.name} ÷ ${other.name} > 1)`,
          measured: `${formatSummary(value, 2)}×`,
          met: context.options.quick ? null : value.median > 1,
        };
      };

      return {
        sides: sideNames,
        definition: [
          comparison.what,
          `Nested: the query of nested-optimized-vs-naive, ${NESTED_CONNECTIONS} connections, ${timing.nestedRequestsPerConnection} requests per connection per repetition. ` +
            `Seed mix: the requests of seed-mix, ${MIX_CONNECTIONS} connections, ${context.describeBound(timing.mixSeconds)} per repetition. ` +
            `${timing.repetitions} repetitions of each, sides alternating; ratios are per repetition pair.`,
        ],
        metrics,
        goals: [pays('nested'), pays('seed mix')],
        notes: sideNames.map(
          (side) => `Failures of ${side}: nested ${describeFailures(nested[side]!)}; seed mix ${describeFailures(mix[side]!)}.`,
        ),
        chart: {
          title: `Seed mix at ${MIX_CONNECTIONS} connections, ${better.name} vs ${other.name}: requests/s`,
          unit: 'req/s',
          bars: sideNames.map((side) => ({ label: side, value: summarize(mix[side]!.map((sample) => sample.requestsPerSecond)) })),
        },
      } satisfies ScenarioResult;
    },
  };
}
