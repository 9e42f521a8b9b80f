import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { expectData, expectError } from './world';

const MARK = `mutation ($ids: [ID!]) { markNotificationsRead(ids: $ids) }`;

describe('markNotificationsRead', () => {
  let database: TestDatabase;
  let server: TestServer;
  let fixtures: Fixtures;
  let alice: number;
  let bob: number;
  let aliceToken: string;

  beforeAll(async () => {
    database = await createTestDatabase('mut_mark_read');
    server = await startTestServer(database.url);
    fixtures = new Fixtures(database.db);
    alice = await fixtures.user('alice@example.com');
    bob = await fixtures.user('bob@example.com');
    aliceToken = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const unread = async (userId: number) =>
    (await database.db.selectFrom('notifications').select('id').where('userId', '=', userId).where('isRead', '=', 0).orderBy('id').execute()).map(
      (row) => row.id,
    );

  it('marks the given unread notifications of the viewer and counts only those that changed, in 2 statements', async () => {
    const [a1, a2, a3] = [await fixtures.notification(alice, 'SYSTEM', null), await fixtures.notification(alice, 'SYSTEM', null), await fixtures.notification(alice, 'SYSTEM', null)];
    const alreadyRead = await fixtures.notification(alice, 'SYSTEM', null, true);
    const result = await server.graphql(MARK, { ids: [a1, a2, alreadyRead, a1].map(String) }, aliceToken);
    expect(expectData(result).markNotificationsRead).toBe(2);
    // The viewer, the UPDATE.
    expect(result.extensions?.queryCount).toBe(2);
    expect(await unread(alice)).toEqual([a3]);
    const page = await server.graphql('{ notifications { unreadCount } }', {}, aliceToken);
    expect(expectData(page).notifications.unreadCount).toBe(1);
  });

  it("changes nothing of another user's notifications, even by id", async () => {
    const bobs = [await fixtures.notification(bob, 'SYSTEM', null), await fixtures.notification(bob, 'SYSTEM', null)];
    expect(expectData(await server.graphql(MARK, { ids: bobs.map(String) }, aliceToken)).markNotificationsRead).toBe(0);
    expect(await unread(bob)).toEqual(bobs);
  });

  it("marks all of the viewer's unread notifications when ids is omitted, and only theirs", async () => {
    await fixtures.notification(alice, 'SYSTEM', null);
    const bobsBefore = await unread(bob);
    const aliceBefore = await unread(alice);
    expect(aliceBefore.length).toBeGreaterThan(0);
    expect(expectData(await server.graphql('mutation { markNotificationsRead }', {}, aliceToken)).markNotificationsRead).toBe(aliceBefore.length);
    expect(await unread(alice)).toEqual([]);
    expect(await unread(bob)).toEqual(bobsBefore);
    expect(expectData(await server.graphql(MARK, { ids: null }, aliceToken)).markNotificationsRead).toBe(0);
  });

  it('returns 0 for an empty list without touching anything', async () => {
    const result = await server.graphql(MARK, { ids: [] }, aliceToken);
    expect(expectData(result).markNotificationsRead).toBe(0);
  });

  it('refuses more than 500 ids and malformed ids with BAD_USER_INPUT, and anonymous callers', async () => {
    const own = await fixtures.notification(alice, 'SYSTEM', null);
    const tooMany = Array.from({ length: 501 }, (_, i) => String(i + 1));
    expectError(await server.graphql(MARK, { ids: tooMany }, aliceToken), 'BAD_USER_INPUT', 'ids: must list at most 500 ids (got 501).');
    expectError(await server.graphql(MARK, { ids: [String(own), 'x'] }, aliceToken), 'BAD_USER_INPUT', /^ids: "x" is not an id/);
    expectError(await server.graphql(MARK, { ids: [String(own)] }), 'UNAUTHENTICATED');
    expect(await unread(alice)).toEqual([own]);
  });
});
