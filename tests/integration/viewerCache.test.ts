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

    /** Everything a member of the viewer's team can reach, by every path, as one instance answers it. */
    const reach = async (server: TestServer, token: string) => {
      const reply = await server.graphql(
        `query Reach($team: ID!, $project: ID!, $crs: ID!, $session: ID!) {
          teams { id }
          team(id: $team) { id projects { id } }
          project(id: $project) { id }
          crsDocument(id: $crs) { id }
          chatSession(id: $session) { id messages { edges { node { id } } } }
          projects { edges { node { id } } }
          notifications { edges { node { id subject { __typename } } } }
        }`,
        { team: String(ids.team), project: String(ids.project), crs: String(ids.crs), session: String(ids.session) },
        token,
      );
      expect(reply.errors).toBeUndefined();
      const search = await server.graphql('query ($p: ID!) { searchMemory(projectId: $p, query: "anything") { id } }', { p: String(ids.project) }, token);
      const write = await server.graphql(`mutation { addComment(crsId: "${ids.crs}", content: "still here?") { id } }`, {}, token);
      return {
        teams: reply.data.teams.map((team: { id: string }) => Number(team.id)),
        team: reply.data.team?.projects.length ?? null,
        project: reply.data.project?.id ?? null,
        crsDocument: reply.data.crsDocument?.id ?? null,
        chatSession: reply.data.chatSession?.messages.edges.length ?? null,
        projects: reply.data.projects.edges.length,
        subjects: reply.data.notifications.edges.map((edge: any) => edge.node.subject?.__typename ?? null),
        // Without Chroma a visible project's search is SERVICE_UNAVAILABLE, an invisible one's [].
        search: search.errors?.[0]?.extensions?.code ?? search.data.searchMemory,
        write: write.errors?.[0]?.extensions?.code ?? 'written',
      };
    };
    const NOTHING = { teams: [], team: null, project: null, crsDocument: null, chatSession: null, projects: 0, subjects: [null], search: [], write: 'NOT_FOUND' };

    it.each([
      ['removeMember through the owner', 'remove'],
      ['leaveTeam by the member', 'leave'],
    ])('%s on one instance: the very next request to the other sees nothing of the team', async (_name, how) => {
      const f = new Fixtures(database.db);
      const email = `member-${how}@example.com`;
      const member = await f.user(email);
      await f.member(ids.team, member, 'MEMBER');
      await f.notification(member, 'CRS_CREATED', ids.crs);
      const memberToken = await a.login(email, FIXTURE_PASSWORD);
      const ownerToken = await a.login('viewer@example.com', FIXTURE_PASSWORD);
      // Both instances cache the member's record while they are in the team.
      for (const server of [a, b]) {
        expect(await reach(server, memberToken)).toMatchObject({ teams: [ids.team], project: String(ids.project), subjects: ['CrsDocument'], search: 'SERVICE_UNAVAILABLE' });
      }
      const cached = await b.graphql(TEAMS, {}, memberToken);
      expect(cached.extensions?.queryCount).toBe(0);

      const change =
        how === 'remove'
          ? await a.graphql(`mutation { removeMember(teamId: "${ids.team}", userId: "${member}") }`, {}, ownerToken)
          : await a.graphql(`mutation { leaveTeam(teamId: "${ids.team}") }`, {}, memberToken);
      expect(change.errors).toBeUndefined();

      expect(await reach(b, memberToken)).toEqual(NOTHING);
      expect(await reach(a, memberToken)).toEqual(NOTHING);
    });

    it('setMemberRole on one instance: the very next write through the other holds the new role', async () => {
      const f = new Fixtures(database.db);
      const member = await f.user('demoted@example.com');
      await f.member(ids.team, member, 'MEMBER');
      const memberToken = await a.login('demoted@example.com', FIXTURE_PASSWORD);
      const ownerToken = await a.login('viewer@example.com', FIXTURE_PASSWORD);
      const createProject = `mutation { createProject(input: { teamId: "${ids.team}", name: "By a member" }) { id } }`;
      expect((await b.graphql(createProject, {}, memberToken)).errors).toBeUndefined();
      const demoted = await a.graphql(`mutation { setMemberRole(teamId: "${ids.team}", userId: "${member}", role: VIEWER) { role } }`, {}, ownerToken);
      expect(demoted.data.setMemberRole.role).toBe('VIEWER');
      expect((await b.graphql(createProject, {}, memberToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
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
