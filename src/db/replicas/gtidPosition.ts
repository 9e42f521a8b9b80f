import { sql } from 'kysely';
import type { Db } from '../database';

/**
 * MariaDB GTID positions, as `@@gtid_binlog_pos` (the primary's) and `@@gtid_slave_pos` (what a
 * replica has applied) show them: one `domain-server-sequence` per replication domain, separated
 * by commas, e.g. `0-1-42,1-2-7`. An empty string is the position of a server with no writes.
 */
const GTID_POSITION = /^(\d+-\d+-\d+)(,\d+-\d+-\d+)*$/;

/** True when `text` is a GTID position (an empty one included); a client's X-Read-After header is checked with it. */
export function isGtidPosition(text: string): boolean {
  return text === '' || GTID_POSITION.test(text);
}

interface Gtid {
  readonly server: string;
  readonly sequence: bigint;
}

/** The last GTID of each domain. */
function gtidByDomain(position: string): Map<string, Gtid> {
  const gtids = new Map<string, Gtid>();
  if (position === '') return gtids;
  for (const gtid of position.split(',')) {
    const [domain, server, sequence] = gtid.split('-');
    gtids.set(domain, { server, sequence: BigInt(sequence) });
  }
  return gtids;
}

/**
 * True when a server at `applied` has every transaction up to `required`: in each domain of
 * `required`, its sequence number is at least as high. Sequence numbers grow by one per
 * transaction within a domain, whichever server wrote it, so this is MASTER_GTID_WAIT's test
 * without a statement.
 */
export function gtidCovers(applied: string, required: string): boolean {
  const have = gtidByDomain(applied);
  for (const [domain, { sequence }] of gtidByDomain(required)) {
    if ((have.get(domain)?.sequence ?? -1n) < sequence) return false;
  }
  return true;
}

/** The position covering both `a` and `b` (a client's header and this process's record), domain by domain. */
export function laterGtidPosition(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  const later = gtidByDomain(a);
  for (const [domain, gtid] of gtidByDomain(b)) {
    if ((later.get(domain)?.sequence ?? -1n) < gtid.sequence) later.set(domain, gtid);
  }
  return [...later].map(([domain, { server, sequence }]) => `${domain}-${server}-${sequence}`).join(',');
}

/**
 * The server's position, as a SHOW statement so that it counts as no Com_select:
 * ```sql
 * SHOW GLOBAL VARIABLES LIKE 'gtid_binlog_pos'  -- what a primary has written
 * SHOW GLOBAL VARIABLES LIKE 'gtid_slave_pos'   -- what a replica has applied
 * ```
 * '' when the server has none (no writes, or no binary log).
 */
export async function readGtidPosition(db: Db, variable: 'gtid_binlog_pos' | 'gtid_slave_pos'): Promise<string> {
  // SHOW answers Variable_name and Value; the camelCase plugin leaves `Value` as it is.
  const { rows } = await sql<{ Value: string }>`SHOW GLOBAL VARIABLES LIKE ${variable}`.execute(db);
  return rows[0]?.Value ?? '';
}
