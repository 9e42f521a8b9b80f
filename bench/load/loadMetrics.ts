import type { Metric } from '../results';
import { pairedRatios, summarize } from '../stats';
import type { LoadSample } from './loadTest';

/**
 * The table rows of a load comparison: requests/s, p50/p95/p99, error rate and the server's peak
 * RSS, a column per side. With `ratio`, throughput and latency rows also get the paired ratio
 * that favours `better`: `better ÷ other` for requests/s, `other ÷ better` for latencies.
 */
export function loadMetrics(
  samples: Readonly<Record<string, readonly LoadSample[]>>,
  ratio?: { readonly better: string; readonly other: string },
): Metric[] {
  const column = (pick: (sample: LoadSample) => number) =>
    Object.fromEntries(Object.entries(samples).map(([side, list]) => [side, summarize(list.map(pick))]));
  const paired = (pick: (sample: LoadSample) => number, higherIsBetter: boolean) => {
    if (!ratio) return undefined;
    const better = samples[ratio.better]!.map(pick);
    const other = samples[ratio.other]!.map(pick);
    return higherIsBetter
      ? { label: `${ratio.better} ÷ ${ratio.other}`, value: summarize(pairedRatios(better, other)) }
      : { label: `${ratio.other} ÷ ${ratio.better}`, value: summarize(pairedRatios(other, better)) };
  };
  return [
    { label: 'requests/s', unit: 'req/s', values: column((s) => s.requestsPerSecond), ratio: paired((s) => s.requestsPerSecond, true), digits: 2 },
    { label: 'p50 latency', unit: 'ms', values: column((s) => s.p50Ms), ratio: paired((s) => s.p50Ms, false), digits: 0 },
    { label: 'p95 latency', unit: 'ms', values: column((s) => s.p95Ms), ratio: paired((s) => s.p95Ms, false), digits: 0 },
    { label: 'p99 latency', unit: 'ms', values: column((s) => s.p99Ms), ratio: paired((s) => s.p99Ms, false), digits: 0 },
    {
      label: 'server CPU per answered request (its processes, not MariaDB)',
      unit: 'ms',
      values: column((s) => s.serverCpuMsPerResponse),
      digits: 1,
    },
    ...(Object.values(samples).some((list) => list.some((s) => Number.isFinite(s.databaseCpuMsPerResponse)))
      ? [
          {
            label: 'MariaDB CPU per answered request (the whole database server)',
            unit: 'ms',
            values: column((s) => s.databaseCpuMsPerResponse),
            digits: 1,
          },
        ]
      : []),
    { label: 'responses (2xx, no errors)', unit: 'count', values: column((s) => s.ok), digits: 0 },
    { label: 'error rate', unit: '%', values: column((s) => s.errorRate * 100), digits: 2 },
    { label: 'peak server RSS', unit: 'MB', values: column((s) => s.peakRssMb ?? Number.NaN), digits: 0 },
  ];
}

/** "12 http, 3 timeouts" for the failures of a side's repetitions, or "none". */
export function describeFailures(samples: readonly LoadSample[]): string {
  const totals = { http: 0, graphql: 0, connection: 0, timeouts: 0 };
  for (const sample of samples) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += sample.failures[key];
  }
  const parts = Object.entries(totals)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind === 'http' ? 'non-2xx' : kind === 'graphql' ? 'GraphQL-error' : kind}`);
  if (parts.length === 0) return 'none';
  const examples = [...new Set(samples.flatMap((sample) => sample.failureExamples))].slice(0, 2);
  return `${parts.join(', ')}${examples.length > 0 ? ` (e.g. \`${examples.join('`; `').replace(/\s+/g, ' ')}\`)` : ''}`;
}
