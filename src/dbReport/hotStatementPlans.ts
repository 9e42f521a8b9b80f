import type { Db } from '../db/database';
import { explainStatement, NotASelectError, type ExplainedStatement } from './explainStatement';
import type { HotStatementParameters } from './hotStatementParameters';
import type { HotStatement } from './hotStatements';
import type { ServerInfo } from './serverInfo';
import { captureStatements } from './statementCapture';

/** A hot statement with the plan the server chooses for it on the live data. */
export interface HotStatementPlan {
  readonly name: string;
  readonly source: string;
  readonly intendedIndex: string | null;
  readonly withoutIndexBecause: string | null;
  /** Whether the intended index exists on the table (PRIMARY always does). */
  readonly intendedIndexPresent: boolean;
  /**
   * Whether the plans use the intended index and read no table in full (a join's other tables
   * use their primary keys, so the key alone would not tell); null when it has none or nothing
   * was explained.
   */
  readonly usesIntendedIndex: boolean | null;
  /** What the function sent, each explained; empty when the live data gave it nothing to read. */
  readonly statements: readonly ExplainedStatement[];
  /** Statements it sent that were not explained (not SELECTs). */
  readonly notExplained: readonly string[];
}

/**
 * Calls each hot statement's function on a recording Kysely (statementCapture.ts) with the
 * parameters, and explains what it sent on `db` (explainStatement.ts).
 */
export async function explainHotStatements(
  db: Db,
  statements: readonly HotStatement[],
  parameters: HotStatementParameters,
  server: ServerInfo,
  presentIndexes: ReadonlySet<string>,
  analyze: boolean,
): Promise<HotStatementPlan[]> {
  const plans: HotStatementPlan[] = [];
  for (const hot of statements) {
    const explained: ExplainedStatement[] = [];
    const notExplained: string[] = [];
    for (const statement of await captureStatements((capturing) => hot.send(capturing, parameters))) {
      try {
        explained.push(await explainStatement(db, statement, server, analyze));
      } catch (error) {
        if (!(error instanceof NotASelectError)) throw error;
        notExplained.push(error.message);
      }
    }
    const intendedIndex = hot.intendedIndex;
    plans.push({
      name: hot.name,
      source: hot.source,
      intendedIndex,
      withoutIndexBecause: hot.withoutIndexBecause ?? null,
      intendedIndexPresent: intendedIndex === null || intendedIndex === 'PRIMARY' || presentIndexes.has(intendedIndex),
      usesIntendedIndex:
        intendedIndex === null || explained.length === 0
          ? null
          : explained.some((statement) => statement.keys.includes(intendedIndex)) && explained.every((statement) => statement.fullScans.length === 0),
      statements: explained,
      notExplained,
    });
  }
  return plans;
}

/** Rows the plan's statements examine: as ANALYZE counted them where every one ran under it, else the optimizer's estimate. */
export function rowsExamined(plan: HotStatementPlan): { readonly rows: number; readonly measured: boolean } {
  return {
    rows: plan.statements.reduce((sum, statement) => sum + (statement.measured?.rowsExamined ?? statement.estimatedRows), 0),
    measured: plan.statements.length > 0 && plan.statements.every((statement) => statement.measured?.rowsExamined != null),
  };
}

/** The time of the plan's statements under ANALYZE; null unless every one was measured. */
export function measuredMs(plan: HotStatementPlan): number | null {
  if (plan.statements.length === 0 || !plan.statements.every((statement) => statement.measured?.totalMs != null)) return null;
  return plan.statements.reduce((sum, statement) => sum + (statement.measured?.totalMs ?? 0), 0);
}
