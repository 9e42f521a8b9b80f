import { createServer, type AddressInfo, type Server, type Socket, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, MysqlDialect, sql, type Generated, type MysqlPoolConnection } from 'kysely';
import { createConnection, type Connection } from 'mysql2/promise';
import { ManagedPool, PoolClosedError, PoolTimeoutError, type ManagedPoolOptions } from '../../src/db/pool';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const DATABASE = `bridgeai_test_pool_${process.env.JEST_WORKER_ID ?? '0'}_${process.pid}`;
const URI = `mysql://root@127.0.0.1:3306/${DATABASE}`;
/** Every test must finish well within this; a hang fails the test instead of the run. */
const HANG_GUARD_MS = 15_000;

interface TestDatabase {
  notes: { id: Generated<number>; body: string };
}

let admin: Connection;
const pools: ManagedPool[] = [];

beforeAll(async () => {
  admin = await createConnection(SERVER);
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.query(`CREATE DATABASE \`${DATABASE}\``);
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => new Promise((resolve) => pool.end(resolve))));
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.end();
});

function makePool(options: Partial<ManagedPoolOptions> = {}): ManagedPool {
  const pool = new ManagedPool({ uri: URI, size: 2, maxOverflow: 0, timeoutMs: 5_000, recycleMs: 3_600_000, prePing: false, ...options });
  pools.push(pool);
  return pool;
}

function acquire(pool: ManagedPool): Promise<MysqlPoolConnection> {
  return new Promise((resolve, reject) => pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))));
}

function query(connection: MysqlPoolConnection, statement: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) =>
    connection.query(statement, [], (error, result) => (error ? reject(error) : resolve(result as Record<string, unknown>[]))),
  );
}

async function connectionId(connection: MysqlPoolConnection): Promise<number> {
  const [row] = await query(connection, 'SELECT CONNECTION_ID() AS id');
  return Number(row!.id);
}

/** Connections the server currently has open on the test database (the admin session has none selected). */
async function serverConnections(): Promise<number[]> {
  const [rows] = await admin.query('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ?', [DATABASE]);
  return (rows as Array<{ id: number }>).map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** Polls until `check` holds; the test's timeout is what fails it if it never does. */
async function eventually(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await sleep(20);
}

function kyselyOver(pool: ManagedPool): Kysely<TestDatabase> {
  return new Kysely<TestDatabase>({ dialect: new MysqlDialect({ pool }) });
}

async function kyselyConnectionId(db: Kysely<TestDatabase>): Promise<number> {
  const row = await db.selectNoFrom(sql<number>`CONNECTION_ID()`.as('id')).executeTakeFirstOrThrow();
  return Number(row.id);
}

test(
  'serves a real Kysely instance: statements, a transaction, and destroy() ending the pool',
  async () => {
    const pool = makePool();
    const db = kyselyOver(pool);
    await db.schema.createTable('notes').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()).addColumn('body', 'text').execute();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values([{ body: 'first' }, { body: 'second' }]).execute();
    });
    const bodies = await db.selectFrom('notes').select('body').orderBy('id').execute();
    expect(bodies.map((row) => row.body)).toEqual(['first', 'second']);

    // Sequential statements reuse the one connection rather than opening new ones.
    const first = await kyselyConnectionId(db);
    expect(await kyselyConnectionId(db)).toBe(first);
    expect(pool.stats()).toMatchObject({ checkedOut: 0, idle: 1 });

    await db.destroy();
    await expect(acquire(pool)).rejects.toBeInstanceOf(PoolClosedError);
  },
  HANG_GUARD_MS,
);

test(
  'never opens more than size + maxOverflow connections; further callers wait for a release',
  async () => {
    const pool = makePool({ size: 2, maxOverflow: 1 });
    const held = await Promise.all([acquire(pool), acquire(pool), acquire(pool)]);
    const heldIds = await Promise.all(held.map(connectionId));
    const fourth = acquire(pool);

    expect(pool.stats()).toMatchObject({ checkedOut: 3, idle: 0, waiting: 1, utilization: 1 });
    expect(await serverConnections()).toEqual([...heldIds].sort((a, b) => a - b));

    held[1]!.release();
    expect(await connectionId(await fourth)).toBe(heldIds[1]);

    // A burst through Kysely stays within the same three connections.
    const db = kyselyOver(pool);
    held[0]!.release();
    held[2]!.release();
    const burst = await Promise.all(
      Array.from({ length: 12 }, () => db.selectNoFrom([sql<number>`CONNECTION_ID()`.as('id'), sql`SLEEP(0.05)`.as('slept')]).executeTakeFirstOrThrow()),
    );
    expect(new Set(burst.map((row) => Number(row.id))).size).toBeLessThanOrEqual(3);
    expect((await serverConnections()).length).toBeLessThanOrEqual(3);
  },
  HANG_GUARD_MS,
);

