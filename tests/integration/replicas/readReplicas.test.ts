import { createTestDatabase, type TestDatabase } from '../../support/database';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { eventually, metricsText, sampleSum, TcpProxy } from '../../support/ops';
import type { OwnMariadb } from '../../support/ownMariadb';
import { startReplicatedMariadb, type ReplicatedMariadb } from '../../support/replication';
import { startTestServer, type TestServer } from '../../support/server';

const COMMENTS = 'query ($id: ID!) { crsDocument(id: $id) { comments(first: 100) { content } } }';
const ADD_COMMENT = 'mutation ($crsId: ID!, $content: String!) { addComment(crsId: $crsId, content: $content) { id } }';

interface Reply {
  status: number;
  body: { data?: any; errors?: unknown[]; extensions?: { queryCount?: number } };
  readAfter: string | null;
}

/** POSTs one GraphQL request, with the headers a client would send, and keeps X-Read-After. */
async function post(server: TestServer, query: string, variables: object, token: string, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'], readAfter: response.headers.get('x-read-after') };
}

/**
 * Read replicas against real MariaDB replication: a primary with its binary log and two replicas
 * following it by GTID, all private to this file. Where statements went is told by each server's
 * Com_select and Com_insert (the server's own checks use SHOW statements, which count in neither).
 */
