export type ReportFormat = 'md' | 'html' | 'json';

export interface ReportArguments {
  readonly format: ReportFormat;
  /** Where to write the report; stdout when absent. */
  readonly out: string | undefined;
  /** A running server to ask for its pool and statements per request. */
  readonly url: string | undefined;
  readonly analyze: boolean;
}

export const reportUsage = 'usage: npm run db:report [-- --format md|html|json] [--out FILE] [--url http://host:port] [--analyze]';

/** A command line the report cannot act on; its message is one line. */
export class ReportArgumentError extends Error {
  override name = 'ReportArgumentError';
}

const FORMATS: readonly ReportFormat[] = ['md', 'html', 'json'];

/** Reads `--format`, `--out`, `--url` (each as `--name value` or `--name=value`) and `--analyze`. */
export function parseReportArguments(args: readonly string[]): ReportArguments {
  const values: Record<string, string> = {};
  let analyze = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--analyze') {
      analyze = true;
      continue;
    }
    const [, name, inline] = /^--(format|out|url)(?:=(.*))?$/.exec(arg) ?? [];
    if (!name) throw new ReportArgumentError(`unknown argument "${arg}"; ${reportUsage}`);
    const value = inline ?? args[++i];
    if (value === undefined || value === '' || (inline === undefined && value.startsWith('--'))) throw new ReportArgumentError(`--${name} needs a value; ${reportUsage}`);
    values[name] = value;
  }
  const format = (values.format ?? 'md') as ReportFormat;
  if (!FORMATS.includes(format)) throw new ReportArgumentError(`unknown format "${values.format}" (expected ${FORMATS.join(', ')})`);
  if (values.url !== undefined && !/^https?:\/\/[^/\s]+/.test(values.url)) {
    throw new ReportArgumentError(`--url must be the server's address, such as http://127.0.0.1:4000 (got "${values.url}")`);
  }
  return { format, out: values.out, url: values.url, analyze };
}