test(
  'with size 1 and no overflow, a second caller gets PoolTimeoutError after timeoutMs and the pool serves again after release',
  async () => {
    const pool = makePool({ size: 1, maxOverflow: 0, timeoutMs: 300 });
    const held = await acquire(pool);

    const failure = await acquire(pool).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PoolTimeoutError);
    expect(failure).toMatchObject({ code: 'POOL_TIMEOUT' });
    expect((failure as Error).message).toMatch(/within 300 ms \(pool of 1 \+ 0 overflow, all in use\).*DB_POOL_SIZE/);
    expect(pool.stats()).toMatchObject({ checkedOut: 1, waiting: 0 });

    // The same through Kysely: the query is rejected, not left pending.
    const db = kyselyOver(pool);
    await expect(kyselyConnectionId(db)).rejects.toMatchObject({ code: 'POOL_TIMEOUT' });

    const heldId = await connectionId(held);
    held.release();
    expect(await kyselyConnectionId(db)).toBe(heldId);
  },
  HANG_GUARD_MS,
);

test(
  'a waiter that timed out leaves the queue, so a freed connection goes to the next live waiter',
  async () => {
    const pool = makePool({ size: 1, maxOverflow: 0, timeoutMs: 300 });
    const held = await acquire(pool);
    await expect(acquire(pool)).rejects.toBeInstanceOf(PoolTimeoutError);

    const live = acquire(pool);
    held.release();
    const served = await live;
    expect(await connectionId(served)).toBeGreaterThan(0);
    served.release();
    expect(pool.stats()).toMatchObject({ checkedOut: 0, idle: 1, waiting: 0 });
  },
  HANG_GUARD_MS,
);

test(
  'waiters are served first come, first served',
  async () => {
    const pool = makePool({ size: 1, maxOverflow: 0 });
    const held = await acquire(pool);
    const servedOrder: number[] = [];
    const waiters = [1, 2, 3, 4].map((caller) =>
      acquire(pool).then((connection) => {
        servedOrder.push(caller);
        setImmediate(() => connection.release());
      }),
    );
    expect(pool.stats().waiting).toBe(4);

    held.release();
    await Promise.all(waiters);
    expect(servedOrder).toEqual([1, 2, 3, 4]);
  },
  HANG_GUARD_MS,
);

test(
  'closes overflow connections that stay idle for overflowIdleMs and keeps size connections',
  async () => {
    const pool = makePool({ size: 1, maxOverflow: 2, overflowIdleMs: 200 });
    const held = await Promise.all([acquire(pool), acquire(pool), acquire(pool)]);
    expect(await serverConnections()).toHaveLength(3);
    held.forEach((connection) => connection.release());
    expect(pool.stats()).toMatchObject({ checkedOut: 0, idle: 3 });

    await eventually(() => pool.stats().idle === 1);
    await eventually(async () => (await serverConnections()).length === 1);

    // Well past another overflowIdleMs, the persistent connection is still there.
    await sleep(600);
    expect(pool.stats().idle).toBe(1);
    expect(await serverConnections()).toHaveLength(1);
  },
  HANG_GUARD_MS,
);

test(
  'reuses a young connection but destroys one older than recycleMs on release',
  async () => {
    const young = makePool({ size: 1 });
    const first = await acquire(young);
    const firstId = await connectionId(first);
    first.release();
    const again = await acquire(young);
    expect(await connectionId(again)).toBe(firstId);
    again.release();

    const aging = makePool({ size: 1, recycleMs: 1 });
    const old = await acquire(aging);
    const oldId = await connectionId(old);
    await sleep(10);
    old.release();
    expect(aging.stats().idle).toBe(0);

    const fresh = await acquire(aging);
    expect(await connectionId(fresh)).not.toBe(oldId);
    await eventually(async () => !(await serverConnections()).includes(oldId));
  },
  HANG_GUARD_MS,
);

test(
  'pre-ping replaces an idle connection killed by KILL from another session; the caller never sees it',
  async () => {
    const pool = makePool({ size: 1, prePing: true, prePingIdleMs: 0 });
    const db = kyselyOver(pool);
    const killedId = await kyselyConnectionId(db);

    await admin.query(`KILL CONNECTION ${killedId}`);

    const replacementId = await kyselyConnectionId(db);
    expect(replacementId).not.toBe(killedId);
    expect(await kyselyConnectionId(db)).toBe(replacementId);
  },
  HANG_GUARD_MS,
);

test(
  'pre-ping gives up on a connection whose peer went silent (half-open TCP) and opens another',
  async () => {
    const proxy = await startSeverableProxy();
    try {
      const pool = makePool({ uri: `mysql://root@127.0.0.1:${proxy.port}/${DATABASE}`, size: 1, prePing: true, prePingIdleMs: 0, timeoutMs: 500 });
      const first = await acquire(pool);
      const silentId = await connectionId(first);
      first.release();

      proxy.severExisting();

      const replacement = await acquire(pool);
      expect(await connectionId(replacement)).not.toBe(silentId);
      replacement.release();
      await new Promise((resolve) => pool.end(resolve));
    } finally {
      await proxy.close();
    }
  },
  HANG_GUARD_MS,
);

