import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { contentHashOf } from '../../../src/memory/outbox';
import { buildWorld, expectData, expectError, notificationsAbout, outboxRows, rowCounts, type World } from './world';

const ADD = `mutation ($crsId: ID!, $content: String!) {
  addComment(crsId: $crsId, content: $content) {
    id content createdAt author { email }
    crs { id comments { id content } }
  }
}`;

describe('addComment', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_comments');
    server = await startTestServer(database.url);
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const add = (crsId: number | string, content: string, token?: string) => server.graphql(ADD, { crsId: String(crsId), content }, token);

  it("adds the comment, shown last in the document's comments in the same response", async () => {
    const { ids, tokens } = world;
    const crsId = await world.fixtures.crs(ids.projectA, ids.member, 'Payment gateway');
    await world.fixtures.comment(crsId, ids.admin, 'Earlier');
    const result = await add(crsId, 'Needs 3-D Secure.', tokens.owner);
    const comment = expectData(result).addComment;
    expect(comment).toMatchObject({ content: 'Needs 3-D Secure.', author: { email: 'olivia@example.com' }, crs: { id: String(crsId) } });
    expect(comment.crs.comments.map((c: { content: string }) => c.content)).toEqual(['Earlier', 'Needs 3-D Secure.']);
    const row = await database.db.selectFrom('comments').selectAll().where('id', '=', Number(comment.id)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ crsId, authorId: ids.owner, content: 'Needs 3-D Secure.' });
    expect(row.createdAt.toISOString()).toBe(comment.createdAt);
  });

  it('notifies the creator and earlier commenters once each; not the author, not former members', async () => {
    const { ids, tokens, fixtures } = world;
    const crsId = await fixtures.crs(ids.projectA, ids.member, 'Payment gateway');
    await fixtures.comment(crsId, ids.admin, 'First');
    await fixtures.comment(crsId, ids.admin, 'Second, same author');
    await fixtures.comment(crsId, ids.former, 'From someone who left');
    await fixtures.comment(crsId, ids.owner, 'From the next author');
    const comment = expectData(await add(crsId, 'Agreed.', tokens.owner)).addComment;
    expect(await notificationsAbout(database.db, 'CRS_COMMENTED', Number(comment.id))).toEqual(
      new Map([[ids.member, 1], [ids.admin, 1]]),
    );
    const inbox = await server.graphql(
      '{ notifications(first: 1) { edges { node { type title message subject { __typename ... on Comment { id content } } } } } }',
      {},
      tokens.member,
    );
    expect(expectData(inbox).notifications.edges[0].node).toEqual({
      type: 'CRS_COMMENTED',
      title: 'Olivia Owner commented on "Payment gateway"',
      message: 'Olivia Owner: Agreed.',
      subject: { __typename: 'Comment', id: comment.id, content: 'Agreed.' },
    });
  });

  it('leaves exactly one pending outbox row for the comment, with its project', async () => {
    const comment = expectData(await add(world.ids.crsA, 'Remember me.', world.tokens.admin)).addComment;
    const rows = await outboxRows(database.db, 'COMMENT', Number(comment.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ projectId: world.ids.projectA, status: 'pending', contentHash: contentHashOf('Remember me.') });
  });

  it.each([
    ['empty content', null, '  ', /^content: must not be empty\.$/],
    ['content larger than a TEXT column', null, 'x'.repeat(65536), /^content: must be at most 65535 bytes \(got 65536\)\.$/],
    ['a malformed CRS id', 'CRS-1', 'Fine', /^crsId: "CRS-1" is not an id/],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_name, crsId, content, message) => {
    const before = await rowCounts(database.db);
    expectError(await add(crsId ?? world.ids.crsA, content, world.tokens.member), 'BAD_USER_INPUT', message);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('is NOT_FOUND outside the team, FORBIDDEN for a VIEWER, UNAUTHENTICATED without a token; writes nothing', async () => {
    const { ids, tokens } = world;
    const before = await rowCounts(database.db);
    expectError(await add(ids.crsB, 'Hi', tokens.member), 'NOT_FOUND', `CRS document "${ids.crsB}" was not found.`);
    expectError(await add(999999, 'Hi', tokens.member), 'NOT_FOUND', 'CRS document "999999" was not found.');
    expectError(await add(ids.crsA, 'Hi', tokens.former), 'NOT_FOUND', `CRS document "${ids.crsA}" was not found.`);
    expectError(await add(ids.crsA, 'Hi', tokens.viewer), 'FORBIDDEN', /VIEWER, which may only read; commenting needs/);
    expectError(await add(ids.crsA, 'Hi'), 'UNAUTHENTICATED');
    expect(await rowCounts(database.db)).toEqual(before);
  });
});
