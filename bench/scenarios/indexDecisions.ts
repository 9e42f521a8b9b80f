import { CompiledQuery, sql, type Kysely } from 'kysely';
import { performance } from 'node:perf_hooks';
import * as measured from '../../db-migrations/0003_measured_indexes';
import { createLoaders } from '../../loaders/createLoaders';
import { notificationsPage } from '../../loaders/notificationsPage';
import { invitationsForEmail } from '../../loaders/pages';
import { loadViewer } from '../../loaders/viewer';
import { createDatabase, type Db } from '../../src/db/database';
import { alternate } from '../alternate';
import { DEMO_ACCOUNT } from '../context';
import { formatNumber, formatSummary } from '../format';
import type { Goal, Metric, ScenarioResult } from '../results';
import { pairedRatios, summarize } from '../stats';
import type { Scenario } from './scenario';

const SIDES = ['0002 indexes', '0003 indexes'] as const;
type Side = (typeof SIDES)[number];
const BEFORE: Side = '0002 indexes';
const AFTER: Side = '0003 indexes';

/** The hot statement behind each index of migration 0003, sent by the code that sends it in the server. */
interface Decision {
  readonly index: string;
  readonly statement: string;
  run(db: Db, ids: SampleIds): Promise<unknown>;
  /** One INSERT the index makes dearer, rolled back afterwards. */
  insert(db: Db, ids: SampleIds, n: number): Promise<unknown>;
}

interface SampleIds {
  readonly user: number;
  readonly email: string;
  readonly project: number;
  readonly team: number;
}

const DECISIONS: readonly Decision[] = [
  {
    index: 'ix_team_members_user_id',
    statement: "the viewer's memberships (loaders/viewer.ts)",
    run: (db, ids) => loadViewer(db, ids.user),
    insert: (db, ids, n) => sql`INSERT INTO team_members (team_id, user_id, role) VALUES (${ids.team}, ${1_000_000 + n}, 'MEMBER')`.execute(db),
  },
  {
    index: 'ix_notifications_user_unread',
    statement: 'the first notifications page with its unread count and subjects (loaders/notificationsPage.ts)',
    run: (db, ids) =>
      notificationsPage(db, createLoaders(db, { optimized: true }), { userId: ids.user, unreadOnly: false, first: 50, after: null, withUnreadCount: true, withSubjects: true }),
    insert: (db, ids, n) => sql`INSERT INTO notifications (user_id, type, title, message) VALUES (${ids.user}, 'SYSTEM', ${`t${n}`}, 'm')`.execute(db),
  },
  {
    index: 'ix_invitations_email',
    statement: "the invitations addressed to the viewer's email (loaders/pages.ts)",
    run: (db, ids) => invitationsForEmail(db, { email: ids.email, status: 'PENDING', first: 50 }),
    insert: (db, ids, n) =>
      sql`INSERT INTO invitations (team_id, email, role, token, status, invited_by_user_id, expires_at)
        VALUES (${ids.team}, ${`bench-${n}@example.com`}, 'MEMBER', ${`bench-token-${n}-${'x'.repeat(20)}`}, 'PENDING', ${ids.user}, '2030-01-01')`.execute(db),
  },
  {
    index: 'ix_chat_sessions_project_id',
    statement: "a project's chat sessions (chatSessionsByProjectId, loaders/createLoaders.ts)",
    run: (db, ids) => createLoaders(db, { optimized: true }).chatSessionsByProjectId.load({ parentId: ids.project, first: 50 }),
    insert: (db, ids, n) => sql`INSERT INTO chat_sessions (project_id, user_id, name) VALUES (${ids.project}, ${ids.user}, ${`s${n}`})`.execute(db),
  },
];

interface Measurement {
  /** Milliseconds per execution, median over the runs. */
  readonly statementMs: number;
  /** Rows the storage engine handed MariaDB per execution (Handler_read_*), a count that noise does not move. */
  readonly rowsRead: number;
  /** Milliseconds per 1,000 single-row INSERTs in one transaction (rolled back). */
  readonly insertMsPer1000: number;
  readonly explain: string;
}

