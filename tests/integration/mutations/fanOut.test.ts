import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { expectData, notificationsAbout } from './world';

const CREATE_CRS = `mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }`;
const ADD_COMMENT = `mutation ($crsId: ID!, $content: String!) { addComment(crsId: $crsId, content: $content) { id } }`;

/**
 * Notifications fan out with one recipient query and one multi-row INSERT, so a mutation costs
 * the same number of SQL statements in a team of 5 as in a team of 200.
 */
describe('notification fan-out', () => {
  let database: TestDatabase;
  let server: TestServer;
  let fixtures: Fixtures;
  let actorToken: string;
  let actorId: number;

  beforeAll(async () => {
    database = await createTestDatabase('mut_fanout');
    // Counted with the viewer cache off, so every request reads its viewer (tests/integration/viewerCache.test.ts counts it warm).
    server = await startTestServer(database.url, { VIEWER_CACHE_SIZE: '0' });
    fixtures = new Fixtures(database.db);
    actorId = await fixtures.user('actor@example.com', 'Ada Actor');
    actorToken = await server.login('actor@example.com', FIXTURE_PASSWORD);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** A team of `size` active members, the actor included, plus one former member; returns the other members' ids. */
  async function teamOf(size: number, label: string) {
    const teamId = await fixtures.team(actorId, `Team of ${size}`);
    const emails = Array.from({ length: size - 1 }, (_, i) => `${label}-${i}@example.com`);
    await database.db
      .insertInto('users')
      .values(emails.map((email, i) => ({ email, fullName: `Member ${i}`, passwordHash: 'x' })))
      .execute();
    const users = await database.db.selectFrom('users').select('id').where('email', 'in', emails).orderBy('id').execute();
    const memberIds = users.map((user) => user.id);
    await database.db
      .insertInto('teamMembers')
      .values(memberIds.map((userId) => ({ teamId, userId, role: 'MEMBER' as const })))
      .execute();
    const formerId = await fixtures.user(`${label}-former@example.com`);
    await fixtures.member(teamId, formerId, 'MEMBER', false);
    const projectId = await fixtures.project(teamId, actorId, `Project of ${size}`);
    return { teamId, projectId, memberIds, formerId };
  }

  it('createCrsDocument costs the same for 5 and 200 members; each other member gets exactly one notification', async () => {
    const small = await teamOf(5, 'small');
    const large = await teamOf(200, 'large');
    const counts: number[] = [];
    for (const team of [small, large]) {
      const result = await server.graphql(CREATE_CRS, { input: { projectId: String(team.projectId), title: 'Fan-out', content: 'Text' } }, actorToken);
      const crsId = Number(expectData(result).createCrsDocument.id);
      counts.push(result.extensions?.queryCount as number);
      const notified = await notificationsAbout(database.db, 'CRS_CREATED', crsId);
      expect(notified.size).toBe(team.memberIds.length);
      for (const memberId of team.memberIds) expect(notified.get(memberId)).toBe(1);
      expect(notified.has(actorId)).toBe(false);
      expect(notified.has(team.formerId)).toBe(false);
    }
    // The viewer, the project, then in the transaction: the INSERT, the outbox, the recipients, the notifications.
    expect(counts).toEqual([6, 6]);
  });

  it('addComment costs the same with 2 and 150 earlier commenters; each is notified once, the author never', async () => {
    const large = await teamOf(200, 'discussion');
    const counts: number[] = [];
    for (const commenterCount of [2, 150]) {
      const creatorId = large.memberIds[large.memberIds.length - 1];
      const crsId = await fixtures.crs(large.projectId, creatorId, `Discussed by ${commenterCount}`);
      const commenters = large.memberIds.slice(0, commenterCount);
      // Every commenter twice, the author once and a former member once: none of that may double or leak.
      const comments = [...commenters, ...commenters, actorId, large.formerId].map((authorId) => ({ crsId, authorId, content: 'Earlier' }));
      await database.db.insertInto('comments').values(comments).execute();

      const result = await server.graphql(ADD_COMMENT, { crsId: String(crsId), content: 'Latest' }, actorToken);
      const commentId = Number(expectData(result).addComment.id);
      counts.push(result.extensions?.queryCount as number);
      const notified = await notificationsAbout(database.db, 'CRS_COMMENTED', commentId);
      expect([...notified.keys()].sort((a, b) => a - b)).toEqual([...commenters, creatorId].sort((a, b) => a - b));
      expect([...notified.values()].every((count) => count === 1)).toBe(true);
    }
    // The viewer, the CRS document, then in the transaction: the INSERT, the outbox, the recipients, the notifications.
    expect(counts).toEqual([6, 6]);
  });
});
