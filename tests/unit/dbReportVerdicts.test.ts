import type { ExplainedStatement } from '../../src/dbReport/explainStatement';
import type { HotStatementPlan } from '../../src/dbReport/hotStatementPlans';
import type { DatabaseReport } from '../../src/dbReport/report';
import { exitCodeOf, judge } from '../../src/dbReport/verdicts';

const HOUR = 3600;

/** A scan of `rows` notifications with a filesort, as EXPLAIN shows the page without its index; `ms` as ANALYZE measured it. */
function scan(rows: number, ms: number | null, keys: string[] = []): ExplainedStatement {
  return {
    sql: 'SELECT …',
    parameters: [],
    plan: [],
    keys,
    fullScans: [{ table: 'notifications', rows }],
    estimatedRows: rows,
    filesort: true,
    temporaryTable: false,
    measured: ms === null ? null : { totalMs: ms, rowsExamined: rows },
  };
}

function plan(overrides: Partial<HotStatementPlan>): HotStatementPlan {
  return {
    name: 'the notifications page',
    source: 'loaders/pages.ts',
    intendedIndex: 'ix_notifications_user_id',
    withoutIndexBecause: null,
    intendedIndexPresent: true,
    usesIntendedIndex: false,
    statements: [],
    notExplained: [],
    ...overrides,
  };
}

/** A report on a server up for `uptimeSeconds` with ix_invitations_status never read, and `plans`. */
function report(uptimeSeconds: number, plans: HotStatementPlan[]): Omit<DatabaseReport, 'verdicts'> {
  return {
    formatVersion: 1,
    generatedAt: '2026-01-01T00:00:00.000Z',
    database: { name: 'bridgeai', product: 'MariaDB', version: '10.11', uptimeSeconds },
    statistics: { indexUsage: 'performance_schema', statementDigests: false, howToEnable: [] },
    indexes: {
      tables: [
        {
          name: 'invitations',
          rows: 20_000,
          dataBytes: 0,
          indexBytes: 0,
          rowWrites: 12_000,
          indexes: [
            { name: 'ix_invitations_status', columns: 'status', unique: false, cardinality: 4, sizeBytes: 0, reads: 0 },
            { name: 'uq_invitations_token', columns: 'token', unique: true, cardinality: 20_000, sizeBytes: 0, reads: 0 },
          ],
        },
      ],
      comparison: { missing: [], unintended: [], differing: [] },
    },
    hotStatements: plans,
    slowStatements: { source: 'slow_query_log', settings: {}, howToEnable: [] },
    pool: {
      budget: { processes: 4, poolSize: 20, maxOverflow: 10, poolConnections: 120, maxConnections: 151, share: 0.8, exceeded: false, maxUsedConnections: 3 },
      runningServer: null,
    },
  };
}

const about = (verdicts: ReturnType<typeof judge>, subject: string) => verdicts.filter((verdict) => verdict.about === subject);

describe('verdicts, in the guide’s words', () => {
  it('calls an index unread for 48 h a candidate for removal, and leaves UNIQUE ones alone', () => {
    const verdicts = judge(report(48 * HOUR, []));
    expect(about(verdicts, 'ix_invitations_status')).toEqual([
      { level: 'act', about: 'ix_invitations_status', text: 'ix_invitations_status: 0 reads in 48 h, 12k writes: candidate for removal' },
    ]);
    expect(about(verdicts, 'uq_invitations_token')).toEqual([]);
    expect(exitCodeOf(verdicts)).toBe(1);
  });

  it('only asks to watch an unread index while the statistics cover less than 24 h', () => {
    const verdicts = judge(report(2 * HOUR, []));
    expect(about(verdicts, 'ix_invitations_status').map((verdict) => verdict.level)).toEqual(['look']);
    expect(exitCodeOf(verdicts)).toBe(0);
  });

  it('asks for action when a hot statement scans over 10,000 rows past its index, and only a look below that', () => {
    const large = judge(report(HOUR, [plan({ statements: [scan(20_000, null)] })]));
    expect(about(large, 'the notifications page')[0]).toEqual({
      level: 'act',
      about: 'the notifications page',
      text: '"the notifications page" reads no index instead of ix_notifications_user_id and scans 20k rows of notifications',
    });
    const small = judge(report(HOUR, [plan({ statements: [scan(900, null)] })]));
    expect(about(small, 'the notifications page').map((verdict) => verdict.level)).toEqual(['look']);
  });

  it("applies the composite-index rule: filesort over >10,000 rows is an action only when it takes >50 ms", () => {
    const fine = plan({ usesIntendedIndex: true, statements: [scan(20_000, 12, ['ix_notifications_user_id'])] });
    expect(about(judge(report(HOUR, [fine])), 'the notifications page')).toEqual([]);
    const unmeasured = plan({ usesIntendedIndex: true, statements: [scan(20_000, null, ['ix_notifications_user_id'])] });
    expect(about(judge(report(HOUR, [unmeasured])), 'the notifications page')[0].text).toMatch(/run with --analyze to measure it/);
    const slow = plan({ usesIntendedIndex: true, statements: [scan(20_000, 80, ['ix_notifications_user_id'])] });
    expect(about(judge(report(HOUR, [slow])), 'the notifications page')).toEqual([
      expect.objectContaining({ level: 'act', text: expect.stringMatching(/^"the notifications page": Using filesort over ~20k rows in 80\.0 ms: the guide's rule/) }),
    ]);
    const byDesign = plan({ intendedIndex: null, usesIntendedIndex: null, withoutIndexBecause: 'polled rarely', statements: [scan(20_000, 80)] });
    expect(about(judge(report(HOUR, [byDesign])), 'the notifications page')).toEqual([
      expect.objectContaining({ level: 'look', text: expect.stringMatching(/without an index by design: polled rarely$/) }),
    ]);
  });

  it('puts actions first, then what to look at, then what is fine', () => {
    const levels = judge(report(48 * HOUR, [plan({ statements: [scan(900, null)] })])).map((verdict) => verdict.level);
    expect(levels).toEqual([...levels].sort((a, b) => ['act', 'look', 'fine'].indexOf(a) - ['act', 'look', 'fine'].indexOf(b)));
    expect(new Set(levels)).toEqual(new Set(['act', 'look', 'fine']));
  });
});
