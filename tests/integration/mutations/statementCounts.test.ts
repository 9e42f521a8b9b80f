import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';
import { buildWorld, expectData, type World } from './world';

/**
 * What each mutation costs in SQL statements (extensions.queryCount) when it selects only `id`:
 * a constant, whatever the size of the team. The transaction's BEGIN and COMMIT are not
 * statements Kysely compiles, so they are not counted.
 */
describe('SQL statements per mutation', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_statements');
    // Counted with the viewer cache off, so every request reads its viewer (tests/integration/viewerCache.test.ts counts it warm).
    server = await startTestServer(database.url, { VIEWER_CACHE_SIZE: '0' });
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const count = async (document: string, token: string) => {
    const result = await server.graphql(document, {}, token);
    expectData(result);
    return result.extensions?.queryCount;
  };

  it('is constant for every mutation', async () => {
    const { ids, tokens } = world;
    const counts: Record<string, unknown> = {};
    // The viewer, the INSERT.
    counts.createProject = await count(`mutation { createProject(input: { teamId: "${ids.teamA}", name: "P" }) { id } }`, tokens.member);
    // The viewer, the project, the UPDATE, the creator's membership, the notification.
    counts.reviewProject = await count(`mutation { reviewProject(id: "${ids.projectA}", approve: true) { id } }`, tokens.admin);
    // The viewer, the project, the INSERT, the outbox, the recipients, the notifications.
    counts.createCrsDocument = await count(
      `mutation { createCrsDocument(input: { projectId: "${ids.projectA}", title: "T", content: "C" }) { id } }`,
      tokens.member,
    );
    // The viewer, the document, the UPDATE, the document re-read, the outbox.
    counts.updateCrsDocument = await count(
      `mutation { updateCrsDocument(input: { id: "${ids.crsA}", content: "C2", expectedVersion: 1 }) { id } }`,
      tokens.member,
    );
    // The viewer, the document, the UPDATE, the document re-read, the creator's membership, the notification.
    counts.setCrsStatus = await count(`mutation { setCrsStatus(id: "${ids.crsA}", status: UNDER_REVIEW) { id } }`, tokens.admin);
    // The viewer, the document, the INSERT, the outbox, the recipients, the notifications.
    counts.addComment = await count(`mutation { addComment(crsId: "${ids.crsA}", content: "C") { id } }`, tokens.admin);
    // The viewer, the invitee's standing, the INSERT, the notification.
    counts.inviteMember = await count(`mutation { inviteMember(teamId: "${ids.teamA}", email: "oscar@example.com") { id token } }`, tokens.owner);
    const invitation = await database.db.selectFrom('invitations').select('token').where('email', '=', 'oscar@example.com').executeTakeFirstOrThrow();
    // The viewer, the invitation, the UPDATE, the membership upsert.
    counts.respondToInvitation = await count(`mutation { respondToInvitation(token: "${invitation.token}", accept: true) { id } }`, tokens.outsider);
    // The viewer, the UPDATE.
    counts.markNotificationsRead = await count('mutation { markNotificationsRead }', tokens.member);
    // The viewer, the project, the INSERT.
    counts.startChatSession = await count(`mutation { startChatSession(projectId: "${ids.projectA}", name: "S") { id } }`, tokens.member);
    // The viewer, the session, the INSERT, the outbox.
    counts.postMessage = await count(`mutation { postMessage(sessionId: "${ids.sessionA}", content: "M") { id } }`, tokens.member);
    // The viewer, the team's locked member rows, the UPDATE.
    counts.setMemberRole = await count(`mutation { setMemberRole(teamId: "${ids.teamA}", userId: "${ids.member}", role: ADMIN) { role } }`, tokens.owner);
    // The viewer, the team's locked member rows, the UPDATE.
    counts.removeMember = await count(`mutation { removeMember(teamId: "${ids.teamA}", userId: "${ids.viewer}") }`, tokens.owner);
    // The viewer, the team's locked member rows, the UPDATE.
    counts.leaveTeam = await count(`mutation { leaveTeam(teamId: "${ids.teamA}") }`, tokens.admin);

    expect(counts).toEqual({
      createProject: 2,
      reviewProject: 5,
      createCrsDocument: 6,
      updateCrsDocument: 5,
      setCrsStatus: 6,
      addComment: 6,
      inviteMember: 4,
      respondToInvitation: 4,
      markNotificationsRead: 2,
      startChatSession: 3,
      postMessage: 4,
      setMemberRole: 3,
      removeMember: 3,
      leaveTeam: 3,
    });
  });
});
