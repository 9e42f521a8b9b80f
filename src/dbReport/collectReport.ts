import { sql } from 'kysely';
import pino from 'pino';
import { intendedIndexes } from '../../db-migrations/intendedIndexes';
import type { PoolConfig } from '../config';
import { CONNECTION_BUDGET_SHARE, checkConnectionBudget } from '../db/connectionBudget';
import { createDatabase } from '../db/database';
import { databaseNameOf } from '../db/ensureDatabase';
import { chooseHotStatementParameters } from './hotStatementParameters';
import { explainHotStatements } from './hotStatementPlans';
import { hotStatements } from './hotStatements';
import { readTableStatistics } from './indexStatistics';
import { readIndexUsage } from './indexUsage';
import { compareWithIntendedIndexes } from './intendedIndexComparison';
import type { DatabaseReport } from './report';
import { readRunningServer, type RunningServerFigures } from './runningServer';
import { readServerInfo } from './serverInfo';
import { readStatisticsSources } from './statisticsSources';
import { readStatementDigests, slowLogSettings } from './statementDigests';
import { judge } from './verdicts';

export interface DatabaseReportOptions {
  /** The database reported on (DATABASE_URL). */
  readonly databaseUrl: string;
  /** The server's pool settings (DB_POOL_SIZE, DB_POOL_MAX_OVERFLOW), for the connection budget. */
  readonly pool: PoolConfig;
  /** Server processes, each with its own pool (WEB_CONCURRENCY). */
  readonly processes: number;
  /** A running server to ask for its pool and statement figures (`--url`). */
  readonly serverUrl?: string;
  /** Also run each hot statement under ANALYZE (`--analyze`). */
  readonly analyze?: boolean;
}

/** The database could not be reached: nothing was reported. */
export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

/**
 * Makes the report. Read-only: it opens one connection, makes its session's transactions
 * READ ONLY (`SET SESSION TRANSACTION READ ONLY`, so the server refuses any write), and sends
 * SELECT, SHOW and EXPLAIN statements only (ANALYZE, with `analyze`, runs the hot SELECTs).
 * Index use and statement digests are read before anything else, so the report's own
 * statements do not show in them.
 */
export async function collectDatabaseReport(options: DatabaseReportOptions): Promise<DatabaseReport> {
  const runningServer: RunningServerFigures | null = options.serverUrl ? await readRunningServer(options.serverUrl) : null;
  const schema = databaseNameOf(options.databaseUrl);
  const database = createDatabase(options.databaseUrl, { ...options.pool, size: 1, maxOverflow: 0 });
  let connected = false;
  try {
    return await database.db.connection().execute(async (db) => {
      connected = true;
      await sql`SET SESSION TRANSACTION READ ONLY`.execute(db);
      const server = await readServerInfo(db);
      const statistics = await readStatisticsSources(db, server);
      const usage = await readIndexUsage(db, schema, statistics);
      const slowStatements = statistics.statementDigests ? await readStatementDigests(db, schema) : slowLogSettings(server);
      const tables = await readTableStatistics(db, schema, usage);
      const budget = await checkConnectionBudget(db, options.processes, options.pool, pino({ level: 'silent' }));
      const parameters = await chooseHotStatementParameters(db);
      const presentIndexes = new Set(tables.flatMap((table) => table.indexes.map((index) => index.name)));
      const plans = await explainHotStatements(db, hotStatements, parameters, server, presentIndexes, options.analyze ?? false);

      const report: Omit<DatabaseReport, 'verdicts'> = {
        formatVersion: 1,
        generatedAt: new Date().toISOString(),
        database: { name: schema, product: server.product, version: server.version, uptimeSeconds: server.uptimeSeconds },
        statistics,
        indexes: { tables, comparison: compareWithIntendedIndexes(tables, intendedIndexes) },
        hotStatements: plans,
        slowStatements,
        pool: {
          budget: {
            processes: options.processes,
            poolSize: options.pool.size,
            maxOverflow: options.pool.maxOverflow,
            poolConnections: budget.poolConnections,
            maxConnections: budget.maxConnections,
            share: CONNECTION_BUDGET_SHARE,
            exceeded: budget.exceeded,
            maxUsedConnections: server.maxUsedConnections,
          },
          runningServer,
        },
      };
      const { formatVersion, generatedAt, database: about, ...parts } = report;
      return { formatVersion, generatedAt, database: about, verdicts: judge(report), ...parts };
    });
  } catch (error) {
    if (connected) throw error;
    const where = new URL(options.databaseUrl);
    const reason = (error as { code?: string }).code ?? (error as Error).message;
    throw new DatabaseUnreachableError(
      `could not connect to ${where.host}/${schema} (${reason}): check DATABASE_URL, that the server runs and that the database exists`,
    );
  } finally {
    await database.destroy();
  }
}
