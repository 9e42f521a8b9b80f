import { READ_THE_VIEWER } from '../../support/ops';
import { sql } from 'kysely';
import type { TeamRole } from '../../../src/db/schema';
import { INTERNAL_ERROR_MESSAGE } from '../../../src/http/formatError';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { FIXTURE_PASSWORD } from '../../support/fixtures';
import { eventually } from '../../support/ops';
import { startTestServer, type GraphQLResponse, type TestServer } from '../../support/server';
import { buildWorld, expectData, expectError, type World } from './world';

const REMOVE = 'mutation ($teamId: ID!, $userId: ID!) { removeMember(teamId: $teamId, userId: $userId) }';
const SET_ROLE = `mutation ($teamId: ID!, $userId: ID!, $role: TeamRole!) {
  setMemberRole(teamId: $teamId, userId: $userId, role: $role) { role joinedAt user { id email } }
}`;
const LEAVE = 'mutation ($teamId: ID!) { leaveTeam(teamId: $teamId) }';

/** The people of these tests; `coOwner` is Cora, a second OWNER where a team has one. */
type Person = 'owner' | 'coOwner' | 'admin' | 'member' | 'viewer' | 'former' | 'outsider';

const MISSING_ID = 999999;
const LAST_OWNER = "You are the team's only OWNER, and a team must keep one: make another member OWNER first (setMemberRole).";

