import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(__dirname, '..', '..', 'dist', 'src', 'cli', 'dbReport.js');

export interface CliRun {
  /** The exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node dist/src/cli/dbReport.js` (what `npm run db:report` runs after building; Jest's
 * global setup builds dist/) against `databaseUrl`, in `cwd`: an empty folder, so no .env is read.
 */
export function runDbReport(databaseUrl: string, args: readonly string[], cwd: string): Promise<CliRun> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl }, timeout: 120_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    ),
  );
}
