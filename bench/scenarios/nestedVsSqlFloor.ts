import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createConnection } from 'mysql2/promise';
import { alternate } from '../alternate';
import type { BenchContext } from '../context';
import { floorStatement } from '../floor/floorQuery';
import { formatNumber, formatSummary } from '../format';
import { queryOk } from '../graphqlHttp';
import { describeFailures, loadMetrics } from '../load/loadMetrics';
import { runLoad, type LoadSample } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { commentsOf, fullNestedShape, nestedQuery, type NestedShape } from '../queries';
import type { ScenarioResult } from '../results';
import { summarize } from '../stats';
import type { Scenario } from './scenario';

const CONNECTIONS = 10;
const FLOOR_GOAL = 2;
const SIDES = ['GraphQL', 'SQL floor'] as const;
type Side = (typeof SIDES)[number];
/** The demo account's user id (src/seed/generators/people.ts). */
const DEMO_USER_ID = 1;

/**
 * DESIGN.md "Benchmarks": the nested query on the optimized production server vs one
 * hand-written SQL statement returning the same JSON behind a bare node:http server.
 */
export const nestedVsSqlFloor: Scenario = {
  name: 'nested-vs-sql-floor',
  title: 'Nested query: optimized GraphQL server vs one hand-written SQL statement (the floor)',
  async run(context) {
    const shape = fullNestedShape(context.scale);
    const { timing } = context;
    const body = JSON.stringify({ query: nestedQuery(shape) });
    const statementMs = await timeFloorStatement(context, shape);

    const { samples, comments } = await withServers(
      {
        GraphQL: () => context.startServer({ optimized: true, production: true }),
        'SQL floor': () => context.startFloorServer(shape),
      },
      async (servers) => {
        const token = await context.demoToken(servers.GraphQL);
        const comments = await checkSameData(servers.GraphQL.url, servers['SQL floor'].url, shape, token);
        context.log(`  both sides return the same ${comments} comments; warming up (one request per connection on each)`);
        for (const side of SIDES) {
          await runLoad({ database: context.database, server: servers[side], token, connections: CONNECTIONS, bodies: [body], ...context.nestedBound(CONNECTIONS, 1) });
        }
        const samples = await alternate<Side, LoadSample>(SIDES, timing.repetitions, async (side, repetition) => {
          context.log(`  repetition ${repetition + 1}/${timing.repetitions}: ${side}`);
          return runLoad({ database: context.database, server: servers[side], token, connections: CONNECTIONS, bodies: [body], ...context.nestedBound(CONNECTIONS, timing.nestedRequestsPerConnection) });
        });
        return { samples, comments };
      },
    );

    const metrics = [
      ...loadMetrics(samples, { better: 'SQL floor', other: 'GraphQL' }),
      {
        label: 'the floor statement alone (in-process, one at a time)',
        unit: 'ms',
        values: { GraphQL: null, 'SQL floor': statementMs },
        digits: 0,
      },
    ];
    const throughput = metrics.find((metric) => metric.label === 'requests/s')!.ratio!.value;
    return {
      sides: SIDES,
      definition: [
        `The nested query of nested-optimized-vs-naive (${comments.toLocaleString('en-US')} comments) on the optimized production server, ` +
          'vs bench/floor/floorServer.ts: node:http, the same bearer-token check, then ONE statement of ' +
          'nested JSON_ARRAYAGG/JSON_OBJECT subqueries (bench/floor/floorQuery.ts) whose JSON is written out as `{"data":{"teams":…}}`. ' +
          'Before the load, one response of each was parsed and compared: the data is identical.',
        `${CONNECTIONS} connections, each sending ${timing.nestedRequestsPerConnection} requests per repetition (bounded at ${timing.nestedMaxSeconds} s) after one ` +
          'unmeasured request per connection on each side; requests/s = answered requests ÷ time to the last answer; ' +
          `${timing.repetitions} repetitions alternating; ratios are per repetition pair (floor ÷ GraphQL for requests/s, GraphQL ÷ floor for latency). ` +
          'The statement alone: 5 runs on one connection from the bench process, after one unmeasured run.',
      ],
      metrics,
      goals: [
        {
          goal: `GraphQL within ${FLOOR_GOAL}× of the floor (requests/s floor ÷ GraphQL ≤ ${FLOOR_GOAL})`,
          measured: `${formatSummary(throughput, 2)}×`,
          met: context.options.quick ? null : throughput.median <= FLOOR_GOAL,
        },
      ],
      notes: [
        `Failures: GraphQL ${describeFailures(samples.GraphQL)}; floor ${describeFailures(samples['SQL floor'])}.`,
        `The floor's time is MariaDB's (the statement alone takes ${formatNumber(statementMs.median)} ms); the GraphQL server's is mostly Node's: ` +
          'on a 2-core machine they compete with each other and with autocannon for the same cores.',
        `The GraphQL server runs as in production (WEB_CONCURRENCY=${context.options.webConcurrency}); the floor is one node:http process, ` +
          'which is enough for it: its requests wait on MariaDB, not on Node.',
      ],
      chart: {
        title: 'Nested query at 10 connections: GraphQL vs SQL floor, requests/s',
        unit: 'req/s',
        bars: SIDES.map((side) => ({ label: side, value: summarize(samples[side].map((sample) => sample.requestsPerSecond)) })),
      },
    } satisfies ScenarioResult;
  },
};

/** Parses one response of each server and compares `data`; returns the number of comments. */
async function checkSameData(graphqlUrl: string, floorUrl: string, shape: NestedShape, token: string): Promise<number> {
  const request = { query: nestedQuery(shape) };
  const [graphql, floor] = await Promise.all([queryOk(graphqlUrl, request, token), queryOk(floorUrl, request, token)]);
  if (!isDeepStrictEqual(graphql.body.data, floor.body.data)) {
    throw new Error('the SQL floor does not return the same data as the GraphQL server; fix bench/floor/floorQuery.ts');
  }
  return commentsOf(graphql.body.data).length;
}

/** The floor statement's own time, sequentially on one connection. */
async function timeFloorStatement(context: BenchContext, shape: NestedShape) {
  const connection = await createConnection({ uri: context.databaseUrl, timezone: 'Z' });
  try {
    const statement = floorStatement(shape);
    await connection.query(statement, [DEMO_USER_ID]);
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await connection.query(statement, [DEMO_USER_ID]);
      samples.push(performance.now() - started);
    }
    return summarize(samples);
  } finally {
    await connection.end();
  }
}
