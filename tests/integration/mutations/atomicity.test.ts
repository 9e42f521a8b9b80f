import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../support/server';
import { INTERNAL_ERROR_MESSAGE } from '../../../src/http/formatError';
import { contentHashOf } from '../../../src/memory/outbox';
import { buildWorld, expectError, rowCounts, type World } from './world';

/**
 * A mutation's rows commit together or not at all. Each test makes one of the mutation's later
 * statements fail for real — a CHECK constraint that refuses exactly the row the mutation is
 * about to write — and shows that the rows written before it in the same request were rolled
 * back, and that the client saw a masked INTERNAL_SERVER_ERROR with no SQL in it.
 */
describe('a failure in the middle of a mutation', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_atomicity');
    server = await startTestServer(database.url);
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** Runs `request` while `table` refuses rows matching `refused`, then lifts the constraint. */
  async function whileRefusing(table: string, refused: ReturnType<typeof sql>, request: () => Promise<GraphQLResponse>) {
    await sql`ALTER TABLE ${sql.table(table)} ADD CONSTRAINT chk_fail CHECK (NOT (${refused}))`.execute(database.db);
    try {
      return await request();
    } finally {
      await sql`ALTER TABLE ${sql.table(table)} DROP CONSTRAINT chk_fail`.execute(database.db);
    }
  }

  function expectMaskedFailure(result: GraphQLResponse) {
    expectError(result, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
    expect(JSON.stringify(result)).not.toMatch(/chk_fail|CONSTRAINT|INSERT|notifications|ai_memory_index|sql/i);
  }

  it('createCrsDocument: a failing notification INSERT rolls back the document and its outbox row', async () => {
    const before = await rowCounts(database.db);
    const result = await whileRefusing('notifications', sql`title = 'Mia Member created "Doomed"'`, () =>
      server.graphql(
        'mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }',
        { input: { projectId: String(world.ids.projectA), title: 'Doomed', content: 'Never stored.' } },
        world.tokens.member,
      ),
    );
    expectMaskedFailure(result);
    expect(await rowCounts(database.db)).toEqual(before);
    expect(await database.db.selectFrom('crsDocuments').select('id').where('title', '=', 'Doomed').execute()).toEqual([]);
  });

  it('addComment: a failing notification INSERT rolls back the comment and its outbox row', async () => {
    const before = await rowCounts(database.db);
    const result = await whileRefusing('notifications', sql`title = 'Adam Admin commented on "Payment gateway"'`, () =>
      server.graphql(
        'mutation ($crsId: ID!) { addComment(crsId: $crsId, content: "Never stored.") { id } }',
        { crsId: String(world.ids.crsA) },
        world.tokens.admin,
      ),
    );
    expectMaskedFailure(result);
    expect(await rowCounts(database.db)).toEqual(before);
    expect(await database.db.selectFrom('comments').select('id').where('content', '=', 'Never stored.').execute()).toEqual([]);
  });

  it('updateCrsDocument: a failing outbox INSERT rolls back the new content and version', async () => {
    const crsId = await world.fixtures.crs(world.ids.projectA, world.ids.member, 'Kept', 'DRAFT', 'Original');
    const before = await rowCounts(database.db);
    const result = await whileRefusing('ai_memory_index', sql`content_hash = ${contentHashOf('Kept\n\nNever stored.')}`, () =>
      server.graphql(
        'mutation ($input: UpdateCrsInput!) { updateCrsDocument(input: $input) { id version } }',
        { input: { id: String(crsId), content: 'Never stored.', expectedVersion: 1 } },
        world.tokens.member,
      ),
    );
    expectMaskedFailure(result);
    expect(await rowCounts(database.db)).toEqual(before);
    const row = await database.db.selectFrom('crsDocuments').selectAll().where('id', '=', crsId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ content: 'Original', version: 1 });
    expect(row.updatedAt.getTime()).toBe(row.createdAt.getTime());
  });

  it('postMessage: a failing outbox INSERT rolls back the message', async () => {
    const before = await rowCounts(database.db);
    const result = await whileRefusing('ai_memory_index', sql`content_hash = ${contentHashOf('Never said.')}`, () =>
      server.graphql(
        'mutation ($id: ID!) { postMessage(sessionId: $id, content: "Never said.") { id } }',
        { id: String(world.ids.sessionA) },
        world.tokens.member,
      ),
    );
    expectMaskedFailure(result);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('setCrsStatus and reviewProject: a failing notification INSERT leaves the status as it was', async () => {
    const crsId = await world.fixtures.crs(world.ids.projectA, world.ids.member, 'Steady');
    const projectId = await world.fixtures.project(world.ids.teamA, world.ids.member, 'Steady project');
    const status = await whileRefusing('notifications', sql`title = '"Steady" is now APPROVED'`, () =>
      server.graphql(`mutation { setCrsStatus(id: "${crsId}", status: APPROVED) { id } }`, {}, world.tokens.admin),
    );
    expectMaskedFailure(status);
    const review = await whileRefusing('notifications', sql`title = 'Project "Steady project" was approved'`, () =>
      server.graphql(`mutation { reviewProject(id: "${projectId}", approve: true) { id } }`, {}, world.tokens.admin),
    );
    expectMaskedFailure(review);
    expect((await database.db.selectFrom('crsDocuments').select('status').where('id', '=', crsId).executeTakeFirstOrThrow()).status).toBe('DRAFT');
    expect((await database.db.selectFrom('projects').select('status').where('id', '=', projectId).executeTakeFirstOrThrow()).status).toBe('PENDING');
  });

  it('inviteMember: a failing notification INSERT leaves no invitation behind', async () => {
    const before = await rowCounts(database.db);
    const result = await whileRefusing('notifications', sql`type = 'TEAM_INVITATION'`, () =>
      server.graphql(`mutation { inviteMember(teamId: "${world.ids.teamA}", email: "oscar@example.com") { id } }`, {}, world.tokens.owner),
    );
    expectMaskedFailure(result);
    expect(await rowCounts(database.db)).toEqual(before);
  });
});
