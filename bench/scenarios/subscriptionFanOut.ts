import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { formatSummary } from '../format';
import { queryOk } from '../graphqlHttp';
import type { ServerProcess } from '../processes/serverProcess';
import { withServers } from '../processes/withServers';
import type { ScenarioResult } from '../results';
import { percentile, summarize } from '../stats';
import type { Scenario } from './scenario';

const SIDE = '2 instances' as const;
const LATENCY_GOAL_MS = 100;
const SUBSCRIBERS = 1000;
const QUICK_SUBSCRIBERS = 10;
const MESSAGES = 30;
const QUICK_MESSAGES = 3;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SUBSCRIPTION = 'subscription ($s: ID!) { messageAdded(sessionId: $s) { cursor node { id content } } }';

interface FanOutSample {
  /** Every delivery of every message: post sent → event received, ms. */
  readonly latenciesMs: number[];
  /** Server RSS growth per 1,000 idle subscriptions (both instances together), MB. */
  readonly rssPer1000Mb: number;
  readonly lost: number;
}

/**
 * Fan-out latency of messageAdded: N subscribers of one chat session of the demo account, one
 * socket each, half on each of two server processes sharing Redis; messages are posted one at a
 * time through the first, and each delivery's time from sending the postMessage request to the
 * event's arrival is recorded (an upper bound of commit → received: it includes the mutation's
 * own time). Also the servers' RSS growth from before the subscriptions to once they are all
 * running and idle.
 */
