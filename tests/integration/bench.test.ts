import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dropDatabase } from '../../src/db/ensureDatabase';
import { testDatabaseUrl } from '../support/database';
import { isAlive } from '../support/ops';

/**
 * `npm run bench -- --quick` end to end, on the small scale in a database of its own: the suite
 * builds, seeds, starts and stops its child servers, runs every registered scenario and writes
 * the results file, the report and the chart. It checks that every scenario produced numbers,
 * never what the numbers are (timed assertions have no place on a shared machine).
 */
const repository = resolve(__dirname, '..', '..');
const databaseUrl = testDatabaseUrl('bench');

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: repository, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

describe('npm run bench -- --quick', () => {
  let out: string;
  let code: number | null;
  let output: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-test-'));
    // `npm run bench` is the build (done once for all tests by tests/support/buildOnce.js) and then this.
    ({ code, output } = await run(process.execPath, ['dist/bench/run.js', '--quick', '--out', out], {
      ...process.env,
      BENCH_SCALE: 'small',
      BENCH_DATABASE_URL: databaseUrl,
    }));
  }, 600_000);

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
    for (const suffix of ['', '_ins_strategic', '_ins_overindexed']) await dropDatabase(`${databaseUrl}${suffix}`);
  });

  it('exits 0', () => {
    if (code !== 0) throw new Error(`npm run bench exited ${code}:\n${output.slice(-4000)}`);
  });

  it('writes results with numbers for every registered scenario', async () => {
    const { scenarios } = await import('../../bench/scenarios');
    const files = await readdir(out);
    const json = files.find((file) => /^\d{4}-\d\d-\d\dT[\d-]+Z-quick\.json$/.test(file));
    expect(json).toBeDefined();
    const results = JSON.parse(await readFile(join(out, json!), 'utf8'));
    expect(results.quick).toBe(true);
    expect(results.scenarios.map((record: any) => record.name)).toEqual(scenarios.map((scenario) => scenario.name));
    for (const record of results.scenarios) {
      expect({ name: record.name, status: record.status, error: record.error }).toEqual({ name: record.name, status: 'ok', error: undefined });
      expect(record.result.metrics.length).toBeGreaterThan(0);
      for (const metric of record.result.metrics) {
        const medians = Object.values(metric.values)
          .filter((value: any) => value !== null)
          .map((value: any) => value.median);
        expect({ metric: metric.label, medians }).toEqual({ metric: metric.label, medians: medians.map(() => expect.any(Number)) });
        expect(medians.length).toBeGreaterThan(0);
      }
      expect(record.result.chart.bars.length).toBeGreaterThan(0);
    }
  });

  it('stops every server it started', async () => {
    const results = JSON.parse(await readFile(join(out, (await readdir(out)).find((file) => file.endsWith('.json'))!), 'utf8'));
    expect(results.children.length).toBeGreaterThan(0);
    for (const child of results.children) {
      expect({ pid: child.pid, ended: child.ended, alive: isAlive(child.pid) }).toEqual({
        pid: child.pid,
        ended: expect.stringMatching(/^(SIGTERM|SIGKILL)$/),
        alive: false,
      });
    }
  });

  it('writes a report with a table per scenario and an SVG chart', async () => {
    const { scenarios } = await import('../../bench/scenarios');
    const report = await readFile(join(out, 'REPORT-quick.md'), 'utf8');
    for (const scenario of scenarios) {
      expect(report).toContain(`## ${scenarios.indexOf(scenario) + 1}. ${scenario.title}`);
    }
    expect(report.match(/^\| metric \| unit \|/gm)).toHaveLength(scenarios.length);
    const svg = await readFile(join(out, 'REPORT-quick.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect /g)!.length).toBeGreaterThan(scenarios.length);
  });
});
