import Redis from 'ioredis';
import pino from 'pino';
import { localViewerInvalidations } from '../../../src/auth/viewerInvalidations';
import { issueToken } from '../../../src/auth/tokens';
import { ViewerCache } from '../../../src/auth/viewerCache';
import { LocalLiveEvents } from '../../../src/events/liveEvents';
import { RedisLiveEvents } from '../../../src/events/redisLiveEvents';
import { createContextFactory } from '../../../src/http/requestContext';
import type { LoginThrottle } from '../../../src/auth/loginThrottle';
import type { ViewerRecord } from '../../../loaders/viewer';
import { CursorCodec } from '../../../schema/cursor';
import { messageFeed } from '../../../schema/subscriptions/messageFeed';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures } from '../../support/fixtures';

const SECRET = 'test-secret-0123456789abcdef';
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('events missed while the event transport was away', () => {
  let database: TestDatabase;
  let fixtures: Fixtures;
  let alice: number;
  let session: number;

  beforeAll(async () => {
    database = await createTestDatabase('subscriptions_missed');
    fixtures = new Fixtures(database.db);
    alice = await fixtures.user('alice@example.com');
    const team = await fixtures.team(alice);
    session = await fixtures.chatSession(await fixtures.project(team, alice), alice);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('are read from MySQL when the transport says so, before the live events that follow', async () => {
    const liveEvents = new LocalLiveEvents();
    const cache = new ViewerCache<ViewerRecord>({ maxEntries: 100, ttlMs: 60_000 });
    const createContext = createContextFactory({
      db: database.db,
      jwtSecret: SECRET,
      cursors: new CursorCodec(SECRET),
      useOptimizedQueries: true,
      loginThrottle: undefined as unknown as LoginThrottle,
      viewerCache: cache,
      viewerInvalidations: localViewerInvalidations(cache),
      liveEvents,
    });
    const ctx = createContext({ authorization: `Bearer ${issueToken(alice, SECRET).token}` }, { requestId: 'test', clientAddress: '127.0.0.1' });
    const seen = await fixtures.message(session, 'USER', alice, 'seen');
    const seenRow = await database.db.selectFrom('messages').selectAll().where('id', '=', seen).executeTakeFirstOrThrow();
    const feed = await messageFeed(ctx, session, { time: seenRow.timestamp, id: seen });
    const publish = async (content: string) => {
      const id = await fixtures.message(session, 'USER', alice, content);
      const row = await database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      liveEvents.publish([{ kind: 'message', row: { ...row, projectId: 0, teamId: 0 } }]);
    };
    const contentOf = async () => ((await feed.next()).value as { content: string }).content;

    await publish('live 1');
    expect(await contentOf()).toBe('live 1');
    // Written while the transport was away: nobody heard of it.
    await fixtures.message(session, 'USER', alice, 'missed');
    liveEvents.missedEvents();
    await publish('live 2');
    expect([await contentOf(), await contentOf()]).toEqual(['missed', 'live 2']);
    await feed.return();
  });

  it('are announced once the Redis subscriber connection is back after a loss', async () => {
    const keyPrefix = `bridgeai:${new URL(database.url).pathname.slice(1)}`;
    const events = await RedisLiveEvents.connect(REDIS_URL, { logger: pino({ level: 'silent' }), keyPrefix });
    const admin = new Redis(REDIS_URL);
    try {
      const announced = new Promise<void>((resolve) => events.onMissedEvents(resolve));
      const clients = (await admin.client('LIST')) as string;
      const line = clients.split('\n').find((entry) => entry.includes(`name=${keyPrefix}:events `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
      await announced;
    } finally {
      admin.disconnect();
      await events.close();
    }
  });
});