test(
  'a connection killed while checked out is destroyed on release, not returned to the pool',
  async () => {
    const pool = makePool({ size: 1 });
    const held = await acquire(pool);
    const killedId = await connectionId(held);

    await admin.query(`KILL CONNECTION ${killedId}`);
    await expect(connectionId(held)).rejects.toThrow();
    held.release();
    expect(pool.stats()).toMatchObject({ checkedOut: 0, idle: 0 });

    const next = await acquire(pool);
    expect(await connectionId(next)).not.toBe(killedId);
  },
  HANG_GUARD_MS,
);

test(
  'without pre-ping, an idle connection the server killed is dropped as soon as it reports the error',
  async () => {
    const pool = makePool({ size: 1 });
    const connection = await acquire(pool);
    const killedId = await connectionId(connection);
    connection.release();

    await admin.query(`KILL CONNECTION ${killedId}`);
    await eventually(() => pool.stats().idle === 0);

    const next = await acquire(pool);
    expect(await connectionId(next)).not.toBe(killedId);
  },
  HANG_GUARD_MS,
);

test(
  'stats() and onAcquireWait report the live figures',
  async () => {
    const pool = makePool({ size: 2, maxOverflow: 2 });
    const waits: number[] = [];
    pool.onAcquireWait((ms) => waits.push(ms));
    expect(pool.stats()).toEqual({ poolSize: 2, maxOverflow: 2, checkedOut: 0, idle: 0, waiting: 0, utilization: 0 });

    const held = await Promise.all([acquire(pool), acquire(pool), acquire(pool)]);
    expect(pool.stats()).toEqual({ poolSize: 2, maxOverflow: 2, checkedOut: 3, idle: 0, waiting: 0, utilization: 0.75 });

    held.pop()!.release();
    expect(pool.stats()).toMatchObject({ checkedOut: 2, idle: 1, utilization: 0.5 });

    held.push(await acquire(pool), await acquire(pool));
    const queued = acquire(pool);
    expect(pool.stats()).toMatchObject({ checkedOut: 4, idle: 0, waiting: 1, utilization: 1 });

    held.pop()!.release();
    held.push(await queued);
    expect(pool.stats()).toMatchObject({ checkedOut: 4, waiting: 0 });
    expect(waits).toHaveLength(6);
    expect(waits.every((ms) => ms >= 0)).toBe(true);
  },
  HANG_GUARD_MS,
);

test(
  'end() fails waiters, closes every connection and makes later getConnection calls fail clearly',
  async () => {
    const pool = makePool({ size: 1, maxOverflow: 1 });
    const [held, returned] = await Promise.all([acquire(pool), acquire(pool)]);
    returned.release();
    expect(pool.stats()).toMatchObject({ checkedOut: 1, idle: 1 });

    await new Promise((resolve) => pool.end(resolve));
    await eventually(async () => (await serverConnections()).length === 0);

    held.release();
    const later = await acquire(pool).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(later).toBeInstanceOf(PoolClosedError);
    expect(later).toMatchObject({ code: 'POOL_CLOSED', message: expect.stringMatching(/closed/) });

    const busy = makePool({ size: 1 });
    const busyHeld = await acquire(busy);
    const waiting = acquire(busy);
    expect(busy.stats().waiting).toBe(1);
    await new Promise((resolve) => busy.end(resolve));
    await expect(waiting).rejects.toBeInstanceOf(PoolClosedError);
    busyHeld.release();
  },
  HANG_GUARD_MS,
);

test('rejects options that cannot describe a pool', () => {
  expect(() => new ManagedPool({ uri: URI, size: 0, maxOverflow: 0, timeoutMs: 1_000, recycleMs: 1_000, prePing: false })).toThrow(
    /size must be a whole number of at least 1/,
  );
  expect(() => new ManagedPool({ uri: URI, size: 1, maxOverflow: -1, timeoutMs: 1_000, recycleMs: 1_000, prePing: false })).toThrow(
    /maxOverflow/,
  );
});

/**
 * A TCP proxy to the server whose `severExisting()` drops the server side of the connections
 * made so far while leaving the client side open and silent: what a client sees when a
 * firewall or a dead host swallows its packets.
 */
async function startSeverableProxy(): Promise<{ port: number; severExisting(): void; close(): Promise<void> }> {
  const pairs: Array<{ client: Socket; upstream: Socket }> = [];
  const server: Server = createServer((client) => {
    const upstream = connect(SERVER.port, SERVER.host);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    // Unreferenced, so a pool that wrongly hangs on a severed connection fails its test
    // instead of keeping Jest from exiting.
    client.unref();
    upstream.unref();
    client.pipe(upstream);
    upstream.pipe(client);
    pairs.push({ client, upstream });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    severExisting() {
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.destroy();
        client.on('data', () => undefined);
      }
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
