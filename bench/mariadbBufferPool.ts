import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'mysql2/promise';

/** MariaDB's innodb_buffer_pool_size in bytes. */
export async function bufferPoolBytes(databaseUrl: string): Promise<number> {
  const connection = await createConnection({ uri: databaseUrl });
  try {
    const [rows] = await connection.query<any[]>('SELECT @@innodb_buffer_pool_size AS size');
    return Number(rows[0].size);
  } finally {
    await connection.end();
  }
}

/**
 * Resizes InnoDB's buffer pool of the server behind `databaseUrl` (SET GLOBAL: the whole server,
 * until it restarts or is set again) and waits until the resize has finished. Needs the SUPER
 * privilege (root on the bench machine). MariaDB rounds the size to whole chunks; the size it
 * settled on is returned.
 */
export async function resizeBufferPool(databaseUrl: string, bytes: number): Promise<number> {
  const connection = await createConnection({ uri: databaseUrl });
  try {
    await connection.query('SET GLOBAL innodb_buffer_pool_size = ?', [bytes]);
    for (let waited = 0; waited < 120_000; waited += 250) {
      const [rows] = await connection.query<any[]>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_resize_status'");
      const status = String(rows[0]?.Value ?? '');
      if (status === '' || /completed/i.test(status)) {
        const [sizes] = await connection.query<any[]>('SELECT @@innodb_buffer_pool_size AS size');
        return Number(sizes[0].size);
      }
      await sleep(250);
    }
    throw new Error(`MariaDB did not finish resizing its buffer pool to ${bytes} bytes within 2 minutes.`);
  } finally {
    await connection.end();
  }
}
