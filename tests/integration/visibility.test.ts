import { Fixtures, FIXTURE_PASSWORD } from '../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Alice is in team A; Bob is in team B; Carol is in both. Nothing of team B may reach Alice by
 * any read path.
 */
describe('visibility across teams', () => {
  let database: TestDatabase;
  let server: TestServer;
  let alice: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await createTestDatabase('visibility');
    const f = new Fixtures(database.db);
    ids.alice = await f.user('alice@example.com');
    ids.bob = await f.user('bob@example.com');
    ids.carol = await f.user('carol@example.com');
    ids.teamA = await f.team(ids.alice, 'Team A');
    ids.teamB = await f.team(ids.bob, 'Team B');
    await f.member(ids.teamA, ids.carol, 'MEMBER');
    await f.member(ids.teamB, ids.carol, 'ADMIN');
    // Alice was in team B once; an inactive membership shows nothing.
    await f.member(ids.teamB, ids.alice, 'MEMBER', false);
    ids.projectA = await f.project(ids.teamA, ids.alice, 'Alpha');
    ids.projectB = await f.project(ids.teamB, ids.bob, 'Bravo');
    ids.crsB = await f.crs(ids.projectB, ids.bob, 'Secret CRS');
    ids.commentB = await f.comment(ids.crsB, ids.bob, 'Secret comment');
    ids.sessionB = await f.chatSession(ids.projectB, ids.bob, 'Secret chat');
    await f.message(ids.sessionB, 'USER', ids.bob, 'Secret message');
    ids.invitationB = await f.invitation(ids.teamB, 'someone@example.com', ids.bob);
    ids.invitationToAlice = await f.invitation(ids.teamB, 'alice@example.com', ids.bob);
    for (const [type, ref] of [
      ['PROJECT_APPROVED', ids.projectB],
      ['SYSTEM', ids.teamB],
      ['CRS_CREATED', ids.crsB],
      ['CRS_COMMENTED', ids.commentB],
      ['TEAM_INVITATION', ids.invitationB],
    ] as const) {
      await f.notification(ids.alice, type, ref);
    }
    server = await startTestServer(database.url);
    alice = await server.login('alice@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const ask = (query: string, variables?: Record<string, unknown>) => server.graphql(query, variables, alice);

  it('hides another team by id, as if it did not exist', async () => {
    const result = await ask(
      `query ($team: ID!, $project: ID!, $crs: ID!, $session: ID!, $missing: ID!) {
        team(id: $team) { id } project(id: $project) { id } crsDocument(id: $crs) { id }
        chatSession(id: $session) { id } missingTeam: team(id: $missing) { id }
      }`,
      { team: ids.teamB, project: ids.projectB, crs: ids.crsB, session: ids.sessionB, missing: 999999 },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ team: null, project: null, crsDocument: null, chatSession: null, missingTeam: null });
  });

  it('leaves another team out of lists, also when asked for by id', async () => {
    const result = await ask(
      `query ($teams: [ID!]) {
        teams { id }
        projects(teamIds: $teams) { edges { node { id } } }
        all: projects { edges { node { id name } } }
      }`,
      { teams: [String(ids.teamB)] },
    );
    expect(result.data.teams).toEqual([{ id: String(ids.teamA) }]);
    expect(result.data.projects.edges).toEqual([]);
    expect(result.data.all.edges).toEqual([{ node: { id: String(ids.projectA), name: 'Alpha' } }]);
  });

  it("shows a shared member's teams only where the viewer is a member too", async () => {
    const result = await ask(`{ team(id: ${ids.teamA}) { members { user { email teams { id name projects { id } } } } } }`);
    const carol = result.data.team.members.find((m: any) => m.user.email === 'carol@example.com');
    expect(carol.user.teams).toEqual([{ id: String(ids.teamA), name: 'Team A', projects: [{ id: String(ids.projectA) }] }]);
  });

  it("reads notifications' subjects in another team as null", async () => {
    const result = await ask(`{ notifications { edges { node { type subject { __typename } } } } }`);
    expect(result.data.notifications.edges).toHaveLength(5);
    for (const edge of result.data.notifications.edges) expect(edge.node.subject).toBeNull();
  });

  it("shows an invitation's team name to the invited user, but none of its contents", async () => {
    const result = await ask(`{
      invitations { id email token team { id name description members { role } projects { id } invitations { id } } }
    }`);
    expect(result.data.invitations).toHaveLength(1);
    const [invitation] = result.data.invitations;
    expect(invitation.id).toBe(String(ids.invitationToAlice));
    expect(invitation.token).toEqual(expect.any(String));
    expect(invitation.team).toEqual({ id: String(ids.teamB), name: 'Team B', description: 'Team B description', members: [], projects: [], invitations: [] });
  });

  it("keeps a team's invitations and their tokens to OWNER and ADMIN members", async () => {
    const carol = await server.login('carol@example.com', FIXTURE_PASSWORD);
    const query = `query ($a: ID!, $b: ID!) {
      a: team(id: $a) { invitations { id } }
      b: team(id: $b) { invitations(status: PENDING) { id token } }
    }`;
    const result = await server.graphql(query, { a: ids.teamA, b: ids.teamB }, carol);
    expect(result.data.a.invitations).toEqual([]);
    expect(result.data.b.invitations.map((i: any) => Number(i.id)).sort()).toEqual([ids.invitationB, ids.invitationToAlice].sort());
    expect(result.data.b.invitations.every((i: any) => typeof i.token === 'string')).toBe(true);
  });

  it('never lets loaders share rows between two viewers', async () => {
    const bob = await server.login('bob@example.com', FIXTURE_PASSWORD);
    const query = `query ($id: ID!) { project(id: $id) { id name } }`;
    const [asBob, asAlice] = await Promise.all([
      server.graphql(query, { id: ids.projectB }, bob),
      server.graphql(query, { id: ids.projectB }, alice),
    ]);
    expect(asBob.data.project).toEqual({ id: String(ids.projectB), name: 'Bravo' });
    expect(asAlice.data.project).toBeNull();
  });
});
