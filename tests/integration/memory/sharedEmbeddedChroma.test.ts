import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { eventually, isAlive } from '../../support/ops';
import { buildServer, startServerProcess, stopEmbeddedChroma, type ServerProcess } from '../../support/serverProcess';
import { buildTinyModel, type TinyModel } from '../../support/tinyModel';
import { insertDistinctComments } from './helpers';

const REINDEX_SCRIPT = resolve(__dirname, '..', '..', '..', 'dist', 'src', 'cli', 'reindex.js');
/** With the CRS document, 1,000 memories: ten batches of the reindex's 100. */
const COMMENTS = 999;
const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const SEARCH = 'query ($p: ID!, $q: String!) { searchMemory(projectId: $p, query: $q, limit: 3, maxDistance: 2) { id } }';

/**
 * Commands run in one folder without CHROMA_URL share one embedded Chroma (.data/chroma): real
 * processes of `npm start` (node dist/src/cli/start.js) and `npm run reindex` in one folder. The
 * server that started it exits first, and the other's searches keep working; the last one out
 * stops it.
 */
describe('the embedded Chroma shared by the commands of one folder', () => {
  let tinyModel: TinyModel;
  let database: TestDatabase;
  let folder: string;
  let env: Record<string, string>;
  let projectId: number;
  let crsId: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    [tinyModel, database, folder] = await Promise.all([
      buildTinyModel(),
      createTestDatabase('memory_shared_chroma'),
      mkdtemp(join(tmpdir(), 'bridgeai-shared-chroma-')),
    ]);
    const f = new Fixtures(database.db);
    const owner = await f.user('owner@example.com');
    projectId = await f.project(await f.team(owner), owner);
    const crs = await f.crs(projectId, owner, 'login', 'DRAFT', 'the user must reset the password for login security');
    crsId = `crs-${crs}`;
    await insertDistinctComments(database.db, { crsId: crs, authorId: owner, count: COMMENTS });
    env = { DATABASE_URL: database.url, EMBEDDING_MODEL: tinyModel.modelId, EMBEDDING_MODEL_DIR: tinyModel.dir, LOG_LEVEL: 'info' };
    await buildServer();
  }, 150_000);

  afterAll(async () => {
    for (const server of servers) await server.cleanUp();
    await stopEmbeddedChroma(folder);
    await Promise.all([database?.drop(), tinyModel?.remove(), rm(folder, { recursive: true, force: true })]);
  });

  const chromaPid = async () => Number((await readFile(join(folder, '.data', 'chroma.pid'), 'utf8')).split(' ')[0]);
  const line = (server: ServerProcess, message: string) => server.logs().find((entry) => String(entry.msg).startsWith(message));

  async function searchFor(server: ServerProcess, token: string, question: string): Promise<{ status: number; ids: string[]; errors?: unknown }> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: SEARCH, variables: { p: String(projectId), q: question } }),
    });
    const body = (await response.json()) as { data?: { searchMemory: { id: string }[] }; errors?: unknown };
    return { status: response.status, ids: body.data?.searchMemory.map((hit) => hit.id) ?? [], errors: body.errors };
  }

  async function signIn(server: ServerProcess): Promise<string> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LOGIN, variables: { email: 'owner@example.com', password: FIXTURE_PASSWORD } }),
    });
    return ((await response.json()) as { data: { login: { token: string } } }).data.login.token;
  }

  it('lives while any command uses it and stops with the last one', async () => {
    const first = await startServerProcess(env, { cwd: folder });
    servers.push(first);
    expect(line(first, 'embedded Chroma ready')).toMatchObject({ startedHere: true });
    const pid = await chromaPid();

    // npm run reindex beside the server: it joins the server's Chroma and leaves it running.
    const reindex = await promisify(execFile)(process.execPath, [REINDEX_SCRIPT, '--all'], { cwd: folder, env: { PATH: process.env.PATH ?? '', ...env } });
    expect(reindex.stdout).toMatch(new RegExp(`indexed ${COMMENTS + 1} memories`));
    // Not a terminal: a plain line at every tenth, with the rate and the time left.
    const progress = reindex.stderr.split('\n').filter((text) => text.startsWith('reindex: '));
    expect(progress.map((text) => text.match(/\((\d+) %\)/)?.[1])).toEqual(['10', '20', '30', '40', '50', '60', '70', '80', '90']);
    expect(progress.every((text) => / a second, about .* left$/.test(text))).toBe(true);
    expect(isAlive(pid)).toBe(true);

    const second = await startServerProcess(env, { cwd: folder });
    servers.push(second);
    expect(line(second, 'embedded Chroma ready')).toMatchObject({ startedHere: false });
    const token = await signIn(second);
    expect((await searchFor(second, token, 'login password security')).ids).toContain(crsId);

    // The server that started Chroma goes first; the other one's searches keep working.
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(line(first, 'embedded Chroma left running')).toMatchObject({ otherUsers: 1 });
    expect(isAlive(pid)).toBe(true);
    const afterFirst = await searchFor(second, token, 'login password security');
    expect(afterFirst).toMatchObject({ status: 200, errors: undefined });
    expect(afterFirst.ids).toContain(crsId);

    // The last one out stops it.
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(line(second, 'embedded Chroma stopped')).toMatchObject({ otherUsers: 0 });
    await eventually(async () => !isAlive(pid), 10_000);
    expect(existsSync(join(folder, '.data', 'chroma.url'))).toBe(false);
    expect(existsSync(join(folder, '.data', 'chroma.pid'))).toBe(false);
  });
});
