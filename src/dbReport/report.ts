import type { HotStatementPlan } from './hotStatementPlans';
import type { TableStatistics } from './indexStatistics';
import type { IntendedIndexComparison } from './intendedIndexComparison';
import type { RunningServerFigures } from './runningServer';
import type { StatisticsSources } from './statisticsSources';
import type { SlowStatements } from './statementDigests';
import type { Verdict } from './verdicts';

/**
 * What `npm run db:report` finds, and the shape of its JSON output (`--format json`): this
 * object as it is, with Dates as ISO strings. Fields are only ever added to this shape; a
 * change to an existing field raises `formatVersion`.
 */
export interface DatabaseReport {
  readonly formatVersion: 1;
  /** ISO time the report was made. */
  readonly generatedAt: string;
  readonly database: {
    readonly name: string;
    readonly product: 'MariaDB' | 'MySQL';
    readonly version: string;
    /** Seconds since the server started: the span every statistic below covers. */
    readonly uptimeSeconds: number;
  };
  /** Most important first: `act` (exit code 1), then `look`, then `fine`. */
  readonly verdicts: readonly Verdict[];
  readonly statistics: StatisticsSources;
  readonly indexes: {
    /** Every base table with its secondary indexes. */
    readonly tables: readonly TableStatistics[];
    readonly comparison: IntendedIndexComparison;
  };
  /** Each hot statement as the product sends it, explained on the live data. */
  readonly hotStatements: readonly HotStatementPlan[];
  readonly slowStatements: SlowStatements;
  readonly pool: {
    /** The connections all server processes' pools may open, against the server's max_connections. */
    readonly budget: {
      readonly processes: number;
      readonly poolSize: number;
      readonly maxOverflow: number;
      /** processes × (poolSize + maxOverflow) */
      readonly poolConnections: number;
      readonly maxConnections: number;
      /** The share of max_connections the pools may claim (0.8). */
      readonly share: number;
      readonly exceeded: boolean;
      /** Most connections open at once since the server started. */
      readonly maxUsedConnections: number;
    };
    /** With `--url`: what the running server says; null without. */
    readonly runningServer: RunningServerFigures | null;
  };
}