export const subscriptionFanOut: Scenario = {
  name: 'subscription-fan-out',
  title: 'Subscriptions: fan-out latency across two instances, RSS per 1,000 idle subscriptions',
  async run(context): Promise<ScenarioResult> {
    const subscribers = context.options.quick ? QUICK_SUBSCRIBERS : SUBSCRIBERS;
    const messages = context.options.quick ? QUICK_MESSAGES : MESSAGES;
    const env = { REDIS_URL, MAX_SUBSCRIPTIONS_PER_USER: String(subscribers) };
    const start = () => context.startServer({ optimized: true, production: true, env });
    const sample = await withServers({ writer: start, other: start }, async ({ writer, other }) => {
      const token = await context.demoToken(writer);
      const sessionId = await chatSessionOf(writer, token);
      const rssBefore = (writer.rssMb() ?? Number.NaN) + (other.rssMb() ?? Number.NaN);
      const clients: Client[] = [];
      const received = new Map<string, number[]>();
      try {
        for (let index = 0; index < subscribers; index++) {
          const server = index % 2 === 0 ? writer : other;
          const client = createClient({
            url: `${server.url.replace('http', 'ws')}/graphql`,
            webSocketImpl: WebSocket,
            connectionParams: { authorization: `Bearer ${token}` },
            retryAttempts: 0,
          });
          clients.push(client);
          client.subscribe<{ messageAdded: { node: { content: string } } }>(
            { query: SUBSCRIPTION, variables: { s: sessionId } },
            {
              next: (result) => {
                const content = result.data?.messageAdded.node.content;
                if (content) (received.get(content) ?? received.set(content, []).get(content)!).push(performance.now());
              },
              error: (error) => context.log(`  subscriber error: ${JSON.stringify(error)}`),
              complete: () => {},
            },
          );
        }
        await Promise.all([untilSubscriptions(writer, subscribers / 2), untilSubscriptions(other, subscribers / 2)]);
        const rssAfter = (writer.rssMb() ?? Number.NaN) + (other.rssMb() ?? Number.NaN);
        context.log(`  ${subscribers} subscriptions running; RSS ${Math.round(rssBefore)} → ${Math.round(rssAfter)} MB`);

        const latenciesMs: number[] = [];
        let lost = 0;
        for (let message = 0; message < messages; message++) {
          const content = `fan-out ${message} ${Date.now()}`;
          const sentAt = performance.now();
          await queryOk(writer.url, { query: 'mutation ($s: ID!, $c: String!) { postMessage(sessionId: $s, content: $c) { id } }', variables: { s: sessionId, c: content } }, token);
          const arrivals = await untilReceived(received, content, subscribers);
          latenciesMs.push(...arrivals.map((at) => at - sentAt));
          lost += subscribers - arrivals.length;
        }
        return { latenciesMs, rssPer1000Mb: ((rssAfter - rssBefore) * 1000) / subscribers, lost };
      } finally {
        await Promise.all(clients.map((client) => client.dispose()));
      }
    });

    const p50 = percentile(sample.latenciesMs, 50);
    const p99 = percentile(sample.latenciesMs, 99);
    const one = (value: number) => ({ [SIDE]: summarize([value]) });
    return {
      sides: [SIDE],
      definition: [
        `${subscribers} messageAdded subscriptions of the demo account on one chat session, one WebSocket each, alternately on two optimized production ` +
          `servers sharing Redis (${REDIS_URL}); ${messages} messages posted one after the other through the first server, each waited for at every subscriber. ` +
          'Latency: from sending postMessage to the event arriving at a subscriber (includes the mutation itself, so it bounds commit → received from above). ' +
          'RSS: the two servers together, before the subscriptions and once they all run idle, scaled to 1,000 subscriptions.' +
          (context.options.quick ? ' --quick: a few subscribers and messages.' : ''),
      ],
      metrics: [
        { label: 'p50 post → event', unit: 'ms', values: one(p50), digits: 1 },
        { label: 'p99 post → event', unit: 'ms', values: one(p99), digits: 1 },
        { label: 'deliveries', unit: '', values: one(sample.latenciesMs.length) },
        { label: 'deliveries lost', unit: '', values: one(sample.lost) },
        { label: 'RSS per 1,000 idle subscriptions', unit: 'MB', values: one(sample.rssPer1000Mb), digits: 1 },
      ],
      goals: [
        {
          goal: `write → event p99 ≤ ${LATENCY_GOAL_MS} ms with ${SUBSCRIBERS} subscribers on 2 instances`,
          measured: `${formatSummary(summarize([p99]), 1)} ms`,
          met: context.options.quick ? null : p99 <= LATENCY_GOAL_MS,
        },
        { goal: 'no delivery lost', measured: String(sample.lost), met: sample.lost === 0 },
      ],
      notes: [],
      chart: {
        title: 'Subscription fan-out latency',
        unit: 'ms',
        bars: [
          { label: 'p50', value: summarize([p50]) },
          { label: 'p99', value: summarize([p99]) },
        ],
        lines: [{ label: `goal ${LATENCY_GOAL_MS} ms`, value: LATENCY_GOAL_MS }],
      },
    };
  },
};

/** A chat session of the demo account's first project, started when it has none. */
async function chatSessionOf(server: ServerProcess, token: string): Promise<string> {
  const reply = await queryOk(server.url, { query: '{ teams(first: 1) { projects(first: 1) { id chatSessions(first: 1) { id } } } }' }, token);
  const project = reply.body.data.teams[0].projects[0];
  if (project.chatSessions.length > 0) return project.chatSessions[0].id;
  const started = await queryOk(server.url, { query: 'mutation ($p: ID!) { startChatSession(projectId: $p, name: "fan-out") { id } }', variables: { p: project.id } }, token);
  return started.body.data.startChatSession.id;
}

/** Waits until the server's /metrics shows `count` running subscriptions. */
async function untilSubscriptions(server: ServerProcess, count: number): Promise<void> {
  for (;;) {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    if (Number(/^bridgeai_subscriptions (\S+)$/m.exec(text)?.[1] ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The arrival times of `content` once every subscriber has it, or what arrived within 10 s. */
async function untilReceived(received: Map<string, number[]>, content: string, subscribers: number): Promise<number[]> {
  const deadline = performance.now() + 10_000;
  while ((received.get(content)?.length ?? 0) < subscribers && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return received.get(content) ?? [];
}
