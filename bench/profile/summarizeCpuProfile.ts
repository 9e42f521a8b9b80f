/** The parts of a V8 `.cpuprofile` (Chrome DevTools format) the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  /** Microseconds between consecutive samples; timeDeltas[i] precedes samples[i]. */
  timeDeltas: number[];
}

export interface SelfTime {
  readonly name: string;
  /** The caller that accounts for most of this function's self time (helps with native frames). */
  readonly mainCaller: string;
  /** Where it lives: a package name, `node:internal`, `app: <folder>`, or a V8 pseudo-frame. */
  readonly area: string;
  readonly location: string;
  readonly ms: number;
  /** Share of the busy (not idle) time. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly idleMs: number;
  readonly functions: readonly SelfTime[];
  readonly areas: readonly { readonly area: string; readonly ms: number; readonly percent: number }[];
}

/**
 * Self time per function (samples whose top frame is that function, weighted by the time until
 * the next sample), aggregated over every call site of the same function, and per area (package
 * or part of the app). `(idle)` is reported apart and left out of the percentages.
 */
export function summarizeCpuProfile(profile: CpuProfile, repository: string): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + Math.max(0, weight));
  }
  const byFunction = new Map<string, { name: string; area: string; location: string; us: number; callers: Map<string, number> }>();
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const location = frame.url ? `${shorten(frame.url, repository)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName}@${location}`;
    const entry = byFunction.get(key) ?? { name: frame.functionName || '(anonymous)', area: areaOf(frame), location, us: 0, callers: new Map() };
    entry.us += us;
    const parent = parents.has(id) ? frames.get(parents.get(id)!)! : undefined;
    const caller = parent ? `${parent.functionName || '(anonymous)'} (${areaOf(parent)})` : '';
    entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + us);
    byFunction.set(key, entry);
  }
  const busyUs = [...byFunction.values()].reduce((sum, entry) => sum + entry.us, 0);
  const percent = (us: number) => (busyUs === 0 ? 0 : (us / busyUs) * 100);
  const functions = [...byFunction.values()]
    .sort((a, b) => b.us - a.us)
    .map((entry) => ({
      name: entry.name,
      mainCaller: [...entry.callers.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
      area: entry.area,
      location: entry.location,
      ms: entry.us / 1000,
      percent: percent(entry.us),
    }));
  const areaTotals = new Map<string, number>();
  for (const entry of byFunction.values()) areaTotals.set(entry.area, (areaTotals.get(entry.area) ?? 0) + entry.us);
  const areas = [...areaTotals.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([area, us]) => ({ area, ms: us / 1000, percent: percent(us) }));
  return { busyMs: busyUs / 1000, idleMs: idleUs / 1000, functions, areas };
}

function areaOf(frame: { functionName: string; url: string }): string {
  const { url } = frame;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  // The last node_modules segment names the package that owns the code.
  const packages = [...url.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)];
  if (packages.length > 0) return packages[packages.length - 1]![1]!;
  if (url.startsWith('node:')) return 'node (core)';
  const app = /\/dist\/(bench|loaders|schema|db-migrations|src\/[^/]+)\//.exec(url);
  if (app) return `app: ${app[1]}`;
  return 'other';
}

function shorten(url: string, repository: string): string {
  return url.replace(/^file:\/\//, '').replace(`${repository}/`, '').replace(/^.*node_modules\//, '');
}
