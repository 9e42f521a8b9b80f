import type { DatabaseReport } from './report';

/** The report for scripts: the {@link DatabaseReport} object as JSON (Dates as ISO strings). */
export function renderJson(report: DatabaseReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
