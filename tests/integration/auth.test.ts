import { verifyToken } from '../../src/auth/tokens';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, TEST_JWT_SECRET, type TestServer } from '../support/server';

const SIGN_UP = `mutation ($email: String!, $password: String!, $fullName: String!) {
  signUp(email: $email, password: $password, fullName: $fullName) { token expiresAt user { id email fullName } }
}`;
const LOGIN = `mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id } } }`;

describe('sign-up, login and a first team', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('auth');
    server = await startTestServer(database.url);
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('signs up, stores only a bcrypt hash, and issues a day-long token', async () => {
    const result = await server.graphql(SIGN_UP, { email: ' New.User@Example.com ', password: 'correct horse', fullName: 'New User' });
    expect(result.errors).toBeUndefined();
    const { token, expiresAt, user } = result.data.signUp;
    expect(user).toEqual({ id: expect.any(String), email: 'new.user@example.com', fullName: 'New User' });
    expect(verifyToken(token, TEST_JWT_SECRET)).toBe(Number(user.id));
    const lifetime = new Date(expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(23 * 3600 * 1000);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600 * 1000);
    const row = await database.db.selectFrom('users').selectAll().where('id', '=', Number(user.id)).executeTakeFirstOrThrow();
    expect(row.passwordHash).toMatch(/^\$2[aby]\$10\$/);
    expect(row.passwordHash).not.toContain('correct horse');
  });

  it.each([
    ['a malformed email', { email: 'not-an-email', password: 'long enough', fullName: 'X' }, 'BAD_USER_INPUT', /^email: /],
    ['a short password', { email: 'short@example.com', password: 'short', fullName: 'X' }, 'BAD_USER_INPUT', /^password: /],
    ['an empty name', { email: 'empty@example.com', password: 'long enough', fullName: '  ' }, 'BAD_USER_INPUT', /^fullName: /],
    ['a taken email', { email: 'NEW.USER@example.com', password: 'long enough', fullName: 'X' }, 'CONFLICT', /^email: /],
  ])('refuses %s', async (_name, variables, code, message) => {
    const before = await database.db.selectFrom('users').select('id').execute();
    const result = await server.graphql(SIGN_UP, variables);
    expect(result.errors?.[0].extensions?.code).toBe(code);
    expect(result.errors?.[0].message).toMatch(message);
    expect(await database.db.selectFrom('users').select('id').execute()).toHaveLength(before.length);
  });

  it('logs in, with one message for an unknown email and a wrong password', async () => {
    const ok = await server.graphql(LOGIN, { email: 'new.user@example.com', password: 'correct horse' });
    expect(ok.data.login.token).toEqual(expect.any(String));
    const wrongPassword = await server.graphql(LOGIN, { email: 'new.user@example.com', password: 'wrong horse' });
    const unknownEmail = await server.graphql(LOGIN, { email: 'nobody@example.com', password: 'correct horse' });
    for (const failed of [wrongPassword, unknownEmail]) {
      expect(failed.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(wrongPassword.errors?.[0].message).toBe(unknownEmail.errors?.[0].message);
  });

  it('lets a new user create a team and become its OWNER, seen in the same response', async () => {
    const token = await server.login('new.user@example.com', 'correct horse');
    const result = await server.graphql(
      `mutation { createTeam(name: "  Platform  ", description: "Core services") {
        id name description members { role user { email } } projects { id }
      } }`,
      {},
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createTeam).toMatchObject({
      name: 'Platform',
      description: 'Core services',
      members: [{ role: 'OWNER', user: { email: 'new.user@example.com' } }],
      projects: [],
    });
    const teams = await server.graphql('{ teams { name } viewer { teams { name } } }', {}, token);
    expect(teams.data).toEqual({ teams: [{ name: 'Platform' }], viewer: { teams: [{ name: 'Platform' }] } });
  });

  it('refuses createTeam without a token and with an empty name', async () => {
    const anonymous = await server.graphql('mutation { createTeam(name: "X") { id } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const token = await server.login('new.user@example.com', 'correct horse');
    const empty = await server.graphql('mutation { createTeam(name: "") { id } }', {}, token);
    expect(empty.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0].message).toMatch(/^name: /);
  });
});
