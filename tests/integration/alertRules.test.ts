/**
 * Validates ops/alerts.rules.yml with promtool and keeps it in sync with the metric
 * definitions in src/observability/metrics.ts.
 *
 * Requires `promtool` on PATH (Debian/Ubuntu: `apt-get install -y prometheus`), or its
 * path in the PROMTOOL environment variable. A missing promtool FAILS the test; it is
 * never skipped.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { createMetrics } from '../../src/observability/metrics';

const repoRoot = path.resolve(__dirname, '..', '..');
const rulesFile = path.join('ops', 'alerts.rules.yml');
const rulesTestFile = path.join('ops', 'alerts.test.yml');
const promtool = process.env.PROMTOOL || 'promtool';
const INSTALL_HINT =
  'promtool is required for this test. Install it with ' +
  '`apt-get update && apt-get install -y prometheus` (Debian package, provides promtool), ' +
  'or set PROMTOOL=/path/to/promtool.';

interface PromtoolResult {
  status: number | null;
  output: string;
}

function runPromtool(args: string[]): PromtoolResult {
  const result = spawnSync(promtool, args, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${promtool} not found. ${INSTALL_HINT}`);
    throw new Error(`failed to run ${promtool} ${args.join(' ')}: ${result.error.message}`);
  }
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function expectSuccess(args: string[]): string {
  const { status, output } = runPromtool(args);
  // Put promtool's own report into the failure message.
  if (status !== 0) throw new Error(`${promtool} ${args.join(' ')} exited with ${status}:\n${output}`);
  expect(status).toBe(0);
  expect(output).toMatch(/SUCCESS/);
  expect(output).not.toMatch(/FAILED/);
  return output;
}

/** The PromQL expressions of the rules file (`expr: ...` scalars and `expr: |` blocks). */
function extractExprs(yamlText: string): string[] {
  const lines = yamlText.split(/\r?\n/);
  const exprs: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)expr:\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length;
    const rest = m[2].trim();
    if (/^[|>][-+]?$/.test(rest)) {
      const block: string[] = [];
      while (i + 1 < lines.length) {
        const next = lines[i + 1];
        const nextIndent = next.length - next.trimStart().length;
        if (next.trim() !== '' && nextIndent <= indent) break;
        block.push(next.trim());
        i++;
      }
      exprs.push(block.join('\n').trim());
    } else {
      exprs.push(rest.replace(/^(['"])(.*)\1$/, '$2'));
    }
  }
  return exprs;
}

function metricNamesIn(text: string): string[] {
  return [...new Set(text.match(/\bbridgeai_\w+/g) ?? [])].sort();
}

function alertNamesIn(yamlText: string): string[] {
  return [...yamlText.matchAll(/^\s*-?\s*alert:\s*(\S+)\s*$/gm)].map((m) => m[1]);
}

describe('ops/alerts.rules.yml', () => {
  const rulesText = readFileSync(path.join(repoRoot, rulesFile), 'utf8');
  const testsText = readFileSync(path.join(repoRoot, rulesTestFile), 'utf8');

  it('passes `promtool check rules`', () => {
    const output = expectSuccess(['check', 'rules', rulesFile]);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes its `promtool test rules` unit tests', () => {
    expectSuccess(['test', 'rules', rulesTestFile]);
  });

  it('has a promtool unit test for every alert', () => {
    const alerts = alertNamesIn(rulesText);
    expect(alerts.length).toBeGreaterThan(0);
    const untested = alerts.filter((name) => !new RegExp(`alertname:\\s*${name}\\s*$`, 'm').test(testsText));
    expect(untested).toEqual([]);
  });

  it('only references metrics that createMetrics() defines', () => {
    const exprs = extractExprs(rulesText);
    expect(exprs.length).toBe(alertNamesIn(rulesText).length);
    for (const expr of exprs) expect(expr).toMatch(/\bbridgeai_\w+/);

    const metrics = createMetrics({ defaultMetrics: false });
    const families = new Map(metrics.registry.getMetricsAsArray().map((m) => [m.name, String(m.type)]));

    const resolves = (name: string): boolean => {
      if (families.has(name)) return true;
      const base = name.replace(/_(bucket|sum|count)$/, '');
      return base !== name && families.get(base) === 'histogram';
    };

    // Names in the exprs must exist; names mentioned in annotations ("check metric X") too.
    const referenced = metricNamesIn([...exprs, rulesText].join('\n'));
    expect(referenced.length).toBeGreaterThan(0);
    expect(referenced.filter((name) => !resolves(name))).toEqual([]);
  });
});