describe('read replicas', () => {
  let servers: ReplicatedMariadb;
  let database: TestDatabase;
  const running: TestServer[] = [];
  let crsId: string;
  let writerId: number;
  let replicaUrls: string[];

  const start = async (env: Record<string, string> = {}) => {
    const server = await startTestServer(database.url, env);
    running.push(server);
    return server;
  };
  const withReplicas = (env: Record<string, string> = {}) => start({ DATABASE_REPLICA_URL: replicaUrls.join(','), ...env });

  /** Com_select of each server while `work` runs: [primary, replica 1, replica 2]. */
  const selectsDuring = async (work: () => Promise<unknown>, counter = 'Com_select') => {
    const all = [servers.primary, ...servers.replicas];
    const before = await Promise.all(all.map((server) => servers.status(server, counter)));
    await work();
    const after = await Promise.all(all.map((server) => servers.status(server, counter)));
    return after.map((value, index) => value - before[index]);
  };
  const comments = async (server: TestServer, token: string, headers?: Record<string, string>) => {
    const reply = await post(server, COMMENTS, { id: crsId }, token, headers);
    expect(reply.body.errors).toBeUndefined();
    return (reply.body.data.crsDocument.comments as Array<{ content: string }>).map((comment) => comment.content);
  };
  const health = async (server: TestServer) => (await (await fetch(`${server.url}/health/database`)).json()) as { replicas?: any[] };
  const urlOn = (server: OwnMariadb) => database.url.replace(servers.primary.url, server.url);

  beforeAll(async () => {
    servers = await startReplicatedMariadb(2);
    database = await createTestDatabase('replicas', { serverUrl: servers.primary.url });
    replicaUrls = servers.replicas.map(urlOn);
    const f = new Fixtures(database.db);
    const writer = (writerId = await f.user('writer@example.com'));
    const reader = await f.user('reader@example.com');
    const team = await f.team(writer);
    await f.member(team, reader);
    const project = await f.project(team, writer);
    crsId = String(await f.crs(project, writer));
    await f.comment(Number(crsId), writer, 'first');
    await servers.caughtUp();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
    await database?.destroy();
    await servers?.stop();
  }, 120_000);

  it('reads queries from the replicas, in turn, and writes mutations on the primary', async () => {
    const server = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '60000' });
    const writer = await server.login('writer@example.com', FIXTURE_PASSWORD);
    await comments(server, writer); // the viewer cache loads the viewer, from the primary

    let statements = 0;
    const reads = await selectsDuring(async () => {
      for (let i = 0; i < 10; i++) {
        const reply = await post(server, COMMENTS, { id: crsId }, writer);
        statements += reply.body.extensions!.queryCount!;
      }
    });
    expect(statements).toBeGreaterThanOrEqual(10);
    expect(reads[0]).toBe(0);
    expect(reads[1] + reads[2]).toBe(statements);
    expect(reads[1]).toBeGreaterThan(0);
    expect(reads[2]).toBeGreaterThan(0);

    const inserts = await selectsDuring(async () => {
      const reply = await post(server, ADD_COMMENT, { crsId, content: 'routed' }, writer);
      expect(reply.body.errors).toBeUndefined();
      expect(reply.readAfter).toMatch(/^\d+-1-\d+$/);
    }, 'Com_insert');
    expect(inserts[0]).toBeGreaterThan(0);
  });

  describe('while replication is held back (STOP SLAVE SQL_THREAD)', () => {
    beforeAll(async () => {
      for (const replica of servers.replicas) await servers.run(replica, 'STOP SLAVE SQL_THREAD');
    });
    afterAll(async () => {
      if (!servers) return;
      for (const replica of servers.replicas) await servers.run(replica, 'START SLAVE SQL_THREAD');
      await servers.caughtUp();
    });

    it('a writer reads its write at once, from the primary, on this instance and, with X-Read-After, on another', async () => {
      const server = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '60000' });
      const other = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '60000' });
      const writer = await server.login('writer@example.com', FIXTURE_PASSWORD);
      const reader = await server.login('reader@example.com', FIXTURE_PASSWORD);
      for (const instance of [server, other]) for (const token of [writer, reader]) await comments(instance, token);

      let written: Reply | undefined;
      // With the replicas applying nothing, any insert counted on them would be the server's own.
      const inserts = await selectsDuring(async () => {
        written = await post(server, ADD_COMMENT, { crsId, content: 'held back' }, writer);
      }, 'Com_insert');
      expect(written!.body.errors).toBeUndefined();
      expect(inserts[0]).toBeGreaterThan(0);
      expect(inserts.slice(1)).toEqual([0, 0]);
      const readAfter = written!.readAfter!;

      const writerReads = await selectsDuring(async () => expect(await comments(server, writer)).toContain('held back'));
      expect(writerReads[0]).toBeGreaterThan(0);
      expect(writerReads[1] + writerReads[2]).toBe(0);

      // Other viewers read the replicas, which do not have it yet.
      const readerReads = await selectsDuring(async () => expect(await comments(server, reader)).not.toContain('held back'));
      expect(readerReads[0]).toBe(0);

      // Another instance knows nothing of the write but what the client tells it.
      expect(await comments(other, writer)).not.toContain('held back');
      expect(await comments(other, writer, { 'X-Read-After': readAfter })).toContain('held back');
      // A malformed header is ignored rather than failing the request.
      expect(await comments(other, writer, { 'X-Read-After': 'not a position' })).not.toContain('held back');
    });
  });

  it('after the replicas apply the write, the writer reads them again', async () => {
    const server = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '60000' });
    const writer = await server.login('writer@example.com', FIXTURE_PASSWORD);
    await comments(server, writer);
    expect((await post(server, ADD_COMMENT, { crsId, content: 'applied' }, writer)).body.errors).toBeUndefined();
    await servers.caughtUp();
    await eventually(async () => (await selectsDuring(() => comments(server, writer)))[0] === 0);
    expect(await comments(server, writer)).toContain('applied');
  });

  it('takes a replica lagging past DB_REPLICA_MAX_LAG_MS out of rotation, and back once it catches up', async () => {
    const server = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '1000' });
    const reader = await server.login('reader@example.com', FIXTURE_PASSWORD);
    await comments(server, reader);
    for (const replica of servers.replicas) await servers.run(replica, 'STOP SLAVE SQL_THREAD');
    try {
      await new Fixtures(database.db).comment(Number(crsId), writerId, 'lagging');
      await eventually(async () => (await health(server)).replicas!.every((replica) => !replica.inRotation));
      const lagging = await health(server);
      for (const replica of lagging.replicas!) expect(replica.lagMs).toBeGreaterThan(1000);
      expect(sampleSum(await metricsText(server.url), 'bridgeai_db_replica_in_rotation')).toBe(0);

      const reads = await selectsDuring(async () => expect(await comments(server, reader)).toContain('lagging'));
      expect(reads[0]).toBeGreaterThan(0);
      expect(reads[1] + reads[2]).toBe(0);
      expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    } finally {
      for (const replica of servers.replicas) await servers.run(replica, 'START SLAVE SQL_THREAD');
    }
    await eventually(async () => (await health(server)).replicas!.every((replica) => replica.inRotation && replica.lagMs === 0));
    expect(sampleSum(await metricsText(server.url), 'bridgeai_db_replica_in_rotation')).toBe(2);
    const reads = await selectsDuring(() => comments(server, reader));
    expect(reads[0]).toBe(0);
  });

  it('reads fall back to the primary while a replica is unreachable, and it comes back by itself', async () => {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: servers.replicas[0].port });
    try {
      const server = await start({ DATABASE_REPLICA_URL: proxy.urlFor(replicaUrls[0]), DB_REPLICA_MAX_LAG_MS: '60000' });
      const reader = await server.login('reader@example.com', FIXTURE_PASSWORD);
      await comments(server, reader);
      await proxy.unplug();
      const reads = await selectsDuring(async () => {
        for (let i = 0; i < 3; i++) await comments(server, reader);
      });
      expect(reads[0]).toBeGreaterThan(0);
      expect(reads[1]).toBe(0);
      const [replica] = (await health(server)).replicas!;
      expect(replica).toMatchObject({ inRotation: false });
      expect(sampleSum(await metricsText(server.url), 'bridgeai_db_replica_fallbacks_total')).toBeGreaterThan(0);

      await proxy.plug();
      await eventually(async () => (await health(server)).replicas![0].inRotation === true);
      expect((await selectsDuring(() => comments(server, reader)))[0]).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('without DATABASE_REPLICA_URL, every statement goes to the primary and a mutation costs nothing more', async () => {
    const plain = await start();
    const routed = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '60000' });
    const counts: number[] = [];
    for (const server of [plain, routed]) {
      const writer = await server.login('writer@example.com', FIXTURE_PASSWORD);
      const reply = await post(server, ADD_COMMENT, { crsId, content: 'counted' }, writer);
      expect(reply.body.errors).toBeUndefined();
      expect(reply.readAfter === null).toBe(server === plain);
      counts.push(reply.body.extensions!.queryCount!);
    }
    // The routed server reads the primary's position after the mutation: one SHOW statement.
    expect(counts[1]).toBe(counts[0] + 1);
    expect(await health(plain)).not.toHaveProperty('replicas');
    const writer = await plain.login('writer@example.com', FIXTURE_PASSWORD);
    await comments(plain, writer);
    const reads = await selectsDuring(() => comments(plain, writer));
    expect(reads[0]).toBeGreaterThan(0);
    expect(reads[1] + reads[2]).toBe(0);
  });

  it('a replica stopped under load fails no request', async () => {
    const server = await withReplicas({ DB_REPLICA_MAX_LAG_MS: '60000' });
    const reader = await server.login('reader@example.com', FIXTURE_PASSWORD);
    await comments(server, reader);
    const failures: unknown[] = [];
    let done = 0;
    const load = async () => {
      for (let i = 0; i < 30; i++) {
        const reply = await post(server, COMMENTS, { id: crsId }, reader);
        if (reply.status !== 200 || reply.body.errors) failures.push(reply.body.errors ?? reply.status);
        done++;
      }
    };
    const clients = Promise.all(Array.from({ length: 4 }, load));
    await eventually(async () => done >= 20);
    await servers.replicas[1].stop();
    await clients;
    expect(done).toBe(120);
    expect(failures).toEqual([]);
    const replicas = (await health(server)).replicas!;
    expect(replicas.map((replica) => replica.inRotation)).toEqual([true, false]);
  });
});
