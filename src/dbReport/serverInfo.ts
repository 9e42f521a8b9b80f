import { sql } from 'kysely';
import type { Db } from '../db/database';

/** The database server the report describes. */
export interface ServerInfo {
  readonly product: 'MariaDB' | 'MySQL';
  /** e.g. `10.11.19-MariaDB-0+deb12u1` */
  readonly version: string;
  /** Seconds since the server started: the span its statistics cover. */
  readonly uptimeSeconds: number;
  /** Most connections open at once since the server started. */
  readonly maxUsedConnections: number;
  /**
   * The global variables the report looks at, by name; a variable this server does not have
   * (`userstat` on MySQL, `log_slow_verbosity` on MySQL) is absent.
   */
  readonly variables: Readonly<Record<string, string>>;
}

/** The variables read, those of the statistics sources and of the slow log. */
export const SLOW_LOG_VARIABLES = [
  'slow_query_log',
  'long_query_time',
  'log_slow_verbosity',
  'log_queries_not_using_indexes',
  'min_examined_row_limit',
  'log_output',
  'slow_query_log_file',
] as const;
const VARIABLES = ['version', 'version_comment', 'performance_schema', 'userstat', 'innodb_page_size', 'max_connections', ...SLOW_LOG_VARIABLES];

/**
 * ```sql
 * SHOW GLOBAL VARIABLES WHERE Variable_name IN ('version', 'performance_schema', 'userstat', …)
 * SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime', 'Max_used_connections')
 * ```
 * (SHOW, not information_schema.GLOBAL_VARIABLES: MySQL 8 has moved those tables.)
 */
export async function readServerInfo(db: Db): Promise<ServerInfo> {
  const plain = db.withoutPlugins();
  const variables = nameValues(
    (await sql<NameValue>`SHOW GLOBAL VARIABLES WHERE Variable_name IN (${sql.join(VARIABLES)})`.execute(plain)).rows,
  );
  const status = nameValues(
    (await sql<NameValue>`SHOW GLOBAL STATUS WHERE Variable_name IN ('Uptime', 'Max_used_connections')`.execute(plain)).rows,
  );
  const version = variables.version ?? '';
  const isMariadb = /mariadb/i.test(`${version} ${variables.version_comment ?? ''}`);
  return {
    product: isMariadb ? 'MariaDB' : 'MySQL',
    version,
    uptimeSeconds: Number(status.uptime ?? 0),
    maxUsedConnections: Number(status.max_used_connections ?? 0),
    variables,
  };
}

interface NameValue {
  Variable_name: string;
  Value: string;
}

/** SHOW's rows as an object by lower-case name (MySQL and MariaDB differ in the case of some names). */
function nameValues(rows: readonly NameValue[]): Record<string, string> {
  return Object.fromEntries(rows.map((row) => [row.Variable_name.toLowerCase(), String(row.Value)]));
}

/** Whether a variable's value means on (`ON`, `1`, `YES`). */
export function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(on|1|yes|true)$/i.test(value.trim());
}
