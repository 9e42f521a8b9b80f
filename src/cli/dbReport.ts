import 'dotenv/config';
import { writeFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../config';
import { collectDatabaseReport, DatabaseUnreachableError } from '../dbReport/collectReport';
import { renderHtml } from '../dbReport/renderHtml';
import { renderJson } from '../dbReport/renderJson';
import { renderMarkdown } from '../dbReport/renderMarkdown';
import { parseReportArguments, ReportArgumentError } from '../dbReport/reportArguments';
import { ServerUnreachableError } from '../dbReport/runningServer';
import { exitCodeOf } from '../dbReport/verdicts';

const RENDERERS = { md: renderMarkdown, html: renderHtml, json: renderJson };

/**
 * `npm run db:report [-- --format md|html|json] [--out FILE] [--url URL] [--analyze]`: the
 * guide's "Monitoring & Maintenance" as one read-only report on DATABASE_URL. Exits 0 when
 * nothing needs action, 1 when a verdict asks for action, 2 when it could not make the report
 * (no connection to the database or the server at --url, or a bad argument), with one line on
 * stderr saying what to check.
 */
async function main(argv: readonly string[]): Promise<number> {
  const args = parseReportArguments(argv);
  const config = loadConfig();
  const report = await collectDatabaseReport({
    databaseUrl: config.databaseUrl,
    pool: config.pool,
    processes: config.webConcurrency,
    serverUrl: args.url,
    analyze: args.analyze,
  });
  const text = RENDERERS[args.format](report);
  if (args.out) {
    await writeFile(args.out, text);
    const count = (level: string) => report.verdicts.filter((verdict) => verdict.level === level).length;
    console.error(`wrote ${args.out}: ${count('act')} to act on, ${count('look')} to look at`);
  } else {
    process.stdout.write(text);
  }
  return exitCodeOf(report.verdicts);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    const known = error instanceof DatabaseUnreachableError || error instanceof ServerUnreachableError || error instanceof ReportArgumentError;
    console.error(error instanceof ConfigError ? `db:report: invalid configuration: ${message}` : `db:report: ${message}`);
    if (!known && !(error instanceof ConfigError)) console.error(error);
    process.exitCode = 2;
  },
);