/**
 * The indexes of migration 0003 decided the way the performance guide decides them ("When to
 * Add Composite Indexes"): each one's hot statement, as the server sends it, on the bench data
 * with migration 0002's index set and with 0003's (its `down` and `up`, alternating), for its
 * time, the rows MariaDB read, its EXPLAIN, and what the index costs an INSERT.
 */
export const indexDecisions: Scenario = {
  name: 'index-decisions',
  title: 'Indexes of migration 0003: each hot statement and its INSERT with 0002\'s and 0003\'s index sets',
  async run(context) {
    const runs = context.options.quick ? 10 : 200;
    const inserts = context.options.quick ? 50 : 1000;
    const captured: CompiledQuery[] = [];
    const handle = createDatabase(context.databaseUrl, { size: 1, maxOverflow: 0, timeoutMs: 600_000, recycleMs: 3_600_000, prePing: false }, { onStatement: (statement) => captured.push(statement) });
    const plain = handle.db.withoutPlugins();
    try {
      const ids = await sampleIds(handle.db);
      let state: Side = AFTER;
      const switchTo = async (side: Side) => {
        if (side === state) return;
        context.log(`  ${side === BEFORE ? 'rolling back' : 'applying'} migration 0003`);
        const schema = plain as unknown as Kysely<unknown>;
        await (side === BEFORE ? measured.down(schema) : measured.up(schema));
        for (const table of ['team_members', 'notifications', 'invitations', 'chat_sessions']) await sql`ANALYZE TABLE ${sql.table(table)}`.execute(plain);
        state = side;
      };
      try {
        const samples = await alternate<Side, Measurement[]>(SIDES, context.timing.repetitions, async (side, repetition) => {
          await switchTo(side);
          context.log(`  repetition ${repetition + 1}/${context.timing.repetitions}: ${side}`);
          const results: Measurement[] = [];
          for (const decision of DECISIONS) results.push(await measure(handle.db, plain, decision, ids, runs, inserts, captured));
          return results;
        });
        return result(context.options.quick, samples, runs, inserts);
      } finally {
        await switchTo(AFTER);
      }
    } finally {
      await handle.destroy();
    }
  },
};

async function sampleIds(db: Db): Promise<SampleIds> {
  const user = await db.selectFrom('users').select(['id', 'email']).where('email', '=', DEMO_ACCOUNT.email).executeTakeFirstOrThrow();
  const project = await sql<{ id: number; team_id: number }>`SELECT p.id, p.team_id FROM projects p
    JOIN chat_sessions s ON s.project_id = p.id GROUP BY p.id ORDER BY COUNT(*) DESC LIMIT 1`.execute(db.withoutPlugins());
  return { user: user.id, email: user.email, project: project.rows[0]!.id, team: project.rows[0]!.team_id };
}

async function measure(db: Db, plain: Db, decision: Decision, ids: SampleIds, runs: number, inserts: number, captured: CompiledQuery[]): Promise<Measurement> {
  captured.length = 0;
  await decision.run(db, ids);
  const statements = [...captured];
  const explain = (await Promise.all(statements.map((statement) => explainOf(plain, statement)))).join(' / ');
  const before = await rowsReadSoFar(plain);
  await decision.run(db, ids);
  const rowsRead = (await rowsReadSoFar(plain)) - before - 1; // SHOW STATUS reads one row of its own
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await decision.run(db, ids);
    times.push(performance.now() - started);
  }
  const insertMs = await db.connection().execute(async (connection) => {
    await sql`BEGIN`.execute(connection);
    const started = performance.now();
    try {
      for (let n = 0; n < inserts; n += 1) await decision.insert(connection, ids, n);
      return performance.now() - started;
    } finally {
      await sql`ROLLBACK`.execute(connection);
    }
  });
  return { statementMs: summarize(times).median, rowsRead, insertMsPer1000: (insertMs / inserts) * 1000, explain };
}

