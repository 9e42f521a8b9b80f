import { ApolloClient, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import type { DocumentNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { MessageAddedDocument, NotificationAddedDocument } from '../../schema/generated/graphql';
import { issueToken } from '../../src/auth/tokens';
import { persistedOperations } from '../../src/http/persistedQueriesManifest';
import { LocalLiveEvents, type LiveEvent } from '../../src/events/liveEvents';
import { transactionWithEvents } from '../../schema/committedEvents';
import type { GraphQLContext } from '../../schema/context';
import { notify } from '../../loaders/notify';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { FIXTURE_PASSWORD, Fixtures } from '../support/fixtures';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';

const REDIS = { REDIS_URL: 'redis://127.0.0.1:6379' };

/** A graphql-ws client for `server`, signed in with `token` in connection_init. */
function wsClient(server: TestServer, token: string | undefined): Client {
  return createClient({
    url: `${server.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
  });
}

interface Feed<T> {
  values: T[];
  errors: { message: string; extensions?: { code?: string } }[];
  /** Resolves once `count` values (or an error) have arrived. */
  received(count: number): Promise<void>;
  stop(): void;
}

/** Subscribes through Apollo Client with GraphQLWsLink and records what arrives. */
function subscribe<T>(client: ApolloClient, query: DocumentNode, variables: Record<string, unknown>): Feed<T> {
  const waiters: Array<() => void> = [];
  const feed: Feed<T> = {
    values: [],
    errors: [],
    received: (count) =>
      new Promise<void>((resolve) => {
        const check = () => (feed.values.length >= count || feed.errors.length > 0 ? resolve() : waiters.push(check));
        check();
      }),
    stop: () => subscription.unsubscribe(),
  };
  const wake = () => waiters.splice(0).forEach((waiter) => waiter());
  const subscription = client.subscribe({ query, variables }).subscribe({
    next: (result) => {
      if (result.error) feed.errors.push(...((result.error as { errors?: Feed<T>['errors'] }).errors ?? [{ message: result.error.message }]));
      if (result.data) feed.values.push(Object.values(result.data as object)[0] as T);
      wake();
    },
    error: (error: { errors?: Feed<T>['errors']; message: string }) => {
      feed.errors.push(...(error.errors ?? [{ message: error.message }]));
      wake();
    },
  });
  return feed;
}

function apolloOver(ws: Client): ApolloClient {
  return new ApolloClient({ cache: new InMemoryCache(), link: new GraphQLWsLink(ws) });
}

interface MessageEdge {
  cursor: string;
  node: { id: string; content: string };
}
interface NotificationEdge {
  cursor: string;
  node: { id: string; type: string; title: string };
}

/** The cursor of the newest message of a session: subscribing after it misses nothing posted later. */
async function newestMessageCursor(server: TestServer, token: string, sessionId: number): Promise<string> {
  const result = await server.graphql('query ($id: ID!) { chatSession(id: $id) { messages(first: 1) { edges { cursor } } } }', { id: sessionId }, token);
  return result.data.chatSession.messages.edges[0].cursor;
}

/** The cursor of the viewer's newest notification. */
async function newestNotificationCursor(server: TestServer, token: string): Promise<string> {
  const result = await server.graphql('{ notifications(first: 1) { edges { cursor } } }', {}, token);
  return result.data.notifications.edges[0].cursor;
}

const POST = 'mutation ($s: ID!, $c: String!) { postMessage(sessionId: $s, content: $c) { id } }';

describe('subscriptions over graphql-ws, two instances sharing Redis', () => {
  let database: TestDatabase;
  let first: TestServer;
  let second: TestServer;
  let ids: { alpha: number; beta: number; alice: number; bob: number; carol: number; dave: number; project: number; session: number; betaSession: number };
  const tokens: Record<string, string> = {};
  const sockets: Client[] = [];

  const client = (server: TestServer, token: string | undefined) => {
    const ws = wsClient(server, token);
    sockets.push(ws);
    return ws;
  };

  beforeAll(async () => {
    database = await createTestDatabase('e2e_subscriptions');
    const fixtures = new Fixtures(database.db);
    const alice = await fixtures.user('alice@example.com', 'Alice');
    const bob = await fixtures.user('bob@example.com', 'Bob');
    const carol = await fixtures.user('carol@example.com', 'Carol');
    const dave = await fixtures.user('dave@example.com', 'Dave');
    const alpha = await fixtures.team(alice, 'Alpha');
    await fixtures.member(alpha, bob, 'MEMBER');
    await fixtures.member(alpha, dave, 'MEMBER');
    const beta = await fixtures.team(carol, 'Beta');
    await fixtures.member(beta, dave, 'MEMBER');
    const project = await fixtures.project(alpha, alice, 'Checkout', 'APPROVED');
    const betaProject = await fixtures.project(beta, carol, 'Other', 'APPROVED');
    const session = await fixtures.chatSession(project, alice, 'Planning');
    const betaSession = await fixtures.chatSession(betaProject, carol, 'Beta chat');
    await fixtures.message(session, 'USER', alice, 'first');
    await fixtures.message(betaSession, 'USER', carol, 'first');
    for (const user of [alice, bob, carol, dave]) await fixtures.notification(user, 'SYSTEM', null);
    ids = { alpha, beta, alice, bob, carol, dave, project, session, betaSession };
    first = await startTestServer(database.url, REDIS);
    second = await startTestServer(database.url, REDIS);
    for (const name of ['alice', 'bob', 'carol', 'dave']) tokens[name] = await first.login(`${name}@example.com`, FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await first?.stop();
    await second?.stop();
    await database?.drop();
  });

  it('pushes a message posted on the other instance, and refuses a session of another team with NOT_FOUND', async () => {
    const alice = apolloOver(client(first, tokens.alice));
    const feed = subscribe<MessageEdge>(alice, MessageAddedDocument, {
      sessionId: String(ids.session),
      after: await newestMessageCursor(first, tokens.alice, ids.session),
    });
    const outsider = subscribe<MessageEdge>(apolloOver(client(first, tokens.carol)), MessageAddedDocument, { sessionId: String(ids.session) });
    await outsider.received(1);
    expect(outsider.errors.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);

    await second.graphql(POST, { s: ids.session, c: 'hello from the other instance' }, tokens.bob);
    await feed.received(1);
    expect(feed.values.map((edge) => edge.node.content)).toEqual(['hello from the other instance']);
    expect(outsider.values).toEqual([]);
    feed.stop();
  });

  it("pushes the viewer's notifications and nobody else's", async () => {
    const alice = subscribe<NotificationEdge>(apolloOver(client(first, tokens.alice)), NotificationAddedDocument, {
      after: await newestNotificationCursor(first, tokens.alice),
    });
    const carol = subscribe<NotificationEdge>(apolloOver(client(first, tokens.carol)), NotificationAddedDocument, {
      after: await newestNotificationCursor(first, tokens.carol),
    });
    const created = await second.graphql(
      'mutation ($p: ID!) { createCrsDocument(input: { projectId: $p, title: "Spec", content: "Text" }) { id } }',
      { p: ids.project },
      tokens.bob,
    );
    expect(created.errors).toBeUndefined();
    await alice.received(1);
    expect(alice.values.map((edge) => edge.node.type)).toEqual(['CRS_CREATED']);

    // Carol's feed replays in id order, so a notification of Alpha's would come before her own.
    const invited = await second.graphql('mutation ($t: ID!) { inviteMember(teamId: $t, email: "carol@example.com", role: MEMBER) { id } }', { t: ids.alpha }, tokens.alice);
    expect(invited.errors).toBeUndefined();
    await carol.received(1);
    expect(carol.values.map((edge) => edge.node.type)).toEqual(['TEAM_INVITATION']);
    alice.stop();
    carol.stop();
  });

  it('replays what a subscriber missed while its server restarted, then continues live, with no duplicate', async () => {
    const before = subscribe<MessageEdge>(apolloOver(client(first, tokens.alice)), MessageAddedDocument, {
      sessionId: String(ids.session),
      after: await newestMessageCursor(first, tokens.alice, ids.session),
    });
    await second.graphql(POST, { s: ids.session, c: 'seen' }, tokens.bob);
    await before.received(1);
    const lastSeen = before.values[before.values.length - 1];
    await first.stop();

    for (const content of ['missed 1', 'missed 2', 'missed 3']) await second.graphql(POST, { s: ids.session, c: content }, tokens.bob);
    first = await startTestServer(database.url, REDIS);
    const after = subscribe<MessageEdge>(apolloOver(client(first, tokens.alice)), MessageAddedDocument, {
      sessionId: String(ids.session),
      after: lastSeen.cursor,
    });
    await after.received(3);
    await second.graphql(POST, { s: ids.session, c: 'live' }, tokens.bob);
    await after.received(4);
    expect(after.values.map((edge) => edge.node.content)).toEqual(['missed 1', 'missed 2', 'missed 3', 'live']);
    expect(new Set(after.values.map((edge) => edge.node.id)).size).toBe(4);
    after.stop();
  });

  it('stops sending a removed member the messages of the team at once', async () => {
    const dave = apolloOver(client(first, tokens.dave));
    const alpha = subscribe<MessageEdge>(dave, MessageAddedDocument, {
      sessionId: String(ids.session),
      after: await newestMessageCursor(first, tokens.dave, ids.session),
    });
    const beta = subscribe<MessageEdge>(dave, MessageAddedDocument, {
      sessionId: String(ids.betaSession),
      after: await newestMessageCursor(first, tokens.dave, ids.betaSession),
    });
    await second.graphql(POST, { s: ids.session, c: 'while a member' }, tokens.bob);
    await alpha.received(1);

    const removed = await second.graphql('mutation ($t: ID!, $u: ID!) { removeMember(teamId: $t, userId: $u) }', { t: ids.alpha, u: ids.dave }, tokens.alice);
    expect(removed.errors).toBeUndefined();
    await second.graphql(POST, { s: ids.session, c: 'after the removal' }, tokens.bob);
    await second.graphql(POST, { s: ids.betaSession, c: 'still a member here' }, tokens.carol);
    await beta.received(1);
    expect(alpha.values.map((edge) => edge.node.content)).toEqual(['while a member']);
    expect(beta.values.map((edge) => edge.node.content)).toEqual(['still a member here']);
  });

  it('closes connection_init without a valid token with 4401, and for an account that is gone with 4403', async () => {
    const closeCode = (token: string | undefined) =>
      new Promise<number>((resolve) => {
        const socket = wsClient(first, token);
        socket.on('closed', (event) => resolve((event as { code: number }).code));
        socket.subscribe({ query: 'subscription { notificationAdded { cursor } }' }, { next: () => {}, error: () => {}, complete: () => {} });
      });
    expect(await closeCode(undefined)).toBe(4401);
    expect(await closeCode('not-a-token')).toBe(4401);
    expect(await closeCode(issueToken(987654, TEST_JWT_SECRET).token)).toBe(4403);
  });

  it('holds subscriptions to the depth and cost limits and to MAX_SUBSCRIPTIONS_PER_CONNECTION', async () => {
    const socket = client(first, tokens.alice);
    const firstError = (query: string) =>
      new Promise<string | undefined>((resolve) => {
        socket.subscribe({ query }, { next: () => {}, error: (errors) => resolve((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code), complete: () => resolve(undefined) });
      });
    const deep = `subscription { messageAdded(sessionId: "${ids.session}") { node { session { project { team { projects(first: 1) { team { projects(first: 1) { team { projects(first: 1) { team { id } } } } } } } } } } } }`;
    expect(await firstError(deep)).toBe('QUERY_TOO_COMPLEX');
    const costly = `subscription { messageAdded(sessionId: "${ids.session}") { node { session { messages(first: 200) { edges { node { session { messages(first: 200) { edges { node { id } } } } } } } } } } }`;
    expect(await firstError(costly)).toBe('QUERY_TOO_COMPLEX');

    const open = Array.from({ length: 10 }, () => socket.subscribe({ query: 'subscription { notificationAdded { cursor } }' }, { next: () => {}, error: () => {}, complete: () => {} }));
    expect(await firstError('subscription { notificationAdded { cursor } }')).toBe('FORBIDDEN');
    open.forEach((stop) => stop());
  });

  it('answers a subscription outside the manifest with PERSISTED_QUERY_NOT_ALLOWED under PERSISTED_OPERATIONS=only, and runs the manifest\'s', async () => {
    const trusted = await startTestServer(database.url, { ...REDIS, PERSISTED_OPERATIONS: 'only' });
    try {
      const socket = wsClient(trusted, tokens.alice);
      sockets.push(socket);
      const refused = await new Promise<string | undefined>((resolve) => {
        socket.subscribe({ query: 'subscription { notificationAdded { cursor } }' }, {
          next: () => {},
          error: (errors) => resolve((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code),
          complete: () => resolve(undefined),
        });
      });
      expect(refused).toBe('PERSISTED_QUERY_NOT_ALLOWED');

      const text = Object.values(persistedOperations).find((document) => document.includes('subscription MessageAdded'));
      const values: MessageEdge[] = [];
      const after = await newestMessageCursor(first, tokens.alice, ids.session);
      const delivered = new Promise<void>((resolve, reject) => {
        const trustedSocket = wsClient(trusted, tokens.alice);
        sockets.push(trustedSocket);
        trustedSocket.subscribe<{ messageAdded: MessageEdge }>({ query: text!, variables: { sessionId: String(ids.session), after } }, {
          next: (result) => {
            if (result.errors) reject(new Error(JSON.stringify(result.errors)));
            values.push(result.data!.messageAdded);
            resolve();
          },
          error: reject,
          complete: () => {},
        });
      });
      await second.graphql(POST, { s: ids.session, c: 'trusted' }, tokens.bob);
      await delivered;
      expect(values.map((edge) => edge.node.content)).toEqual(['trusted']);
    } finally {
      await trusted.stop();
    }
  });

  it('publishes nothing for a rolled-back write, and its notifications once one commits', async () => {
    const liveEvents = new LocalLiveEvents();
    const heard: LiveEvent[] = [];
    liveEvents.listen(`user:${ids.alice}`, (event) => heard.push(event));
    const ctx = { db: database.db, liveEvents } as unknown as GraphQLContext;
    const draft = { type: 'SYSTEM' as const, referenceId: null as unknown as number, title: 'T', message: 'M', createdAt: new Date() };

    await expect(
      transactionWithEvents(ctx, async (trx, pending) => {
        pending.notifications(await notify(trx, [ids.alice], draft));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(heard).toEqual([]);

    const written = await transactionWithEvents(ctx, async (trx, pending) => {
      const rows = await notify(trx, [ids.alice], draft);
      pending.notifications(rows);
      return rows;
    });
    expect(heard.map((event) => event.row.id)).toEqual(written.map((row) => row.id));
    const stored = await database.db.selectFrom('notifications').select('id').where('id', '=', written[0].id).execute();
    expect(stored).toHaveLength(1);
  });

  it('limits subscriptions per user, shows them in /metrics, and on shutdown completes them and closes with 1001', async () => {
    const limited = await startTestServer(database.url, { ...REDIS, MAX_SUBSCRIPTIONS_PER_USER: '2' });
    let stopped = false;
    try {
      const closes: number[] = [];
      const completed: string[] = [];
      const open = (label: string) => {
        const socket = wsClient(limited, tokens.bob);
        sockets.push(socket);
        socket.on('closed', (event) => closes.push((event as { code: number }).code));
        return new Promise<string | undefined>((resolve) => {
          socket.subscribe({ query: 'subscription { notificationAdded { cursor } }' }, {
            next: () => {},
            error: (errors) => resolve((errors as { extensions?: { code?: string } }[])[0]?.extensions?.code),
            complete: () => {
              completed.push(label);
              resolve(undefined);
            },
          });
        });
      };
      const running = [open('first'), open('second')];
      const metricValue = async (name: string) => {
        const text = await (await fetch(`${limited.url}/metrics`)).text();
        return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
      };
      while ((await metricValue('bridgeai_subscriptions')) < 2) await new Promise((resolve) => setImmediate(resolve));
      expect(await open('third')).toBe('FORBIDDEN');
      expect(await metricValue('bridgeai_subscriptions')).toBe(2);
      expect(await metricValue('bridgeai_subscription_connections')).toBeGreaterThanOrEqual(2);

      await limited.stop();
      stopped = true;
      await Promise.all(running);
      expect(completed.sort()).toEqual(['first', 'second']);
      expect(closes.filter((code) => code === 1001)).toHaveLength(2);
    } finally {
      if (!stopped) await limited.stop();
    }
  });
});