describe('removeMember, setMemberRole and leaveTeam', () => {
  let database: TestDatabase;
  let server: TestServer;
  let world: World;
  let ids: Record<Person, number>;
  let tokens: Record<Person, string>;

  beforeAll(async () => {
    database = await createTestDatabase('mut_members');
    // Each test builds its team straight in the database, behind the server's back, so the viewer
    // cache is off here; tests/integration/viewerCache.test.ts removes members with it on.
    server = await startTestServer(database.url, READ_THE_VIEWER);
    world = await buildWorld(database.db, server);
    const coOwner = await world.fixtures.user('cora@example.com', 'Cora Co-owner');
    ids = { ...world.ids, coOwner };
    tokens = { ...world.tokens, coOwner: await server.login('cora@example.com', FIXTURE_PASSWORD) };
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /**
   * A new team with the cast of team A: Olivia OWNER, Cora a second OWNER (unless `coOwner` is
   * false), Adam ADMIN, Mia MEMBER, Vera VIEWER and Fred, a MEMBER who left.
   */
  async function newTeam({ coOwner = true } = {}): Promise<number> {
    const teamId = await world.fixtures.team(ids.owner, 'Cast');
    if (coOwner) await world.fixtures.member(teamId, ids.coOwner, 'OWNER');
    await world.fixtures.member(teamId, ids.admin, 'ADMIN');
    await world.fixtures.member(teamId, ids.member, 'MEMBER');
    await world.fixtures.member(teamId, ids.viewer, 'VIEWER');
    await world.fixtures.member(teamId, ids.former, 'MEMBER', false);
    return teamId;
  }

  /** Every membership row of a team, active or not, as `userId:role:isActive`, to compare states. */
  async function memberships(teamId: number): Promise<string[]> {
    const rows = await database.db.selectFrom('teamMembers').selectAll().where('teamId', '=', teamId).orderBy('userId').execute();
    return rows.map((row) => `${row.userId}:${row.role}:${row.isActive}`);
  }

  /** The membership rows of one user in one team (none, or one: UNIQUE(team_id, user_id)). */
  const membershipRows = (teamId: number, userId: number) =>
    database.db.selectFrom('teamMembers').selectAll().where('teamId', '=', teamId).where('userId', '=', userId).execute();

  async function activeOwners(teamId: number): Promise<number[]> {
    const rows = await database.db
      .selectFrom('teamMembers')
      .select('userId')
      .where('teamId', '=', teamId)
      .where('role', '=', 'OWNER')
      .where('isActive', '=', 1)
      .execute();
    return rows.map((row) => row.userId);
  }

  const remove = (teamId: number, userId: number, token?: string) =>
    server.graphql(REMOVE, { teamId: String(teamId), userId: String(userId) }, token);
  const setRole = (teamId: number, userId: number, role: TeamRole, token?: string) =>
    server.graphql(SET_ROLE, { teamId: String(teamId), userId: String(userId), role }, token);
  const leave = (teamId: number, token?: string) => server.graphql(LEAVE, { teamId: String(teamId) }, token);

  /** A refusal of `code` whose message matches, after which the team's memberships are as they were. */
  async function expectRefused(teamId: number, request: () => Promise<GraphQLResponse>, code: string, message: RegExp | string) {
    const before = await memberships(teamId);
    expectError(await request(), code, message);
    expect(await memberships(teamId)).toEqual(before);
  }

  const MEMBER_FORBIDDEN = (action: string) => new RegExp(`^Your role in this team is MEMBER; ${action} needs the OWNER or ADMIN role\\.$`);
  const VIEWER_FORBIDDEN = /^Your role in this team is VIEWER, which may only read; /;

  describe('removeMember', () => {
    // The same person twice is removing oneself: leaving, under leaveTeam's rules.
    it.each<[Person, Person]>([
      ['owner', 'coOwner'],
      ['owner', 'admin'],
      ['owner', 'member'],
      ['owner', 'viewer'],
      ['owner', 'owner'],
      ['admin', 'member'],
      ['admin', 'viewer'],
      ['admin', 'admin'],
    ])('lets the %s remove the %s, keeping the row as inactive', async (actor, target) => {
      const teamId = await newTeam();
      expect(expectData(await remove(teamId, ids[target], tokens[actor])).removeMember).toBe(true);
      expect(await membershipRows(teamId, ids[target])).toEqual([expect.objectContaining({ isActive: 0 })]);
      expect(await activeOwners(teamId)).not.toHaveLength(0);
    });

    it.each<[Person, Person, RegExp]>([
      ['admin', 'owner', /^Your role in this team is ADMIN; only an OWNER may remove an OWNER\.$/],
      ['admin', 'coOwner', /only an OWNER may remove an OWNER/],
      ['member', 'viewer', MEMBER_FORBIDDEN('removing a member')],
      ['member', 'member', MEMBER_FORBIDDEN('removing a member')],
      ['viewer', 'member', VIEWER_FORBIDDEN],
      ['viewer', 'viewer', VIEWER_FORBIDDEN],
    ])('is FORBIDDEN for the %s removing the %s', async (actor, target, message) => {
      const teamId = await newTeam();
      await expectRefused(teamId, () => remove(teamId, ids[target], tokens[actor]), 'FORBIDDEN', message);
    });
  });

  describe('setMemberRole', () => {
    it.each<[Person, Person, TeamRole]>([
      ['owner', 'member', 'ADMIN'],
      ['owner', 'member', 'OWNER'],
      ['owner', 'coOwner', 'ADMIN'],
      ['owner', 'admin', 'VIEWER'],
      ['owner', 'owner', 'MEMBER'],
      ['admin', 'member', 'VIEWER'],
      ['admin', 'viewer', 'ADMIN'],
      ['admin', 'admin', 'MEMBER'],
      ['owner', 'member', 'MEMBER'],
    ])('lets the %s make the %s %s and answers with the member', async (actor, target, role) => {
      const teamId = await newTeam();
      const [before] = await membershipRows(teamId, ids[target]);
      const member = expectData(await setRole(teamId, ids[target], role, tokens[actor])).setMemberRole;
      expect(member).toEqual({ role, joinedAt: before.joinedAt.toISOString(), user: { id: String(ids[target]), email: expect.any(String) } });
      expect(await membershipRows(teamId, ids[target])).toEqual([{ ...before, role }]);
    });

    it.each<[Person, Person, TeamRole, RegExp]>([
      ['admin', 'member', 'OWNER', /^Your role in this team is ADMIN; only an OWNER may give or take the OWNER role\.$/],
      ['admin', 'admin', 'OWNER', /only an OWNER may give or take the OWNER role/],
      ['admin', 'coOwner', 'MEMBER', /only an OWNER may give or take the OWNER role/],
      ['member', 'viewer', 'MEMBER', MEMBER_FORBIDDEN("changing a member's role")],
      ['member', 'member', 'ADMIN', MEMBER_FORBIDDEN("changing a member's role")],
      ['viewer', 'member', 'VIEWER', VIEWER_FORBIDDEN],
      ['viewer', 'viewer', 'MEMBER', VIEWER_FORBIDDEN],
    ])('is FORBIDDEN for the %s making the %s %s', async (actor, target, role, message) => {
      const teamId = await newTeam();
      await expectRefused(teamId, () => setRole(teamId, ids[target], role, tokens[actor]), 'FORBIDDEN', message);
    });

    it('is BAD_USER_INPUT for a malformed id, before anything is read', async () => {
      expectError(await server.graphql(SET_ROLE, { teamId: '1', userId: '-4', role: 'ADMIN' }, tokens.owner), 'BAD_USER_INPUT', /^userId: "-4" is not an id/);
    });
  });

  describe('leaveTeam', () => {
    it.each<Person>(['owner', 'coOwner', 'admin', 'member', 'viewer'])('lets the %s leave', async (person) => {
      const teamId = await newTeam();
      expect(expectData(await leave(teamId, tokens[person])).leaveTeam).toBe(true);
      expect(await memberships(teamId)).toContain(`${ids[person]}:${person === 'coOwner' ? 'OWNER' : person.toUpperCase()}:0`);
    });
  });

  describe('who cannot find the team or the member', () => {
    const mutations = [
      ['removeMember', (teamId: number, token?: string) => remove(teamId, ids.member, token)],
      ['setMemberRole', (teamId: number, token?: string) => setRole(teamId, ids.member, 'ADMIN', token)],
      ['leaveTeam', (teamId: number, token?: string) => leave(teamId, token)],
    ] as const;

    it.each(mutations)('%s is NOT_FOUND for an outsider and a former member, exactly like a missing team', async (_name, run) => {
      const teamId = await newTeam();
      expectError(await run(MISSING_ID, tokens.owner), 'NOT_FOUND', `Team "${MISSING_ID}" was not found.`);
      await expectRefused(teamId, () => run(teamId, tokens.outsider), 'NOT_FOUND', `Team "${teamId}" was not found.`);
      await expectRefused(teamId, () => run(teamId, tokens.former), 'NOT_FOUND', `Team "${teamId}" was not found.`);
    });

    it.each(mutations)('%s is UNAUTHENTICATED without a token', async (_name, run) => {
      const teamId = await newTeam();
      await expectRefused(teamId, () => run(teamId), 'UNAUTHENTICATED', /^Sign in first/);
    });

    it.each([
      ['removeMember', (teamId: number, userId: number) => remove(teamId, userId, tokens.owner)],
      ['setMemberRole', (teamId: number, userId: number) => setRole(teamId, userId, 'ADMIN', tokens.owner)],
    ] as const)('%s is NOT_FOUND for a former member, a user of another team and a missing user alike', async (_name, run) => {
      const teamId = await newTeam();
      for (const userId of [ids.former, ids.outsider, MISSING_ID]) {
        const message = `User "${userId}" is not an active member of this team; team.members lists who is.`;
        await expectRefused(teamId, () => run(teamId, userId), 'NOT_FOUND', message);
      }
    });
  });

  describe("the team's last OWNER", () => {
    it('cannot leave, be demoted or remove themselves (CONFLICT saying what to do), and can once another member is OWNER', async () => {
      const teamId = await newTeam({ coOwner: false });
      await expectRefused(teamId, () => leave(teamId, tokens.owner), 'CONFLICT', LAST_OWNER);
      await expectRefused(teamId, () => setRole(teamId, ids.owner, 'ADMIN', tokens.owner), 'CONFLICT', LAST_OWNER);
      await expectRefused(teamId, () => remove(teamId, ids.owner, tokens.owner), 'CONFLICT', LAST_OWNER);
      // Staying OWNER is no change at all.
      expect(expectData(await setRole(teamId, ids.owner, 'OWNER', tokens.owner)).setMemberRole.role).toBe('OWNER');

      expect(expectData(await setRole(teamId, ids.admin, 'OWNER', tokens.owner)).setMemberRole.role).toBe('OWNER');
      expect(expectData(await leave(teamId, tokens.owner)).leaveTeam).toBe(true);
      expect(await activeOwners(teamId)).toEqual([ids.admin]);
      // Now Adam is the only one.
      await expectRefused(teamId, () => remove(teamId, ids.admin, tokens.admin), 'CONFLICT', LAST_OWNER);
    });
  });

  describe('concurrent changes of one team', () => {
    /**
     * Holds every member row of the team locked while the requests start, until all of them wait
     * for it, then runs `meanwhile` in the same transaction and lets them go together: however
     * the server schedules them, their transactions overlap.
     */
    async function allAtOnce(teamId: number, requests: (() => Promise<GraphQLResponse>)[], meanwhile?: (trx: typeof database.db) => Promise<void>) {
      let started: Promise<GraphQLResponse>[] = [];
      await database.db.transaction().execute(async (trx) => {
        await sql`SELECT id FROM team_members WHERE team_id = ${teamId} FOR UPDATE`.execute(trx);
        started = requests.map((request) => request());
        await eventually(async () => (await lockWaits()) === requests.length);
        await meanwhile?.(trx);
      });
      return Promise.all(started);
    }

    /**
     * Statements of this test's database that lock or update team_members rows and are still
     * running: while the test holds the rows, they wait for it. (Not INNODB_TRX: that is a
     * snapshot which is not refreshed while anyone reads it more often than every 0.1 s.)
     */
    async function lockWaits(): Promise<number> {
      const result = await sql<{ waiting: number }>`SELECT COUNT(*) AS waiting FROM information_schema.PROCESSLIST
        WHERE DB = DATABASE() AND ID <> CONNECTION_ID() AND COMMAND = 'Query'
          AND (INFO LIKE 'select %team_members% for update' OR INFO LIKE 'update %team_members%')`.execute(database.db);
      return Number(result.rows[0].waiting);
    }

    // The one who comes second is, by then, the only OWNER; an ADMIN; no member at all.
    it.each([
      ['both leave', 'CONFLICT', () => LAST_OWNER, (teamId: number) => [() => leave(teamId, tokens.owner), () => leave(teamId, tokens.coOwner)]],
      [
        'each demotes the other',
        'FORBIDDEN',
        () => "Your role in this team is ADMIN; only an OWNER may give or take the OWNER role.",
        (teamId: number) => [() => setRole(teamId, ids.coOwner, 'ADMIN', tokens.owner), () => setRole(teamId, ids.owner, 'ADMIN', tokens.coOwner)],
      ],
      [
        'each removes the other',
        'NOT_FOUND',
        (teamId: number) => `Team "${teamId}" was not found.`,
        (teamId: number) => [() => remove(teamId, ids.coOwner, tokens.owner), () => remove(teamId, ids.owner, tokens.coOwner)],
      ],
    ] as const)('of the last two OWNERs: when %s at once, exactly one wins (the other is %s) and the team keeps an OWNER', async (_name, code, message, requests) => {
      const teamId = await newTeam();
      const results = await allAtOnce(teamId, requests(teamId));
      expect(results.filter((result) => result.errors === undefined)).toHaveLength(1);
      const refused = results.filter((result) => result.errors !== undefined);
      expect(refused).toHaveLength(1);
      expectError(refused[0], code, message(teamId));
      expect(await activeOwners(teamId)).toHaveLength(1);
    });

    it('decides on the role the actor has when the rows are locked, not the one their request began with', async () => {
      const teamId = await newTeam();
      const [result] = await allAtOnce(teamId, [() => remove(teamId, ids.member, tokens.admin)], async (trx) => {
        await trx.updateTable('teamMembers').set({ role: 'MEMBER' }).where('teamId', '=', teamId).where('userId', '=', ids.admin).execute();
      });
      expectError(result, 'FORBIDDEN', MEMBER_FORBIDDEN('removing a member'));
      expect(await memberships(teamId)).toContain(`${ids.member}:MEMBER:1`);
    });
  });

  describe('after the change', () => {
    it("a removed member's very next request sees nothing of the team and may write nothing into it", async () => {
      // Rita is in this team only, and all her notifications are about it.
      const { fixtures } = world;
      const teamId = await newTeam();
      const rita = await fixtures.user('rita@example.com', 'Rita Removed');
      const token = await server.login('rita@example.com', FIXTURE_PASSWORD);
      await fixtures.member(teamId, rita, 'MEMBER');
      const projectId = await fixtures.project(teamId, rita, 'Left behind');
      const crsId = await fixtures.crs(projectId, rita, 'Left behind CRS');
      const commentId = await fixtures.comment(crsId, ids.owner, 'Left behind comment');
      const sessionId = await fixtures.chatSession(projectId, rita, 'Left behind chat');
      await fixtures.notification(rita, 'PROJECT_APPROVED', projectId);
      await fixtures.notification(rita, 'CRS_CREATED', crsId);
      await fixtures.notification(rita, 'CRS_COMMENTED', commentId);
      await fixtures.notification(rita, 'SYSTEM', teamId);
      const variables = { teamId: String(teamId), projectId: String(projectId), crsId: String(crsId), sessionId: String(sessionId) };
      const read = () =>
        server.graphql(
          `query ($teamId: ID!, $projectId: ID!, $crsId: ID!, $sessionId: ID!) {
            team(id: $teamId) { id } project(id: $projectId) { id } crsDocument(id: $crsId) { id } chatSession(id: $sessionId) { id }
            teams { id }
            projects(teamIds: [$teamId]) { edges { node { id } } }
            notifications { edges { node { type subject { __typename } } } }
          }`,
          variables,
          token,
        );
      const seen = expectData(await read());
      expect(seen).toMatchObject({
        team: { id: variables.teamId },
        project: { id: variables.projectId },
        crsDocument: { id: variables.crsId },
        chatSession: { id: variables.sessionId },
        teams: [{ id: variables.teamId }],
        projects: { edges: [{ node: { id: variables.projectId } }] },
      });
      expect(seen.notifications.edges.map((edge: any) => edge.node.subject?.__typename)).toEqual(['Team', 'Comment', 'CrsDocument', 'Project']);

      expectData(await remove(teamId, rita, tokens.owner));
      expect(expectData(await read())).toEqual({
        team: null,
        project: null,
        crsDocument: null,
        chatSession: null,
        teams: [],
        projects: { edges: [] },
        notifications: { edges: ['SYSTEM', 'CRS_COMMENTED', 'CRS_CREATED', 'PROJECT_APPROVED'].map((type) => ({ node: { type, subject: null } })) },
      });
      const writes = [
        server.graphql(`mutation { createProject(input: { teamId: "${teamId}", name: "P" }) { id } }`, {}, token),
        server.graphql(`mutation { addComment(crsId: "${crsId}", content: "C") { id } }`, {}, token),
        server.graphql(`mutation { postMessage(sessionId: "${sessionId}", content: "M") { id } }`, {}, token),
        leave(teamId, token),
      ];
      for (const write of await Promise.all(writes)) expectError(write, 'NOT_FOUND', /^(Team|CRS document|Chat session) "\d+" was not found\.$/);
    });

    it("the remover's own response already shows the team without the member, and the member without the team", async () => {
      const teamId = await newTeam();
      const projectId = await world.fixtures.project(teamId, ids.member, 'Reviewed twice');
      const result = await server.graphql(
        `mutation ($teamId: ID!, $userId: ID!, $projectId: ID!) {
          before: reviewProject(id: $projectId, approve: true) { team { members { user { id } } } creator { teams { id } } }
          removeMember(teamId: $teamId, userId: $userId)
          after: reviewProject(id: $projectId, approve: false) { team { members { user { id } } } creator { teams { id } } }
        }`,
        { teamId: String(teamId), userId: String(ids.member), projectId: String(projectId) },
        tokens.owner,
      );
      const data = expectData(result);
      const memberIds = (project: any) => project.team.members.map((member: any) => Number(member.user.id));
      expect(memberIds(data.before)).toContain(ids.member);
      expect(data.before.creator.teams).toContainEqual({ id: String(teamId) });
      expect(memberIds(data.after)).toEqual([ids.owner, ids.coOwner, ids.admin, ids.viewer]);
      expect(data.after.creator.teams).not.toContainEqual({ id: String(teamId) });
    });

    it("the changer's own response already shows the new role", async () => {
      const teamId = await newTeam();
      const result = await server.graphql(
        `mutation ($teamId: ID!, $userId: ID!) {
          before: createProject(input: { teamId: $teamId, name: "Before" }) { team { members { role user { id } } } }
          setMemberRole(teamId: $teamId, userId: $userId, role: ADMIN) { role }
          after: createProject(input: { teamId: $teamId, name: "After" }) { team { members { role user { id } } } }
        }`,
        { teamId: String(teamId), userId: String(ids.member) },
        tokens.owner,
      );
      const data = expectData(result);
      const roleOfMia = (project: any) => project.team.members.find((member: any) => Number(member.user.id) === ids.member).role;
      expect(roleOfMia(data.before)).toBe('MEMBER');
      expect(data.setMemberRole.role).toBe('ADMIN');
      expect(roleOfMia(data.after)).toBe('ADMIN');
    });

    it('whoever left may not write into the team later in the same request', async () => {
      const teamId = await newTeam();
      const result = await server.graphql(
        `mutation ($teamId: ID!) {
          leaveTeam(teamId: $teamId)
          createProject(input: { teamId: $teamId, name: "After leaving" }) { id }
        }`,
        { teamId: String(teamId) },
        tokens.member,
      );
      expectError(result, 'NOT_FOUND', `Team "${teamId}" was not found.`);
      expect(await memberships(teamId)).toContain(`${ids.member}:MEMBER:0`);
      expect(await database.db.selectFrom('projects').select('id').where('name', '=', 'After leaving').execute()).toEqual([]);
    });

    it.each([
      ['removed', (teamId: number) => remove(teamId, ids.member, tokens.admin)],
      ['who left', (teamId: number) => leave(teamId, tokens.member)],
    ] as const)('a member %s can be invited again and accepting re-activates their row with the new role', async (_name, end) => {
      const teamId = await newTeam();
      const projectId = await world.fixtures.project(teamId, ids.owner, 'Welcome back');
      expectData(await end(teamId));
      const invitation = expectData(
        await server.graphql(`mutation { inviteMember(teamId: "${teamId}", email: "mia@example.com", role: VIEWER) { token } }`, {}, tokens.owner),
      ).inviteMember;
      const accepted = await server.graphql(
        `mutation ($token: String!) { respondToInvitation(token: $token, accept: true) { status team { projects { id } } } }`,
        { token: invitation.token },
        tokens.member,
      );
      expect(expectData(accepted).respondToInvitation).toEqual({ status: 'ACCEPTED', team: { projects: [{ id: String(projectId) }] } });
      expect(await membershipRows(teamId, ids.member)).toEqual([expect.objectContaining({ role: 'VIEWER', isActive: 1 })]);
    });
  });

  describe('a failure in the middle of a membership write', () => {
    /** Runs `request` while team_members refuses rows matching `refused`, then lifts the constraint. */
    async function whileRefusing(refused: ReturnType<typeof sql>, request: () => Promise<GraphQLResponse>) {
      await sql`ALTER TABLE team_members ADD CONSTRAINT chk_fail CHECK (NOT (${refused}))`.execute(database.db);
      try {
        return await request();
      } finally {
        await sql`ALTER TABLE team_members DROP CONSTRAINT chk_fail`.execute(database.db);
      }
    }

    // Each constraint refuses exactly the row the mutation is about to write: Mia's, in the new team.
    const miaIn = (teamId: number) => sql`team_id = ${teamId} AND user_id = ${ids.member}`;
    it.each([
      ['removeMember', (teamId: number) => remove(teamId, ids.member, tokens.owner), (teamId: number) => sql`${miaIn(teamId)} AND is_active = 0`],
      ['setMemberRole', (teamId: number) => setRole(teamId, ids.member, 'ADMIN', tokens.owner), (teamId: number) => sql`${miaIn(teamId)} AND role = 'ADMIN'`],
      ['leaveTeam', (teamId: number) => leave(teamId, tokens.member), (teamId: number) => sql`${miaIn(teamId)} AND is_active = 0`],
    ] as const)('%s: a failing UPDATE leaves the membership as it was, behind a masked error', async (_name, request, refused) => {
      const teamId = await newTeam();
      const before = await memberships(teamId);
      const result = await whileRefusing(refused(teamId), () => request(teamId));
      expectError(result, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
      expect(await memberships(teamId)).toEqual(before);
    });

    it('createTeam: a failing OWNER row leaves no team behind', async () => {
      const teams = async () => Number((await sql<{ count: number }>`SELECT COUNT(*) AS count FROM teams`.execute(database.db)).rows[0].count);
      const founder = await world.fixtures.user('founder@example.com');
      const token = await server.login('founder@example.com', FIXTURE_PASSWORD);
      const before = await teams();
      const result = await whileRefusing(sql`user_id = ${founder} AND role = 'OWNER'`, () =>
        server.graphql('mutation { createTeam(name: "Doomed") { id } }', {}, token),
      );
      expectError(result, 'INTERNAL_SERVER_ERROR', INTERNAL_ERROR_MESSAGE);
      expect(await teams()).toBe(before);
    });
  });
});