async function explainOf(db: Db, statement: CompiledQuery): Promise<string> {
  const { rows } = await db.executeQuery<{ table: string; type: string; key: string | null; rows: number | string; Extra: string | null }>(
    CompiledQuery.raw(`EXPLAIN ${statement.sql}`, [...statement.parameters]),
  );
  return rows
    .filter((row) => !String(row.table).startsWith('<'))
    .map((row) => `${row.table}: ${row.type} ${row.key ?? '(no key)'}, ${row.rows} rows${row.Extra ? `, ${row.Extra}` : ''}`)
    .join('; ');
}

/** Handler_read_* of this connection: every row or index entry the storage engine returned. */
async function rowsReadSoFar(db: Db): Promise<number> {
  const { rows } = await sql<{ Value: string }>`SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%'`.execute(db);
  return rows.reduce((sum, row) => sum + Number(row.Value), 0);
}

function result(quick: boolean, samples: Record<Side, Measurement[][]>, runs: number, inserts: number): ScenarioResult {
  const metrics: Metric[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  DECISIONS.forEach((decision, index) => {
    const pick = (side: Side, value: (m: Measurement) => number) => samples[side].map((repetition) => value(repetition[index]!));
    const row = (label: string, unit: string, value: (m: Measurement) => number, ratio: 'gain' | 'cost', digits: number): Metric => {
      const [before, after] = [pick(BEFORE, value), pick(AFTER, value)];
      return {
        label: `${decision.index}: ${label}`,
        unit,
        values: { [BEFORE]: summarize(before), [AFTER]: summarize(after) },
        ratio: ratio === 'gain'
          ? { label: `${BEFORE} ÷ ${AFTER}`, value: summarize(pairedRatios(before, after)) }
          : { label: `${AFTER} ÷ ${BEFORE}`, value: summarize(pairedRatios(after, before)) },
        digits,
      };
    };
    const time = row('statement', 'ms', (m) => m.statementMs, 'gain', 3);
    metrics.push(time, row('rows read per statement', 'rows', (m) => m.rowsRead, 'gain', 0), row('1,000 INSERTs in a transaction', 'ms', (m) => m.insertMsPer1000, 'cost', 1));
    goals.push({
      goal: `${decision.index}: ${decision.statement} at least 2× faster`,
      measured: `${formatSummary(time.ratio!.value, 2)}×`,
      met: quick ? null : time.ratio!.value.median >= 2,
    });
    notes.push(`EXPLAIN of ${decision.statement}, ${BEFORE}: ${samples[BEFORE][0]![index]!.explain}; ${AFTER}: ${samples[AFTER][0]![index]!.explain}.`);
  });
  return {
    sides: SIDES,
    definition: [
      "Each index migration 0003 adds, with the hot statement it is for, sent by the server's own code (captured as sent) against the bench database. " +
        `The ${BEFORE} side is that database after 0003's \`down\` (so ix_notifications_user_id is back), the ${AFTER} side after its \`up\`; sides alternate, with ANALYZE TABLE after each switch.`,
      `Per side and repetition: each statement ${formatNumber(runs, 0)} times on one connection (median), the rows MariaDB read for one execution (Handler_read_*), ` +
        `and ${formatNumber(inserts, 0)} single-row INSERTs into the indexed table in one transaction, rolled back, as the index's write cost.`,
    ],
    metrics,
    goals,
    notes,
    chart: {
      title: 'Hot statement of each 0003 index: 0002 ÷ 0003 time',
      unit: '×',
      bars: DECISIONS.map((decision) => ({ label: decision.index, value: metrics.find((m) => m.label === `${decision.index}: statement`)!.ratio!.value })),
      lines: [{ label: 'guide: 2×', value: 2 }],
    },
  };
}
