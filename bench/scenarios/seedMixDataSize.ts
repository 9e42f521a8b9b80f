import { alternate } from '../alternate';
import { DEMO_ACCOUNT } from '../context';
import { login } from '../graphqlHttp';
import { prepareBenchDatabase } from '../benchDatabase';
import { formatSummary } from '../format';
import { describeFailures, loadMetrics } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import type { Metric, ScenarioResult } from '../results';
import { summarize, type Summary } from '../stats';
import { demoChatSessionIds, seedMixBodies } from '../seedMixRequests';
import type { Scenario } from './scenario';

const CONNECTIONS = 100;
const DEMO = 'demo data';
const BENCH = 'bench data';
const SIDES = [DEMO, BENCH] as const;

/** Per request, on the bench data: the goal of the lean request path. */
const CPU_GOAL_MS = 1.0;

/**
 * The seed mix on the demo data (what `npm start` seeds) and on the bench data (the demo account
 * with 1,000 notifications, 1,000 teams, 300,000 notifications in all): with indexes that serve
 * each statement, the data's size should not matter.
 */
export const seedMixDataSize: Scenario = {
  name: 'seed-mix-data-size',
  title: 'The seed mix on the demo data vs on the bench data, at 100 connections',
  async run(context) {
    const { timing } = context;
    const demo = new URL(context.databaseUrl);
    demo.pathname = `${demo.pathname}_demo`;
    const demoUrl = demo.toString();
    context.log('  preparing the demo-scale database');
    await prepareBenchDatabase(demoUrl, 'demo', { reseed: context.options.reseed, log: (line) => context.log(`  ${line}`) });
    const urls = { [DEMO]: demoUrl, [BENCH]: context.databaseUrl };
    const bodies = {
      [DEMO]: seedMixBodies(await demoChatSessionIds(demoUrl), 20_240_108),
      [BENCH]: seedMixBodies(await demoChatSessionIds(context.databaseUrl), 20_240_108),
    };

    const samples = await withServers(
      {
        [DEMO]: () => context.startServer({ optimized: true, production: true, env: { DATABASE_URL: urls[DEMO] } }),
        [BENCH]: () => context.startServer({ optimized: true, production: true }),
      },
      async (servers) => {
        // Each database has its own demo account row: sign in on each server.
        const tokens = {
          [DEMO]: await login(servers[DEMO]!.url, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password),
          [BENCH]: await login(servers[BENCH]!.url, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password),
        };
        const load = (side: (typeof SIDES)[number], seconds: number) =>
          runLoad({ database: context.database, server: servers[side]!, token: tokens[side], connections: CONNECTIONS, bodies: bodies[side], ...context.loadBound(seconds, CONNECTIONS) });
        context.log(`  warming up (${context.describeBound(timing.warmUpSeconds)} each)`);
        for (const side of SIDES) await load(side, timing.warmUpSeconds);
        return alternate<(typeof SIDES)[number], LoadSample>(SIDES, timing.repetitions, async (side, repetition) => {
          context.log(`  repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
          return load(side, timing.mixSeconds);
        });
      },
    );

    const metrics: Metric[] = loadMetrics(samples, { better: BENCH, other: DEMO });
    const row = (label: string) => metrics.find((metric) => metric.label === label)!;
    const of = (side: string, label: string): Summary => row(label).values[side]!;
    const decide = (met: boolean) => (context.options.quick ? null : met);
    const throughputRatio = row('requests/s').ratio!.value;
    const cpu = (label: string) => of(BENCH, label);
    const serverCpu = cpu('server CPU per answered request (its processes, not MariaDB)');
    const databaseRow = metrics.find((metric) => metric.label.startsWith('MariaDB CPU'));

    return {
      sides: SIDES,
      definition: [
        "The requests of seed-mix (the seed's locust mix as GraphQL, signed in as the demo account), against two optimized production servers: " +
          `one on a database of the demo scale (${new URL(demoUrl).pathname.slice(1)}, what \`npm start\` seeds), one on the bench database ` +
          '(the same account with 1,000 notifications among 300,000, 1,000 teams).',
        `${CONNECTIONS} connections, ${context.describeBound(timing.mixSeconds)} per repetition after a ${context.describeBound(timing.warmUpSeconds)} warm-up of each, ` +
          `${timing.repetitions} repetitions alternating; the ratio is bench ÷ demo per repetition pair. CPU per request as in seed-mix.`,
      ],
      metrics,
      goals: [
        { goal: 'seed target on the demo data: p95 < 200 ms', measured: `${formatSummary(of(DEMO, 'p95 latency'))} ms`, met: decide(of(DEMO, 'p95 latency').median < 200) },
        { goal: 'seed target on the demo data: p99 < 500 ms', measured: `${formatSummary(of(DEMO, 'p99 latency'))} ms`, met: decide(of(DEMO, 'p99 latency').median < 500) },
        { goal: 'seed target on the demo data: > 500 req/s', measured: `${formatSummary(of(DEMO, 'requests/s'), 0)} req/s`, met: decide(of(DEMO, 'requests/s').median > 500) },
        {
          goal: 'aim on the demo data: ≥ 1,000 req/s, p99 ≤ 200 ms',
          measured: `${formatSummary(of(DEMO, 'requests/s'), 0)} req/s, p99 ${formatSummary(of(DEMO, 'p99 latency'))} ms`,
          met: decide(of(DEMO, 'requests/s').median >= 1000 && of(DEMO, 'p99 latency').median <= 200),
        },
        { goal: 'bench data ≥ 0.8× the demo data\'s requests/s', measured: `${formatSummary(throughputRatio, 2)}×`, met: decide(throughputRatio.median >= 0.8) },
        { goal: `server CPU per request on the bench data ≤ ${CPU_GOAL_MS} ms`, measured: `${formatSummary(serverCpu, 2)} ms`, met: decide(serverCpu.median <= CPU_GOAL_MS) },
        ...(databaseRow
          ? [{
              goal: `MariaDB CPU per request on the bench data ≤ ${CPU_GOAL_MS} ms`,
              measured: `${formatSummary(databaseRow.values[BENCH]!, 2)} ms`,
              met: decide(databaseRow.values[BENCH]!.median <= CPU_GOAL_MS),
            }]
          : []),
        {
          goal: '0 errors',
          measured: `demo ${describeFailures(samples[DEMO])}; bench ${describeFailures(samples[BENCH])}`,
          met: decide([...samples[DEMO], ...samples[BENCH]].every((sample) => sample.errorRate === 0)),
        },
      ],
      notes: [],
      chart: {
        title: 'Seed mix at 100 connections, demo vs bench data: requests/s',
        unit: 'req/s',
        bars: SIDES.map((side) => ({ label: side, value: summarize(samples[side].map((sample) => sample.requestsPerSecond)) })),
        lines: [{ label: 'seed target 500', value: 500 }, { label: 'aim 1,000', value: 1000 }],
      },
    } satisfies ScenarioResult;
  },
};
