import { alternate } from '../alternate';
import type { BenchContext } from '../context';
import { formatNumber, formatSummary } from '../format';
import { queryOk } from '../graphqlHttp';
import { describeFailures, loadMetrics } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { chatMessagesQuery, notificationsQuery, projectsQuery } from '../queries';
import type { Goal, Metric, ScenarioResult } from '../results';
import { summarize, type Summary } from '../stats';
import { demoChatSessionIds, seedMixBodies } from '../seedMixRequests';
import type { Scenario } from './scenario';

const CONNECTIONS = 100;
const SIDES = ['optimized', 'naive'] as const;
type Side = (typeof SIDES)[number];
const OPERATIONS = ['Notifications', 'Projects', 'ChatMessages'] as const;

/**
 * DESIGN.md "Benchmarks": the seed guide's locust mix (notifications 3 : projects 2 : chat
 * messages 1) as GraphQL, at 100 connections, against the seed's targets, with the statements each request costs.
 */
export const seedMix: Scenario = {
  name: 'seed-mix',
  title: "The seed's load mix (notifications 3 : projects 2 : chat messages 1) at 100 connections",
  async run(context) {
    const { timing } = context;
    const sessionIds = await demoChatSessionIds(context.databaseUrl);
    const bodies = seedMixBodies(sessionIds, 20_240_108);
    const statements = await countStatements(context, sessionIds[0]!);

    const samples = await withServers(
      {
        optimized: () => context.startServer({ optimized: true, production: true }),
        naive: () => context.startServer({ optimized: false, production: true }),
      },
      async (servers) => {
        const token = await context.demoToken(servers.optimized);
        context.log(`  warming up (${context.describeBound(timing.warmUpSeconds)} each)`);
        for (const side of SIDES) {
          await runLoad({ database: context.database, server: servers[side], token, connections: CONNECTIONS, bodies, ...context.loadBound(timing.warmUpSeconds, CONNECTIONS) });
        }
        return alternate<Side, LoadSample>(SIDES, timing.repetitions, async (side, repetition) => {
          context.log(`  repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
          return runLoad({ database: context.database, server: servers[side], token, connections: CONNECTIONS, bodies, ...context.loadBound(timing.mixSeconds, CONNECTIONS) });
        });
      },
    );

    const statementRows: Metric[] = OPERATIONS.flatMap((operation) => [
      {
        label: `SQL statements per request, ${operation} (viewer cached)`,
        unit: 'statements',
        values: { optimized: summarize([statements.warm.optimized[operation]]), naive: summarize([statements.warm.naive[operation]]) },
        digits: 0,
      },
      {
        label: `SQL statements per request, ${operation} (viewer cache off)`,
        unit: 'statements',
        values: { optimized: summarize([statements.cold.optimized[operation]]), naive: summarize([statements.cold.naive[operation]]) },
        digits: 0,
      },
    ]);
    const metrics = [...statementRows, ...loadMetrics(samples, { better: 'optimized', other: 'naive' })];
    const optimized = (label: string) => metrics.find((metric) => metric.label === label)!.values.optimized!;
    const errorsEverywhere = samples.optimized.reduce((sum, sample) => sum + sample.errorRate, 0);

    return {
      sides: SIDES,
      definition: [
        "The seed's locustfile as GraphQL, signed in as the demo account: `Notifications` (the newest 50 with unreadCount and each " +
          'notification\'s `subject`, i.e. the polymorphic lookup), `Projects` (the newest 50 of the viewer\'s projects with their team) and ' +
          `\`ChatMessages\` (one chat session's newest 20 messages with senders; the session is drawn at random from the ${sessionIds.length} ` +
          "sessions of the demo account's projects, where the locustfile drew ids 1–100). Every connection cycles N P N M N P, so the mix is exactly 3 : 2 : 1.",
        `Production servers, ${CONNECTIONS} connections, ${context.describeBound(timing.mixSeconds)} per repetition after a ${context.describeBound(timing.warmUpSeconds)} warm-up of each, ` +
          `${timing.repetitions} repetitions alternating optimized and naive (the seed's "before", for reference). Statements per request: one request ` +
          'of each operation to a development server of each kind. The locustfile\'s 1–3 s think time is left out: every connection sends its next ' +
          'request as soon as the previous one is answered, so this is the servers\' capacity, not 100 users\' load.',
      ],
      metrics,
      goals: [
        ...seedTargets(optimized('p95 latency'), optimized('p99 latency'), optimized('requests/s'), optimized('error rate'), context.options.quick),
        {
          goal: 'SQL statements per request with the viewer cached: Notifications ≤ 4, Projects ≤ 1, ChatMessages ≤ 2',
          measured: OPERATIONS.map((operation) => `${operation} ${statements.warm.optimized[operation]}`).join(', '),
          met: statements.warm.optimized.Notifications <= 4 && statements.warm.optimized.Projects <= 1 && statements.warm.optimized.ChatMessages <= 2,
        },
      ],
      notes: [`Failures: optimized ${describeFailures(samples.optimized)}; naive ${describeFailures(samples.naive)}.`],
      chart: {
        title: 'Seed mix at 100 connections: requests/s',
        unit: 'req/s',
        bars: SIDES.map((side) => ({ label: side, value: summarize(samples[side].map((sample) => sample.requestsPerSecond)) })),
        lines: [
          { label: 'seed target 500', value: 500 },
          { label: 'aim 1,000', value: 1000 },
        ],
      },
    } satisfies ScenarioResult;
  },
};

function seedTargets(p95: Summary, p99: Summary, throughput: Summary, errorRate: Summary, quick: boolean): Goal[] {
  const decide = (met: boolean) => (quick ? null : met);
  return [
    { goal: 'seed target: p95 < 200 ms', measured: `${formatSummary(p95)} ms`, met: decide(p95.median < 200) },
    { goal: 'seed target: p99 < 500 ms', measured: `${formatSummary(p99)} ms`, met: decide(p99.median < 500) },
    { goal: 'seed target: > 500 req/s', measured: `${formatSummary(throughput)} req/s`, met: decide(throughput.median > 500) },
    { goal: 'seed target: < 0.1 % errors', measured: `${formatNumber(errorRate.median, 3)} %`, met: decide(errorRate.median < 0.1) },
  ];
}

type StatementCounts = Record<Side, Record<(typeof OPERATIONS)[number], number>>;

/**
 * extensions.queryCount of one request of each operation, on a development server of each kind:
 * `warm` once the viewer's record is in the viewer cache (each operation sent twice, the second
 * counted), `cold` with the cache off (VIEWER_CACHE_SIZE=0), as for a viewer's first request.
 */
async function countStatements(context: BenchContext, sessionId: number): Promise<{ warm: StatementCounts; cold: StatementCounts }> {
  const requests = {
    Notifications: { query: notificationsQuery },
    Projects: { query: projectsQuery },
    ChatMessages: { query: chatMessagesQuery, variables: { id: String(sessionId) } },
  };
  const counts = { warm: {}, cold: {} } as { warm: StatementCounts; cold: StatementCounts };
  for (const cache of ['warm', 'cold'] as const) {
    for (const side of SIDES) {
      const env = cache === 'cold' ? { VIEWER_CACHE_SIZE: '0' } : undefined;
      counts[cache][side] = await withServers({ server: () => context.startServer({ optimized: side === 'optimized', production: false, env }) }, async ({ server }) => {
        const token = await context.demoToken(server);
        const result = {} as Record<(typeof OPERATIONS)[number], number>;
        for (const operation of OPERATIONS) {
          await queryOk(server.url, requests[operation], token);
          const reply = await queryOk(server.url, requests[operation], token);
          result[operation] = reply.body.extensions?.queryCount ?? Number.NaN;
        }
        return result;
      });
    }
  }
  return counts;
}
