/**
 * The sum of the samples of metric `name` in Prometheus text (e.g. a server's /metrics) whose
 * labels include `where`; 0 when there are none.
 */
export function metricSum(text: string, name: string, where: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]));
    if (Object.entries(where).every(([key, value]) => labels[key] === value)) sum += Number(match[3]);
  }
  return sum;
}
