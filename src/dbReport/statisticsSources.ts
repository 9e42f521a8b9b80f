import { sql } from 'kysely';
import type { Db } from '../db/database';
import { isOn, type ServerInfo } from './serverInfo';

/** Where the server keeps the statistics the report reads, and what is off. */
export interface StatisticsSources {
  /**
   * Where the use of each index comes from: performance_schema's
   * table_io_waits_summary_by_index_usage, MariaDB's information_schema.INDEX_STATISTICS
   * (`userstat`), or nowhere.
   */
  readonly indexUsage: 'performance_schema' | 'userstat' | null;
  /** Whether performance_schema.events_statements_summary_by_digest is collected. */
  readonly statementDigests: boolean;
  /** For each statistic that is off: how to turn it on. */
  readonly howToEnable: readonly string[];
}

const TABLE_IO_INSTRUMENT = 'wait/io/table/sql/handler';

/**
 * performance_schema counts index use only while it is on, the table I/O instrument is enabled
 * and the global_instrumentation consumer is on, and statement digests only with the
 * statements_digest consumer too:
 * ```sql
 * SELECT NAME, ENABLED FROM performance_schema.setup_instruments WHERE NAME = 'wait/io/table/sql/handler'
 * SELECT NAME, ENABLED FROM performance_schema.setup_consumers WHERE NAME IN ('global_instrumentation', 'statements_digest')
 * ```
 * Otherwise MariaDB's `userstat` may count index reads.
 */
export async function readStatisticsSources(db: Db, server: ServerInfo): Promise<StatisticsSources> {
  const plain = db.withoutPlugins();
  const enabled = new Set<string>();
  if (isOn(server.variables.performance_schema)) {
    const { rows } = await sql<{ NAME: string; ENABLED: string }>`
      SELECT NAME, ENABLED FROM performance_schema.setup_instruments WHERE NAME = ${TABLE_IO_INSTRUMENT}
      UNION ALL
      SELECT NAME, ENABLED FROM performance_schema.setup_consumers WHERE NAME IN ('global_instrumentation', 'statements_digest')`.execute(plain);
    for (const row of rows) if (isOn(row.ENABLED)) enabled.add(row.NAME);
  }
  const instrumented = enabled.has('global_instrumentation');
  const tableIo = instrumented && enabled.has(TABLE_IO_INSTRUMENT);
  const statementDigests = instrumented && enabled.has('statements_digest');
  const userstat = isOn(server.variables.userstat);
  const indexUsage = tableIo ? 'performance_schema' : userstat ? 'userstat' : null;

  const howToEnable: string[] = [];
  const config = server.product === 'MariaDB' ? '[mariadbd]' : '[mysqld]';
  if (!isOn(server.variables.performance_schema)) {
    howToEnable.push(
      `performance_schema is off: add performance_schema=ON under ${config} in the server's configuration and restart it ` +
        '(it cannot be turned on while the server runs); it counts index use and collects statement digests.',
    );
  } else {
    if (!instrumented) howToEnable.push("performance_schema collects nothing: UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'global_instrumentation'");
    if (!enabled.has(TABLE_IO_INSTRUMENT)) {
      howToEnable.push(`index use is not counted: UPDATE performance_schema.setup_instruments SET ENABLED = 'YES', TIMED = 'YES' WHERE NAME = '${TABLE_IO_INSTRUMENT}'`);
    }
    if (!enabled.has('statements_digest')) howToEnable.push("statement digests are off: UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'statements_digest'");
  }
  if (indexUsage === null && server.product === 'MariaDB') {
    howToEnable.push('or, without a restart, count index reads with MariaDB\'s user statistics: SET GLOBAL userstat = 1 (and userstat=1 in the configuration to keep it).');
  }
  return { indexUsage, statementDigests, howToEnable };
}
