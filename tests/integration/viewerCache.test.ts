import { Fixtures, FIXTURE_PASSWORD } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The seed mix's three operations, as bench/queries.ts sends them. */
const NOTIFICATIONS = `{ notifications(first: 50) { unreadCount edges { node { id subject { __typename ... on Project { id name } ... on CrsDocument { id title } } } } } }`;
const PROJECTS = `{ projects(first: 50) { edges { node { id name team { id name } } } } }`;
const CHAT_MESSAGES = `query ($id: ID!) { chatSession(id: $id) { id messages(first: 20) { edges { node { id content sender { id fullName } } } } } }`;
const TEAMS = '{ teams { id name } }';

/**
 * The viewer cache (src/auth/viewerCache.ts): what it saves per request, and that a membership
 * write reaches it at once, in this process and, through Redis, on every instance.
 */
describe('viewer cache', () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase('viewer_cache');
    const f = new Fixtures(database.db);
    ids.viewer = await f.user('viewer@example.com');
    ids.owner = await f.user('owner@example.com');
    ids.team = await f.team(ids.viewer, 'Viewer team');
    ids.otherTeam = await f.team(ids.owner, 'Owner team');
    ids.project = await f.project(ids.team, ids.viewer);
    ids.crs = await f.crs(ids.project, ids.viewer);
    ids.session = await f.chatSession(ids.project, ids.viewer);
    for (let i = 0; i < 5; i += 1) await f.message(ids.session, i % 2 ? 'AI' : 'USER', i % 2 ? null : ids.viewer);
    await f.notification(ids.viewer, 'PROJECT_APPROVED', ids.project);
    await f.notification(ids.viewer, 'CRS_CREATED', ids.crs);
  });
  afterAll(() => database?.drop());

  describe('statements per request of the seed mix', () => {
    const counts = async (server: TestServer) => {
      const token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
      const result: Record<string, number | undefined> = {};
      for (const [name, query, variables] of [
        ['Notifications', NOTIFICATIONS, {}],
        ['Projects', PROJECTS, {}],
        ['ChatMessages', CHAT_MESSAGES, { id: String(ids.session) }],
      ] as const) {
        const reply = await server.graphql(query, variables, token);
        expect(reply.errors).toBeUndefined();
        result[name] = reply.extensions?.queryCount;
      }
      return result;
    };

    it('is one less with a warm cache: 1 / 1 / 2 instead of 2 / 2 / 3', async () => {
      const cold = await startTestServer(database.url, { VIEWER_CACHE_SIZE: '0' });
      const warm = await startTestServer(database.url);
      try {
        expect(await counts(cold)).toEqual({ Notifications: 2, Projects: 2, ChatMessages: 3 });
        await counts(warm);
        expect(await counts(warm)).toEqual({ Notifications: 1, Projects: 1, ChatMessages: 2 });
      } finally {
        await cold.stop();
        await warm.stop();
      }
    });
  });

  describe('two instances sharing Redis', () => {
    let a: TestServer;
    let b: TestServer;
    beforeAll(async () => {
      a = await startTestServer(database.url, { REDIS_URL });
      b = await startTestServer(database.url, { REDIS_URL });
    });
    afterAll(async () => {
      await a?.stop();
      await b?.stop();
    });

    const teamNames = async (server: TestServer, token: string) => {
      const reply = await server.graphql(TEAMS, {}, token);
      expect(reply.errors).toBeUndefined();
      return reply.data.teams.map((team: { name: string }) => team.name);
    };

    it('shows a team joined through one instance on the very next request to the other', async () => {
      const joiner = await new Fixtures(database.db).user('joiner@example.com');
      const joinerToken = await a.login('joiner@example.com', FIXTURE_PASSWORD);
      const ownerToken = await a.login('owner@example.com', FIXTURE_PASSWORD);
      // Both instances hold the joiner's record (no teams) now.
      expect(await teamNames(a, joinerToken)).toEqual([]);
      expect(await teamNames(b, joinerToken)).toEqual([]);
      const cached = await b.graphql(TEAMS, {}, joinerToken);
      expect(cached.extensions?.queryCount).toBe(0);

      const invited = await a.graphql(`mutation { inviteMember(teamId: "${ids.otherTeam}", email: "joiner@example.com") { token } }`, {}, ownerToken);
      expect(invited.errors).toBeUndefined();
      const accepted = await a.graphql(`mutation { respondToInvitation(token: "${invited.data.inviteMember.token}", accept: true) { status } }`, {}, joinerToken);
      expect(accepted.data.respondToInvitation.status).toBe('ACCEPTED');

      expect(await teamNames(b, joinerToken)).toEqual(['Owner team']);
      expect(await teamNames(a, joinerToken)).toEqual(['Owner team']);
      expect(joiner).toBeGreaterThan(0);
    });

    it('shows a team created through one instance on the very next request to the other', async () => {
      const token = await a.login('viewer@example.com', FIXTURE_PASSWORD);
      expect(await teamNames(b, token)).toEqual(['Viewer team']);
      const created = await a.graphql('mutation { createTeam(name: "Second team") { id } }', {}, token);
      expect(created.errors).toBeUndefined();
      expect(await teamNames(b, token)).toEqual(['Viewer team', 'Second team']);
    });
  });
});
