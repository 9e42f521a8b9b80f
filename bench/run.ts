import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scales } from '../src/seed/scales';
import { prepareBenchDatabase } from './benchDatabase';
import { BenchContext } from './context';
import { BenchUsageError, parseBenchOptions } from './options';
import { childRecords, killAllServersSync, stopAllServers } from './processes/serverProcess';
import { runProfile } from './profile/profile';
import { describeMachine } from './report/machine';
import { renderReport } from './report/markdown';
import { renderChart } from './report/svgChart';
import type { BenchResults, ScenarioRecord } from './results';
import { pendingScenarios, scenarios } from './scenarios';
import type { Scenario } from './scenarios/scenario';

/**
 * `npm run bench [-- --scenario NAME] [--quick]`: prepares the bench database, runs the selected
 * scenarios (scenarios/index.ts) one after the other, and writes `<date>.json`, the report and
 * its chart into bench/results (or --out). Exits 1 when a scenario failed, 2 on bad usage.
 */
const repository = resolve(__dirname, '..', '..');
const distDirectory = resolve(__dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2), process.env, join(repository, 'bench', 'results'));
  if (options.list) {
    for (const scenario of scenarios) console.log(`${scenario.name.padEnd(28)} ${scenario.title}`);
    for (const pending of pendingScenarios) console.log(`${pending.name.padEnd(28)} (not in this suite yet: ${pending.where})`);
    return;
  }
  const selected = select(options.scenarios);
  installCleanup();

  const startedAt = new Date();
  const database = new URL(options.databaseUrl).pathname.slice(1);
  log(`bench: ${options.quick ? 'quick run' : 'full run'}, scale ${options.scale}, database ${database}`);
  const prepared = await prepareBenchDatabase(options.databaseUrl, options.scale, { reseed: options.reseed, log });
  log(`bench: database ${prepared.seeded ? 'seeded' : 'reused (marker matches)'} in ${prepared.seconds.toFixed(1)} s`);
  const machine = await describeMachine(options.databaseUrl, repository);
  await mkdir(options.outputDirectory, { recursive: true });
  const logDirectory = await mkdtemp(join(tmpdir(), 'bridgeai-bench-'));
  log(`bench: server logs in ${logDirectory}`);
  const context = new BenchContext({
    options,
    scale: scales[options.scale],
    jwtSecret: randomBytes(32).toString('hex'),
    logDirectory,
    distDirectory,
    log,
  });

  if (options.profile) {
    const file = await runProfile(context, options.outputDirectory, repository);
    await stopAllServers();
    await rm(logDirectory, { recursive: true, force: true });
    log(`bench: wrote ${relative(process.cwd(), file)}`);
    return;
  }

  const records: ScenarioRecord[] = [];
  for (const scenario of selected) {
    log(`bench: ▶ ${scenario.name}`);
    const started = performance.now();
    try {
      const result = await scenario.run(context);
      records.push({ name: scenario.name, title: scenario.title, status: 'ok', seconds: seconds(started), result });
      log(`bench: ✔ ${scenario.name} (${seconds(started).toFixed(0)} s)`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      records.push({ name: scenario.name, title: scenario.title, status: 'failed', seconds: seconds(started), error: message });
      log(`bench: ✘ ${scenario.name}: ${message}`);
    } finally {
      // A scenario stops its own servers; this only catches one that did not.
      await stopAllServers();
    }
  }

  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    scale: options.scale,
    database,
    webConcurrency: options.webConcurrency,
    machine: { ...machine, loadAverageAfter: loadavg() },
    scenarios: records,
    notRun: [
      ...scenarios.filter((scenario) => !selected.includes(scenario)).map((scenario) => `${scenario.name}: not selected (--scenario)`),
      ...pendingScenarios
        .filter((pending) => !scenarios.some((scenario) => scenario.name === pending.name))
        .map((pending) => `${pending.name}: not in this suite yet, measured by ${pending.where}`),
    ],
    children: childRecords(),
  };
  const files = await writeResults(results, options.outputDirectory, selected.length === scenarios.length);
  for (const file of files) log(`bench: wrote ${relative(process.cwd(), file)}`);
  if (records.some((record) => record.status === 'failed')) {
    log(`bench: the servers' logs are kept in ${logDirectory}`);
    process.exitCode = 1;
  } else {
    await rm(logDirectory, { recursive: true, force: true });
  }
}

/**
 * `<date>.json` always; the report and chart as REPORT.md/REPORT.svg for a full run of every
 * scenario, REPORT-quick.* or REPORT-partial.* otherwise (so a quick check never overwrites the
 * committed report).
 */
async function writeResults(results: BenchResults, directory: string, everyScenario: boolean): Promise<string[]> {
  const stamp = results.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const base = results.quick ? 'REPORT-quick' : everyScenario ? 'REPORT' : 'REPORT-partial';
  const json = join(directory, `${stamp}${results.quick ? '-quick' : ''}.json`);
  const markdown = join(directory, `${base}.md`);
  const svg = join(directory, `${base}.svg`);
  await writeFile(json, `${JSON.stringify(results, null, 2)}\n`);
  const panels = results.scenarios.flatMap((record) => (record.result ? [record.result.chart] : []));
  await writeFile(svg, renderChart(panels, `npm run bench${results.quick ? ' --quick' : ''}, ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC: median with min–max`));
  await writeFile(markdown, renderReport(results, `${base}.svg`));
  return [json, markdown, svg];
}

function select(names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...scenarios];
  return names.map((name) => {
    const scenario = scenarios.find((candidate) => candidate.name === name);
    if (!scenario) {
      const pending = pendingScenarios.find((candidate) => candidate.name === name);
      throw new BenchUsageError(
        pending
          ? `scenario "${name}" is not in this suite yet (${pending.where})`
          : `unknown scenario "${name}" (known: ${scenarios.map((known) => known.name).join(', ')})`,
      );
    }
    return scenario;
  });
}

/** Children die with the bench: on Ctrl-C, SIGTERM, or any way the process exits. */
function installCleanup(): void {
  process.on('exit', killAllServersSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`bench: ${signal}, stopping servers`);
      void stopAllServers().finally(() => process.exit(130));
    });
  }
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

main().catch((error: unknown) => {
  if (error instanceof BenchUsageError) {
    console.error(`bench: ${error.message}`);
    process.exitCode = 2;
  } else {
    console.error(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  }
});
