import { Fixtures, FIXTURE_PASSWORD } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import type { NotificationType } from '../../src/db/schema';

const PAGE = `query Page($first: Int, $after: String, $unreadOnly: Boolean) {
  notifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    unreadCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id type isRead title
        subject {
          __typename
          ... on Project { id name }
          ... on Team { id name }
          ... on CrsDocument { id title }
          ... on Comment { id content }
          ... on Invitation { id email token }
        }
      }
    }
  }
}`;

describe('notifications', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  const expectedSubject = new Map<number, string | null>();

  beforeAll(async () => {
    database = await createTestDatabase('notifications');
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const stranger = await f.user('stranger@example.com');
    const team = await f.team(viewer, 'Mine');
    const foreignTeam = await f.team(stranger, 'Theirs');
    const project = await f.project(team, viewer);
    const foreignProject = await f.project(foreignTeam, stranger);
    const crs = await f.crs(project, viewer);
    const comment = await f.comment(crs, viewer);
    const invitation = await f.invitation(foreignTeam, 'viewer@example.com', stranger);
    const subjects: [NotificationType, number, string | null][] = [
      ['PROJECT_APPROVED', project, 'Project'],
      ['PROJECT_REJECTED', project, 'Project'],
      ['SYSTEM', team, 'Team'],
      ['CRS_CREATED', crs, 'CrsDocument'],
      ['CRS_STATUS_CHANGED', crs, 'CrsDocument'],
      ['CRS_COMMENTED', comment, 'Comment'],
      ['MENTION', comment, 'Comment'],
      ['TEAM_INVITATION', invitation, 'Invitation'],
      // Another team's project: the subject must read as null, never leak.
      ['PROJECT_APPROVED', foreignProject, null],
      // A deleted row: null too.
      ['CRS_CREATED', 999999, null],
    ];
    for (let i = 0; i < 50; i += 1) {
      const [type, referenceId, typename] = subjects[i % subjects.length];
      const id = await f.notification(viewer, type, referenceId, i % 3 === 0);
      expectedSubject.set(id, typename);
    }
    await f.notification(stranger, 'SYSTEM', foreignTeam);
    await f.user('quiet@example.com');
    server = await startTestServer(database.url);
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('resolves 50 notifications with subjects of all five types in the page\'s own statement', async () => {
    const result = await server.graphql(PAGE, { first: 50 }, token);
    expect(result.errors).toBeUndefined();
    const edges = result.data.notifications.edges;
    expect(edges).toHaveLength(50);
    for (const { node } of edges) {
      expect(node.subject?.__typename ?? null).toBe(expectedSubject.get(Number(node.id)));
    }
    expect(new Set(edges.map((e: any) => e.node.subject?.__typename).filter(Boolean)).size).toBe(5);
    // The viewer's record, then the page with its subjects (loaders/notificationsPage.ts).
    expect(result.extensions!.queryCount).toBe(2);
  });

  it('pages newest first with cursors, and counts the unread', async () => {
    const seen: number[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: any = await server.graphql(PAGE, { first: 15, after }, token);
      expect(result.errors).toBeUndefined();
      const connection = result.data.notifications;
      expect(connection.unreadCount).toBe(33);
      seen.push(...connection.edges.map((e: any) => Number(e.node.id)));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(4);
    expect(seen).toEqual([...expectedSubject.keys()].sort((a, b) => b - a));
  });

  it('filters unread only', async () => {
    const result = await server.graphql(PAGE, { first: 50, unreadOnly: true }, token);
    expect(result.data.notifications.edges).toHaveLength(33);
    expect(result.data.notifications.edges.every((e: any) => e.node.isRead === false)).toBe(true);
  });

  it('refuses a tampered cursor with BAD_USER_INPUT', async () => {
    const first = await server.graphql(PAGE, { first: 5 }, token);
    const cursor: string = first.data.notifications.pageInfo.endCursor;
    const [payload, signature] = cursor.split('.');
    const forgedPayload = Buffer.from(Buffer.from(payload, 'base64url').toString().replace(/:(\d+)$/, ':1')).toString('base64url');
    for (const bad of [`${forgedPayload}.${signature}`, 'garbage', `${payload}.AAAA`, '']) {
      const result = await server.graphql(PAGE, { first: 5, after: bad }, token);
      if (bad === '') {
        // An empty cursor means "from the start".
        expect(result.errors).toBeUndefined();
        continue;
      }
      expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0].message).toMatch(/^after: /);
    }
  });

  describe('the first page and unreadCount are read in one statement', () => {
    const COUNTED = `query Counted($first: Int, $after: String, $unreadOnly: Boolean) {
      notifications(first: $first, after: $after, unreadOnly: $unreadOnly) { ...Count edges { node { id isRead } } pageInfo { endCursor } }
    }
    fragment Count on NotificationConnection { unreadCount }`;

    it('costs one statement once the viewer is cached, with the count still right (also through a fragment)', async () => {
      const result = await server.graphql(COUNTED, { first: 5 }, token);
      expect(result.errors).toBeUndefined();
      expect(result.data.notifications.unreadCount).toBe(33);
      expect(result.data.notifications.edges.map((e: any) => Number(e.node.id))).toEqual([...expectedSubject.keys()].sort((a, b) => b - a).slice(0, 5));
      expect(result.extensions!.queryCount).toBe(1);
    });

    it('reads later pages with the count in one statement too, and counts separately only past the last page', async () => {
      const first = await server.graphql(COUNTED, { first: 5 }, token);
      const next = await server.graphql(COUNTED, { first: 5, after: first.data.notifications.pageInfo.endCursor }, token);
      expect(next.errors).toBeUndefined();
      expect(next.data.notifications.unreadCount).toBe(33);
      expect(next.extensions!.queryCount).toBe(1);
      // An empty page carries no row to hold the count, so it is asked for on its own.
      const all = await server.graphql(COUNTED, { first: 200 }, token);
      const past = await server.graphql(COUNTED, { first: 5, after: all.data.notifications.pageInfo.endCursor }, token);
      expect(past.data.notifications).toEqual({ unreadCount: 33, edges: [], pageInfo: { endCursor: null } });
      expect(past.extensions!.queryCount).toBe(2);
    });

    it('counts all unread when the page shows unread only, and 0 for a viewer without notifications', async () => {
      const unread = await server.graphql(COUNTED, { first: 5, unreadOnly: true }, token);
      expect(unread.data.notifications.unreadCount).toBe(33);
      expect(unread.data.notifications.edges.every((e: any) => e.node.isRead === false)).toBe(true);
      const quietToken = await server.login('quiet@example.com', FIXTURE_PASSWORD);
      const empty = await server.graphql(COUNTED, { first: 5 }, quietToken);
      expect(empty.errors).toBeUndefined();
      expect(empty.data.notifications).toEqual({ unreadCount: 0, edges: [], pageInfo: { endCursor: null } });
    });

    it('does not count when unreadCount is not asked for', async () => {
      const result = await server.graphql('{ notifications(first: 5) { edges { node { id } } } }', {}, token);
      expect(result.data.notifications.edges).toHaveLength(5);
      expect(result.extensions!.queryCount).toBe(1);
    });
  });
});
