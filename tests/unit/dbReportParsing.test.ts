import { measuredFromMariadbAnalyze, measuredFromMysqlAnalyze } from '../../src/dbReport/explainStatement';
import { parsePrometheusText } from '../../src/dbReport/prometheusText';
import { parseReportArguments } from '../../src/dbReport/reportArguments';
import { statementsPerRequest } from '../../src/dbReport/runningServer';
import { createMetrics } from '../../src/observability/metrics';

describe('reading /metrics', () => {
  it("parses prom-client's text, labels with quotes and backslashes included", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.sqlStatementsPerRequest.observe({ operation_name: 'Say "hi" \\ there' }, 3);
    const samples = parsePrometheusText(await metrics.metricsText());
    expect(samples.filter((sample) => sample.name === 'bridgeai_sql_statements_per_request_count')).toEqual([
      { name: 'bridgeai_sql_statements_per_request_count', labels: { operation_name: 'Say "hi" \\ there' }, value: 1 },
    ]);
    expect(samples.find((sample) => sample.name === 'bridgeai_sql_statements_per_request_bucket' && sample.labels.le === '+Inf')?.value).toBe(1);
  });

  it('sums the statements-per-request histogram per operation and over all', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (const count of [2, 3, 4]) metrics.sqlStatementsPerRequest.observe({ operation_name: 'Notifications' }, count);
    metrics.sqlStatementsPerRequest.observe({ operation_name: 'Nested' }, 40);
    const [all, notifications, nested] = statementsPerRequest(parsePrometheusText(await metrics.metricsText()));
    expect(all).toMatchObject({ operation: '*', requests: 4, statements: 49, average: 12.25 });
    expect(notifications).toMatchObject({ operation: 'Notifications', requests: 3, statements: 9, average: 3 });
    expect(notifications.buckets.filter((bucket) => bucket.le <= 5)).toEqual([
      { le: 0, requests: 0 },
      { le: 1, requests: 0 },
      { le: 2, requests: 1 },
      { le: 3, requests: 2 },
      { le: 5, requests: 3 },
    ]);
    expect(nested).toMatchObject({ operation: 'Nested', requests: 1, statements: 40 });
    expect(nested.buckets.find((bucket) => bucket.le === 20)?.requests).toBe(0);
    expect(nested.buckets.find((bucket) => bucket.le === 50)?.requests).toBe(1);
  });
});

describe('reading ANALYZE', () => {
  it("counts MariaDB's rows per loop times loops of every table, not of intermediate results", () => {
    const output = JSON.stringify({
      query_block: {
        r_total_time_ms: 0.53,
        nested_loop: [
          {
            table: {
              table_name: '<derived2>',
              r_loops: 1,
              r_rows: 200,
              materialized: { query_block: { nested_loop: [{ table: { table_name: 'comments', r_loops: 1, r_rows: 999 } }] } },
            },
          },
          { table: { table_name: 't', r_loops: 6, r_rows: 1 } },
        ],
      },
    });
    expect(measuredFromMariadbAnalyze(output)).toEqual({ totalMs: 0.53, rowsExamined: 1005 });
  });

  it("reads MySQL's EXPLAIN ANALYZE tree: the top line's time, the rows of the lines that read tables", () => {
    const output = [
      '-> Limit: 51 row(s)  (cost=12.5 rows=51) (actual time=0.512..0.530 rows=51 loops=1)',
      '    -> Sort: notifications.created_at DESC, limit input to 51 row(s) per chunk  (cost=12.5 rows=40) (actual time=0.510..0.520 rows=40 loops=1)',
      '        -> Index lookup on notifications using ix_notifications_user_id (user_id=42)  (cost=4.5 rows=40) (actual time=0.100..0.300 rows=40 loops=1)',
      '        -> Single-row index lookup on p using PRIMARY (id=n.project_id)  (cost=0.25 rows=1) (actual time=0.002..0.002 rows=1 loops=40)',
    ].join('\n');
    expect(measuredFromMysqlAnalyze(output)).toEqual({ totalMs: 0.53, rowsExamined: 80 });
  });
});

describe('the command line', () => {
  it('takes each option as --name value or --name=value', () => {
    expect(parseReportArguments([])).toEqual({ format: 'md', out: undefined, url: undefined, analyze: false });
    expect(parseReportArguments(['--format', 'html', '--out=r.html', '--url', 'http://127.0.0.1:4000', '--analyze'])).toEqual({
      format: 'html',
      out: 'r.html',
      url: 'http://127.0.0.1:4000',
      analyze: true,
    });
  });

  it('refuses what it cannot act on, in one line', () => {
    expect(() => parseReportArguments(['--format'])).toThrow(/^--format needs a value; usage: npm run db:report/);
    expect(() => parseReportArguments(['--out', '--analyze'])).toThrow(/^--out needs a value/);
    expect(() => parseReportArguments(['--url', 'localhost:4000'])).toThrow('--url must be the server\'s address, such as http://127.0.0.1:4000 (got "localhost:4000")');
    expect(() => parseReportArguments(['--verbose'])).toThrow(/^unknown argument "--verbose"/);
  });
});
