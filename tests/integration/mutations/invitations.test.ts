import { createTestDatabase, type TestDatabase } from '../../support/database';
import { FIXTURE_PASSWORD } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/server';
import { buildWorld, expectData, expectError, notificationsAbout, rowCounts, type World } from './world';

const INVITE = `mutation ($teamId: ID!, $email: String!, $role: TeamRole) {
  inviteMember(teamId: $teamId, email: $email, role: $role) {
    id email role status token createdAt expiresAt invitedBy { email } team { id invitations { id } }
  }
}`;
const INVITE_DEFAULT_ROLE = `mutation ($teamId: ID!, $email: String!) {
  inviteMember(teamId: $teamId, email: $email) { id role token }
}`;
const RESPOND = `mutation ($token: String!, $accept: Boolean!) {
  respondToInvitation(token: $token, accept: $accept) { id status role team { id name projects { id } members { role user { email } } } }
}`;

describe('inviteMember and respondToInvitation', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    database = await createTestDatabase('mut_invitations');
    server = await startTestServer(database.url, { DB_POOL_SIZE: '25' });
    world = await buildWorld(database.db, server);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const invite = (email: string, token: string | undefined, role?: string, teamId = world.ids.teamA) =>
    server.graphql(INVITE, { teamId: String(teamId), email, role }, token);
  const respond = (token: string, accept: boolean, bearer?: string) => server.graphql(RESPOND, { token, accept }, bearer);
  const membership = (teamId: number, userId: number) =>
    database.db.selectFrom('teamMembers').selectAll().where('teamId', '=', teamId).where('userId', '=', userId).execute();

  describe('inviteMember', () => {
    it('invites an existing user for 7 days with a 43-character token and notifies them once', async () => {
      const { ids, tokens } = world;
      const result = await invite('  OSCAR@Example.com ', tokens.admin, 'ADMIN');
      const invitation = expectData(result).inviteMember;
      expect(invitation).toMatchObject({
        email: 'oscar@example.com',
        role: 'ADMIN',
        status: 'PENDING',
        invitedBy: { email: 'adam@example.com' },
        team: { id: String(ids.teamA) },
      });
      expect(invitation.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(invitation.team.invitations).toContainEqual({ id: invitation.id });
      const lifetime = new Date(invitation.expiresAt).getTime() - new Date(invitation.createdAt).getTime();
      expect(lifetime).toBe(7 * 24 * 3600 * 1000);
      const row = await database.db.selectFrom('invitations').selectAll().where('id', '=', Number(invitation.id)).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ teamId: ids.teamA, email: 'oscar@example.com', token: invitation.token, status: 'PENDING', invitedByUserId: ids.admin });

      expect(await notificationsAbout(database.db, 'TEAM_INVITATION', Number(invitation.id))).toEqual(new Map([[ids.outsider, 1]]));
      const inbox = await server.graphql(
        '{ notifications(first: 1) { edges { node { type title subject { __typename ... on Invitation { id token team { name } } } } } } }',
        {},
        tokens.outsider,
      );
      expect(expectData(inbox).notifications.edges[0].node).toEqual({
        type: 'TEAM_INVITATION',
        title: 'Adam Admin invited you to join "Team A"',
        subject: { __typename: 'Invitation', id: invitation.id, token: invitation.token, team: { name: 'Team A' } },
      });
    });

    it('invites as MEMBER by default, and notifies nobody when no account has the email yet', async () => {
      const result = await server.graphql(INVITE_DEFAULT_ROLE, { teamId: String(world.ids.teamA), email: 'newcomer@example.com' }, world.tokens.owner);
      const invitation = expectData(result).inviteMember;
      expect(invitation.role).toBe('MEMBER');
      expect(await notificationsAbout(database.db, 'TEAM_INVITATION', Number(invitation.id))).toEqual(new Map());
      // The viewer, the invitee's standing, the INSERT (no notification INSERT without a recipient).
      expect(result.extensions?.queryCount).toBe(3);
    });

    it('refuses to invite an active member or an email with a pending invitation (CONFLICT), writing nothing', async () => {
      const { tokens } = world;
      expectData(await invite('twice@example.com', tokens.owner));
      const before = await rowCounts(database.db);
      expectError(await invite('MIA@example.com', tokens.owner), 'CONFLICT', 'email: mia@example.com is already a member of this team.');
      expectError(await invite('twice@example.com', tokens.admin), 'CONFLICT', /^email: twice@example\.com already has a pending invitation/);
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('keeps invitations to OWNER and ADMIN, and OWNER invitations to OWNERs', async () => {
      const { ids, tokens } = world;
      const before = await rowCounts(database.db);
      expectError(await invite('x@example.com', tokens.member), 'FORBIDDEN', /MEMBER; inviting members needs the OWNER or ADMIN role/);
      expectError(await invite('x@example.com', tokens.viewer), 'FORBIDDEN', /VIEWER, which may only read/);
      expectError(await invite('x@example.com', tokens.admin, 'OWNER'), 'FORBIDDEN', /Only an OWNER may invite another OWNER/);
      expectError(await invite('x@example.com', tokens.outsider), 'NOT_FOUND', `Team "${ids.teamA}" was not found.`);
      expectError(await invite('x@example.com', tokens.owner, undefined, ids.teamB), 'NOT_FOUND', `Team "${ids.teamB}" was not found.`);
      expectError(await invite('x@example.com', tokens.owner, undefined, 999999), 'NOT_FOUND', 'Team "999999" was not found.');
      expectError(await invite('x@example.com', undefined), 'UNAUTHENTICATED');
      expect(await rowCounts(database.db)).toEqual(before);
      expectData(await invite('co-owner@example.com', tokens.owner, 'OWNER'));
    });

    it.each([
      ['a malformed email', { email: 'not an email' }, /^email: "not an email" is not an email address/],
      ['a malformed team id', { teamId: '-4' }, /^teamId: "-4" is not an id/],
    ])('refuses %s with BAD_USER_INPUT', async (_name, change, message) => {
      const before = await rowCounts(database.db);
      const variables = { teamId: String(world.ids.teamA), email: 'ok@example.com', ...change };
      expectError(await server.graphql(INVITE, variables, world.tokens.owner), 'BAD_USER_INPUT', message);
      expect(await rowCounts(database.db)).toEqual(before);
    });
  });

  describe('respondToInvitation', () => {
    /** A new user with a pending invitation to team A; returns their id, bearer token and invitation token. */
    async function invitee(email: string, role = 'MEMBER') {
      const userId = await world.fixtures.user(email);
      const bearer = await server.login(email, FIXTURE_PASSWORD);
      const invitation = expectData(await invite(email, world.tokens.owner, role)).inviteMember;
      return { userId, bearer, token: invitation.token as string, invitationId: Number(invitation.id) };
    }

    it("accepts: the invitee becomes an active member with the invited role and sees the team's contents at once", async () => {
      const { userId, bearer, token } = await invitee('joiner@example.com', 'VIEWER');
      const result = await respond(token, true, bearer);
      const answered = expectData(result).respondToInvitation;
      expect(answered.status).toBe('ACCEPTED');
      expect(answered.role).toBe('VIEWER');
      expect(answered.team.projects).toContainEqual({ id: String(world.ids.projectA) });
      expect(answered.team.members).toContainEqual({ role: 'VIEWER', user: { email: 'joiner@example.com' } });
      expect(await membership(world.ids.teamA, userId)).toEqual([expect.objectContaining({ role: 'VIEWER', isActive: 1 })]);
      // The viewer, the invitation, the UPDATE, the membership upsert; then the response: the team (not the
      // viewer's team when the request began), the viewer's memberships again, projects, members, their users.
      expect(result.extensions?.queryCount).toBe(9);
    });

    it('answering twice is CONFLICT', async () => {
      const { bearer, token } = await invitee('again@example.com');
      expectData(await respond(token, true, bearer));
      expectError(await respond(token, true, bearer), 'CONFLICT', /answered before \(ACCEPTED\)/);
      expectError(await respond(token, false, bearer), 'CONFLICT');
    });

    it('declines: the status is DECLINED and nobody joins', async () => {
      const { userId, bearer, token } = await invitee('decliner@example.com');
      const answered = expectData(await respond(token, false, bearer)).respondToInvitation;
      expect(answered).toMatchObject({ status: 'DECLINED', team: { projects: [], members: [] } });
      expect(await membership(world.ids.teamA, userId)).toEqual([]);
    });

    it('lets a former member be invited again, re-activating their old membership with the invited role', async () => {
      const token = expectData(await invite('fred@example.com', world.tokens.admin, 'ADMIN')).inviteMember.token;
      expectData(await respond(token, true, world.tokens.former));
      expect(await membership(world.ids.teamA, world.ids.former)).toEqual([expect.objectContaining({ role: 'ADMIN', isActive: 1 })]);
    });

    it('answers an expired invitation as EXPIRED and records it, without joining', async () => {
      const userId = await world.fixtures.user('late@example.com');
      const bearer = await server.login('late@example.com', FIXTURE_PASSWORD);
      const token = 'expired-token-'.padEnd(43, 'e');
      const id = await world.fixtures.invitation(world.ids.teamA, 'late@example.com', world.ids.owner, { token, expiresAt: new Date(Date.now() - 1000) });
      const answered = expectData(await respond(token, true, bearer)).respondToInvitation;
      expect(answered).toMatchObject({ id: String(id), status: 'EXPIRED', team: { projects: [] } });
      const row = await database.db.selectFrom('invitations').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.status).toBe('EXPIRED');
      expect(await membership(world.ids.teamA, userId)).toEqual([]);
      // Still EXPIRED the second time, never CONFLICT.
      expect(expectData(await respond(token, true, bearer)).respondToInvitation.status).toBe('EXPIRED');
    });

    it('is NOT_FOUND for an unknown token and FORBIDDEN for anyone but the invited user', async () => {
      const { userId, token } = await invitee('rightful@example.com');
      expectError(await respond('x'.repeat(43), true, world.tokens.member), 'NOT_FOUND', /^No invitation has this token/);
      expectError(await respond('short', true, world.tokens.member), 'NOT_FOUND');
      expectError(await respond(token, true, world.tokens.outsider), 'FORBIDDEN', /only its recipient may answer it/);
      expectError(await respond(token, true, world.tokens.owner), 'FORBIDDEN');
      expectError(await respond(token, true), 'UNAUTHENTICATED');
      const row = await database.db.selectFrom('invitations').select('status').where('token', '=', token).executeTakeFirstOrThrow();
      expect(row.status).toBe('PENDING');
      expect(await membership(world.ids.teamA, userId)).toEqual([]);
    });

    it('lets exactly one of 20 concurrent accepts win; the other 19 are CONFLICT and one membership exists', async () => {
      const { userId, bearer, token } = await invitee('racer@example.com');
      const results = await Promise.all(Array.from({ length: 20 }, () => respond(token, true, bearer)));
      const accepted = results.filter((result) => result.data?.respondToInvitation?.status === 'ACCEPTED');
      const conflicts = results.filter((result) => result.errors?.[0].extensions?.code === 'CONFLICT');
      expect(accepted).toHaveLength(1);
      expect(conflicts).toHaveLength(19);
      expect(await membership(world.ids.teamA, userId)).toEqual([expect.objectContaining({ role: 'MEMBER', isActive: 1 })]);
    });
  });
});
