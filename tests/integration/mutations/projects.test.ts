import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { buildWorld, expectData, expectError, notificationsAbout, rowCounts, type World } from './world';

const CREATE = `mutation ($input: CreateProjectInput!) {
  createProject(input: $input) {
    id name description status createdAt updatedAt
    creator { email }
    team { id projects { id name } }
  }
}`;
const REVIEW = `mutation ($id: ID!, $approve: Boolean!) {
  reviewProject(id: $id, approve: $approve) { id status updatedAt team { projects { id status } } }
}`;

describe('createProject and reviewProject', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_projects');
    // Counted with the viewer cache off, so every request reads its viewer (tests/integration/viewerCache.test.ts counts it warm).
    server = await startTestServer(database.url, { VIEWER_CACHE_SIZE: '0' });
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('creates a PENDING project, seen in its team in the same response, in 2 statements', async () => {
    const { ids, tokens } = world;
    const result = await server.graphql(
      CREATE,
      { input: { teamId: String(ids.teamA), name: '  Checkout  ', description: 'One-click checkout' } },
      tokens.member,
    );
    const project = expectData(result).createProject;
    expect(project).toMatchObject({
      name: 'Checkout',
      description: 'One-click checkout',
      status: 'PENDING',
      creator: { email: 'mia@example.com' },
      team: { id: String(ids.teamA) },
    });
    expect(project.createdAt).toBe(project.updatedAt);
    expect(project.team.projects[0]).toEqual({ id: project.id, name: 'Checkout' });
    const row = await database.db.selectFrom('projects').selectAll().where('id', '=', Number(project.id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ teamId: ids.teamA, createdBy: ids.member, name: 'Checkout', status: 'PENDING' });
    expect(row.createdAt.toISOString()).toBe(project.createdAt);

    // The viewer with memberships, the INSERT.
    const bare = await server.graphql(
      'mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }',
      { input: { teamId: String(ids.teamA), name: 'Counted' } },
      tokens.member,
    );
    expect(bare.extensions?.queryCount).toBe(2);
  });

  it.each([
    ['an empty name', { name: '   ' }, /^input\.name: must not be empty\.$/],
    ['a name over 200 characters', { name: 'x'.repeat(201) }, /^input\.name: must be at most 200 characters/],
    ['a malformed team id', { teamId: 'team-1' }, /^input\.teamId: "team-1" is not an id/],
    ['a description over 2000 characters', { description: 'x'.repeat(2001) }, /^input\.description: /],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, change, message) => {
    const before = await rowCounts(database.db);
    const input = { teamId: String(world.ids.teamA), name: 'Valid', ...change };
    expectError(await server.graphql(CREATE, { input }, world.tokens.member), 'BAD_USER_INPUT', message);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it("answers another team's id and a missing id alike with NOT_FOUND", async () => {
    const before = await rowCounts(database.db);
    const foreign = await server.graphql(CREATE, { input: { teamId: String(world.ids.teamB), name: 'Sneaky' } }, world.tokens.member);
    const missing = await server.graphql(CREATE, { input: { teamId: '999999', name: 'Sneaky' } }, world.tokens.member);
    expectError(foreign, 'NOT_FOUND', `Team "${world.ids.teamB}" was not found.`);
    expectError(missing, 'NOT_FOUND', 'Team "999999" was not found.');
    // A former member is an outsider too.
    expectError(
      await server.graphql(CREATE, { input: { teamId: String(world.ids.teamA), name: 'Sneaky' } }, world.tokens.former),
      'NOT_FOUND',
    );
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('refuses a VIEWER with FORBIDDEN and an anonymous caller with UNAUTHENTICATED', async () => {
    const input = { teamId: String(world.ids.teamA), name: 'Nope' };
    expectError(await server.graphql(CREATE, { input }, world.tokens.viewer), 'FORBIDDEN', /VIEWER, which may only read; creating a project needs/);
    expectError(await server.graphql(CREATE, { input }), 'UNAUTHENTICATED');
  });

  it('lets an ADMIN approve and notifies the creator once, with the project as subject', async () => {
    const { ids, tokens, fixtures } = world;
    const projectId = await fixtures.project(ids.teamA, ids.member, 'Loyalty');
    const result = await server.graphql(REVIEW, { id: String(projectId), approve: true }, tokens.admin);
    const reviewed = expectData(result).reviewProject;
    expect(reviewed.status).toBe('APPROVED');
    expect(new Date(reviewed.updatedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(reviewed.team.projects).toContainEqual({ id: String(projectId), status: 'APPROVED' });
    // The viewer, the project, the UPDATE, the recipient, the notification INSERT, the team's projects.
    expect(result.extensions?.queryCount).toBe(6);

    expect(await notificationsAbout(database.db, 'PROJECT_APPROVED', projectId)).toEqual(new Map([[ids.member, 1]]));
    const inbox = await server.graphql(
      '{ notifications(first: 1) { edges { node { type title message subject { __typename ... on Project { id status } } } } } }',
      {},
      tokens.member,
    );
    expect(expectData(inbox).notifications.edges[0].node).toEqual({
      type: 'PROJECT_APPROVED',
      title: 'Project "Loyalty" was approved',
      message: 'Adam Admin approved your project "Loyalty".',
      subject: { __typename: 'Project', id: String(projectId), status: 'APPROVED' },
    });
  });

  it('lets an OWNER reject, and a reviewer reviewing their own project notifies nobody', async () => {
    const { ids, tokens, fixtures } = world;
    const othersProject = await fixtures.project(ids.teamA, ids.member, 'Rewards');
    expect(expectData(await server.graphql(REVIEW, { id: String(othersProject), approve: false }, tokens.owner)).reviewProject.status).toBe('REJECTED');
    expect(await notificationsAbout(database.db, 'PROJECT_REJECTED', othersProject)).toEqual(new Map([[ids.member, 1]]));

    const ownProject = await fixtures.project(ids.teamA, ids.owner, 'Own');
    const own = await server.graphql(
      'mutation ($id: ID!) { reviewProject(id: $id, approve: true) { status } }',
      { id: String(ownProject) },
      tokens.owner,
    );
    expect(expectData(own).reviewProject.status).toBe('APPROVED');
    // No recipient query and no INSERT: the viewer, the project, the UPDATE.
    expect(own.extensions?.queryCount).toBe(3);
    expect(await notificationsAbout(database.db, 'PROJECT_APPROVED', ownProject)).toEqual(new Map());
  });

  it('changes nothing and notifies nobody when the decision is repeated', async () => {
    const { ids, tokens, fixtures } = world;
    const projectId = await fixtures.project(ids.teamA, ids.member, 'Twice');
    const first = expectData(await server.graphql(REVIEW, { id: String(projectId), approve: true }, tokens.admin)).reviewProject;
    const again = await server.graphql(REVIEW, { id: String(projectId), approve: true }, tokens.owner);
    expect(expectData(again).reviewProject).toMatchObject({ status: 'APPROVED', updatedAt: first.updatedAt });
    expect(await notificationsAbout(database.db, 'PROJECT_APPROVED', projectId)).toEqual(new Map([[ids.member, 1]]));
  });

  it('does not notify a creator who left the team', async () => {
    const { ids, tokens, fixtures } = world;
    const projectId = await fixtures.project(ids.teamA, ids.former, 'Orphan');
    expectData(await server.graphql(REVIEW, { id: String(projectId), approve: true }, tokens.admin));
    expect(await notificationsAbout(database.db, 'PROJECT_APPROVED', projectId)).toEqual(new Map());
  });

  it('keeps reviews to OWNER and ADMIN: FORBIDDEN for MEMBER and VIEWER, NOT_FOUND outside, CONFLICT when archived', async () => {
    const { ids, tokens, fixtures } = world;
    const projectId = await fixtures.project(ids.teamA, ids.member, 'Under review');
    const archived = await fixtures.project(ids.teamA, ids.member, 'Old', 'ARCHIVED');
    const before = await rowCounts(database.db);
    const review = (id: number | string, token?: string) => server.graphql(REVIEW, { id: String(id), approve: true }, token);
    expectError(await review(projectId, tokens.member), 'FORBIDDEN', /MEMBER; reviewing a project needs the OWNER or ADMIN role/);
    expectError(await review(projectId, tokens.viewer), 'FORBIDDEN');
    expectError(await review(projectId, tokens.outsider), 'NOT_FOUND', `Project "${projectId}" was not found.`);
    expectError(await review(ids.projectB, tokens.owner), 'NOT_FOUND', `Project "${ids.projectB}" was not found.`);
    expectError(await review(999999, tokens.owner), 'NOT_FOUND', 'Project "999999" was not found.');
    expectError(await review('0', tokens.owner), 'BAD_USER_INPUT', /^id: /);
    expectError(await review(archived, tokens.owner), 'CONFLICT', /archived/);
    expectError(await review(projectId), 'UNAUTHENTICATED');
    expect(await rowCounts(database.db)).toEqual(before);
    const row = await database.db.selectFrom('projects').select('status').where('id', '=', projectId).executeTakeFirstOrThrow();
    expect(row.status).toBe('PENDING');
  });
});
