import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { buildWorld, expectError, rowCounts, type World } from './world';

/** Every mutation aimed at a team's rows, with variables naming the row by id. */
interface TeamScopedMutation {
  name: string;
  document: string;
  /** The variables aiming at the row `id` of the kind this mutation writes into. */
  variables: (id: number) => Record<string, unknown>;
  /** The row of team A it aims at. */
  target: (world: World) => number;
  /** Only OWNER and ADMIN may run it. */
  managersOnly: boolean;
}

const MUTATIONS: TeamScopedMutation[] = [
  {
    name: 'createProject',
    document: 'mutation ($input: CreateProjectInput!) { createProject(input: $input) { id } }',
    variables: (id) => ({ input: { teamId: String(id), name: 'P' } }),
    target: (w) => w.ids.teamA,
    managersOnly: false,
  },
  {
    name: 'reviewProject',
    document: 'mutation ($id: ID!) { reviewProject(id: $id, approve: true) { id } }',
    variables: (id) => ({ id: String(id) }),
    target: (w) => w.ids.projectA,
    managersOnly: true,
  },
  {
    name: 'createCrsDocument',
    document: 'mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }',
    variables: (id) => ({ input: { projectId: String(id), title: 'T', content: 'C' } }),
    target: (w) => w.ids.projectA,
    managersOnly: false,
  },
  {
    name: 'updateCrsDocument',
    document: 'mutation ($input: UpdateCrsInput!) { updateCrsDocument(input: $input) { id } }',
    variables: (id) => ({ input: { id: String(id), content: 'C', expectedVersion: 1 } }),
    target: (w) => w.ids.crsA,
    managersOnly: false,
  },
  {
    name: 'setCrsStatus',
    document: 'mutation ($id: ID!) { setCrsStatus(id: $id, status: APPROVED) { id } }',
    variables: (id) => ({ id: String(id) }),
    target: (w) => w.ids.crsA,
    managersOnly: false,
  },
  {
    name: 'addComment',
    document: 'mutation ($id: ID!) { addComment(crsId: $id, content: "C") { id } }',
    variables: (id) => ({ id: String(id) }),
    target: (w) => w.ids.crsA,
    managersOnly: false,
  },
  {
    name: 'inviteMember',
    document: 'mutation ($id: ID!) { inviteMember(teamId: $id, email: "new@example.com") { id } }',
    variables: (id) => ({ id: String(id) }),
    target: (w) => w.ids.teamA,
    managersOnly: true,
  },
  {
    name: 'startChatSession',
    document: 'mutation ($id: ID!) { startChatSession(projectId: $id, name: "S") { id } }',
    variables: (id) => ({ id: String(id) }),
    target: (w) => w.ids.projectA,
    managersOnly: false,
  },
  {
    name: 'postMessage',
    document: 'mutation ($id: ID!) { postMessage(sessionId: $id, content: "M") { id } }',
    variables: (id) => ({ id: String(id) }),
    target: (w) => w.ids.sessionA,
    managersOnly: false,
  },
];

const MISSING_ID = 999999;

describe('who may run which mutation', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;
  let before: Record<string, number>;

  beforeAll(async () => {
    database = await createTestDatabase('mut_authorization');
    server = await startTestServer(database.url);
    world = await buildWorld(database.db, server);
    before = await rowCounts(database.db);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  describe.each(MUTATIONS.map((mutation) => [mutation.name, mutation] as const))('%s', (_name, mutation) => {
    const run = (id: number, token?: string) => server.graphql(mutation.document, mutation.variables(id), token);

    it("is NOT_FOUND for a non-member and a former member, exactly like a missing id", async () => {
      const id = mutation.target(world);
      const missing = await run(MISSING_ID, world.tokens.owner);
      expectError(missing, 'NOT_FOUND', /^(Team|Project|CRS document|Chat session) "999999" was not found\.$/);
      for (const token of [world.tokens.outsider, world.tokens.former]) {
        const invisible = await run(id, token);
        expectError(invisible, 'NOT_FOUND');
        expect(invisible.errors?.[0].message).toBe(missing.errors?.[0].message?.replace(`"${MISSING_ID}"`, `"${id}"`));
      }
    });

    it('is FORBIDDEN for a VIEWER', async () => {
      expectError(await run(mutation.target(world), world.tokens.viewer), 'FORBIDDEN', /^Your role in this team is VIEWER, which may only read; /);
    });

    if (mutation.managersOnly) {
      it('is FORBIDDEN for a MEMBER', async () => {
        expectError(await run(mutation.target(world), world.tokens.member), 'FORBIDDEN', /^Your role in this team is MEMBER; .* needs the OWNER or ADMIN role\.$/);
      });
    }

    it('is UNAUTHENTICATED without a token', async () => {
      expectError(await run(mutation.target(world)), 'UNAUTHENTICATED');
    });
  });

  it.each([
    ['respondToInvitation', `mutation { respondToInvitation(token: "${'t'.repeat(43)}", accept: true) { id } }`],
    ['markNotificationsRead', 'mutation { markNotificationsRead }'],
  ])('%s is UNAUTHENTICATED without a token', async (_name, document) => {
    expectError(await server.graphql(document), 'UNAUTHENTICATED');
  });

  // Jest runs the tests of a file in order: this one comes after every refusal above.
  it('wrote nothing for any of the refused requests', async () => {
    expect(await rowCounts(database.db)).toEqual(before);
  });
});
