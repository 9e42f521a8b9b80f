import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { databaseNameOf } from '../../src/db/ensureDatabase';
import { createThreadedEmbedder } from '../../src/memory/embeddingThread';
import { MemoryStore } from '../../src/memory/memoryStore';
import { alternate } from '../alternate';
import { openBenchDatabase } from '../benchDatabase';
import { DEMO_ACCOUNT } from '../context';
import { formatNumber, formatSummary } from '../format';
import { login } from '../graphqlHttp';
import type { ServerProcess } from '../processes/serverProcess';
import type { Metric, ScenarioResult } from '../results';
import { storedVectors } from '../search/exactNearest';
import { openFilledChroma } from '../search/filledChroma';
import { queryTexts } from '../search/queryTexts';
import { checkSearches, type SearchChecks } from '../search/searchChecks';
import { projectIdRequest, runRequests, SEARCH_PAGE, searchRequest, type RequestRun, type SearchParts, type SignedInRequest } from '../search/searchRequests';
import { searchViewers, type Searcher } from '../search/searchViewers';
import { pairedRatios, percentile, summarize, type Summary } from '../stats';
import type { Scenario } from './scenario';

/** DESIGN.md "Benchmarks": searchMemory latency at 1k/10k/100k memories; the goal is at 100k. */
const FULL_SIZES = [1_000, 10_000, 100_000];
/** The small scale of tests/integration/bench.test.ts holds 260 memory sources. */
const QUICK_SIZES = [200];
const GOAL_MEMORIES = 100_000;
const GOAL_P95_MS = 20;
/** Projects searched at each size, spread over those holding memories (and so over the shards). */
const SEARCHED_PROJECTS = 16;
const MANY_CONNECTIONS = 4;
/** A dist/ folder built from another commit: its server is measured beside this build's, alternately. */
const BASELINE_VARIABLE = 'BENCH_SEARCH_BASELINE_DIST';

const BUILDS = ['this build', 'baseline'] as const;
type Build = (typeof BUILDS)[number];
/** The parts of a search's time, as the rows name them. */
const SEARCH_PART_LABELS: Readonly<Record<keyof SearchParts, string>> = {
  embedding: "the question's embedding",
  chroma: 'the Chroma query',
  rest: 'the rest (HTTP, GraphQL, sign-in, the server\'s own work)',
};
const HTTP_PASSES = ['new questions, 1 connection', `new questions, ${MANY_CONNECTIONS} connections`, 'questions asked before, 1 connection'] as const;
type HttpPass = (typeof HTTP_PASSES)[number];
const COMPONENT_PASSES = ['project(id) alone, 1 connection', 'query embedding alone', 'Chroma query alone'] as const;
type ComponentPass = (typeof COMPONENT_PASSES)[number];
type Pass = `${Build}: ${HttpPass}` | ComponentPass;

/** What one pass of one repetition measured: an HTTP run, or the latencies of one part. */
type PassSample = { readonly run: RequestRun } | { readonly latenciesMs: readonly number[] };

interface SizeResult {
  readonly label: string;
  readonly memories: number;
  readonly samples: Readonly<Record<string, PassSample[]>>;
  readonly checks: SearchChecks;
  readonly recordedFillSeconds: number;
  readonly diskMb: number;
  readonly loadAverages: number[];
}

/**
 * searchMemory as a user gets it: the GraphQL field over HTTP from the production server
 * (NODE_ENV=production, `npm start`'s entry point) with a real Chroma server holding 1k, 10k and
 * 100k memories in the server's own collections and layout; and where its time goes: the same
 * request path without the search (project(id)), the query's embedding alone and the Chroma
 * query alone, measured alternately with the searches. With BENCH_SEARCH_BASELINE_DIST set to
 * another build's dist/ folder, that build's server is measured beside this one, alternately.
 */
export const searchLatency: Scenario = {
  name: 'search-latency',
  title: 'searchMemory latency at 1k / 10k / 100k memories',
  async run(context) {
    const quick = context.options.quick;
    const sizes = quick ? QUICK_SIZES : FULL_SIZES;
    const perPass = quick ? 5 : 200;
    const { repetitions } = context.timing;
    const baselineDist = process.env[BASELINE_VARIABLE] || undefined;
    const builds: Build[] = baselineDist ? [...BUILDS] : ['this build'];
    const passes: Pass[] = [...builds.flatMap((build) => HTTP_PASSES.map((pass): Pass => `${build}: ${pass}`)), ...COMPONENT_PASSES];

    const handle = openBenchDatabase(context.databaseUrl);
    // --quick fills a scratch folder; the full suite keeps its filled folders in the git-ignored .data/.
    const cacheDirectory = quick ? await mkdtemp(join(tmpdir(), 'bridgeai-bench-search-')) : resolve(__dirname, '..', '..', '..', '.data', 'bench-search');
    const embedder = await createThreadedEmbedder({ embeddingModel: 'use-lite' });
    try {
      const collections = { databaseName: databaseNameOf(context.databaseUrl), modelId: embedder.modelId, dimension: embedder.dimension };
      const warmUps = 2 * SEARCHED_PROJECTS;
      const newTextsPerSize = warmUps + builds.length * (warmUps + repetitions * 2 * perPass);
      const texts = await queryTexts(handle.db, newTextsPerSize * sizes.length);
      const tokens = new Map<string, string>();
      const results: SizeResult[] = [];

      for (const [sizeIndex, memories] of sizes.entries()) {
        const label = `${formatNumber(memories)} memories`;
        let nextText = sizeIndex * newTextsPerSize;
        /** Questions no server of this run has been asked. */
        const newTexts = (count: number) => {
          if (nextText + count > (sizeIndex + 1) * newTextsPerSize) throw new Error(`search-latency needs more than ${newTextsPerSize} questions per size`);
          return texts.slice(nextText, (nextText += count));
        };
        const viewers = await searchViewers(handle.db, memories, SEARCHED_PROJECTS);
        const searchesOf = (searchers: readonly Searcher[], questions: readonly string[]) =>
          questions.map((text, index) => {
            const { email, projectId } = searchers[index % searchers.length]!;
            return { request: searchRequest(tokens.get(email)!, projectId, text), projectId, text };
          });
        const filled = await openFilledChroma({ db: handle.db, memories, collections, cacheDirectory, log: (line) => context.log(line) });
        const servers: Partial<Record<Build, ServerProcess>> = {};
        try {
          for (const build of builds) {
            const env = { CHROMA_URL: filled.server.url };
            servers[build] = await context.startServer({
              optimized: true,
              production: true,
              env,
              ...(build === 'baseline' ? { build: { name: 'baseline', distDirectory: baselineDist! } } : {}),
            });
          }
          const thisBuild = servers['this build']!;
          for (const { email } of [...viewers.members, ...viewers.outsiders]) {
            if (!tokens.has(email)) tokens.set(email, await login(thisBuild.url, email, DEMO_ACCOUNT.password));
          }
          const store = new MemoryStore({ chromaUrl: filled.server.url, ...collections });

          context.log(`  ${label}: warming up, checking rankings and visibility`);
          const askedBefore = {} as Record<Build, SignedInRequest[]>;
          for (const build of builds) {
            askedBefore[build] = searchesOf(viewers.members, newTexts(warmUps)).map((search) => search.request);
            await runRequests(servers[build]!.url, askedBefore[build], 1);
          }
          for (const [index, text] of texts.slice(0, warmUps).entries()) {
            const [embedding] = await embedder.embed([text]);
            await store.query({ embedding: embedding!, projectId: viewers.members[index % viewers.members.length]!.projectId, ...SEARCH_PAGE });
          }
          const checks = await checkSearches({
            serverUrl: thisBuild.url,
            baselineUrl: servers.baseline?.url,
            embedder,
            members: searchesOf(viewers.members, newTexts(viewers.members.length)),
            outsiders: searchesOf(viewers.outsiders, newTexts(viewers.outsiders.length)),
            vectorsByProject: await storedVectors(handle.db, memories, viewers.members.map((member) => member.projectId), collections.dimension),
          });

          const loadAverages: number[] = [];
          const cycle = <T>(items: readonly T[], count: number) => Array.from({ length: count }, (_, index) => items[index % items.length]!);
          const samples = await alternate<Pass, PassSample>(passes, repetitions, async (pass, repetition) => {
            if (pass === passes[0]) loadAverages.push(loadavg()[0]!);
            context.log(`  ${label}, repetition ${repetition + 1}/${repetitions}: ${pass}`);
            // The parts are timed with any questions: nothing in this process keeps embeddings.
            const anyTexts = cycle(texts, perPass);
            switch (pass) {
              case 'project(id) alone, 1 connection': {
                const requests = cycle(viewers.members, perPass).map(({ email, projectId }) => projectIdRequest(tokens.get(email)!, projectId));
                return { run: await runRequests(thisBuild.url, requests, 1) };
              }
              case 'query embedding alone': {
                const latenciesMs: number[] = [];
                for (const text of anyTexts) latenciesMs.push(await timed(() => embedder.embed([text])));
                return { latenciesMs };
              }
              case 'Chroma query alone': {
                const latenciesMs: number[] = [];
                for (const [index, embedding] of (await embedder.embed(anyTexts)).entries()) {
                  const { projectId } = viewers.members[index % viewers.members.length]!;
                  latenciesMs.push(await timed(() => store.query({ embedding, projectId, ...SEARCH_PAGE })));
                }
                return { latenciesMs };
              }
              default: {
                const [build, httpPass] = pass.split(': ') as [Build, HttpPass];
                const server = servers[build]!;
                if (httpPass === 'questions asked before, 1 connection') return { run: await runRequests(server.url, cycle(askedBefore[build], perPass), 1) };
                const connections = httpPass === 'new questions, 1 connection' ? 1 : MANY_CONNECTIONS;
                const requests = searchesOf(viewers.members, newTexts(perPass)).map((search) => search.request);
                return { run: await runRequests(server.url, requests, connections) };
              }
            }
          });
          results.push({ label, memories, samples, checks, recordedFillSeconds: filled.recordedFillSeconds, diskMb: filled.diskMb, loadAverages });
        } finally {
          await Promise.all(Object.values(servers).map((server) => server.stop()));
          await filled.server.stop();
        }
      }
      return report(results, { quick, perPass, repetitions, builds, baselineDist });
    } finally {
      await embedder.close();
      await handle.destroy();
      if (quick) await rm(cacheDirectory, { recursive: true, force: true });
    }
  },
};

function report(
  results: readonly SizeResult[],
  run: { quick: boolean; perPass: number; repetitions: number; builds: readonly Build[]; baselineDist: string | undefined },
): ScenarioResult {
  const sides = results.map((result) => result.label);
  const runs = (result: SizeResult, pass: string) => result.samples[pass]!.map((sample) => ('run' in sample ? sample.run : undefined));
  const httpValues = (pass: string, pick: (run: RequestRun) => number) => (result: SizeResult) => runs(result, pass).map((r) => (r ? pick(r) : Number.NaN));
  const partValues = (pass: ComponentPass, p: number) => (result: SizeResult) =>
    result.samples[pass]!.map((sample) => ('latenciesMs' in sample ? percentile(sample.latenciesMs, p) : Number.NaN));
  const row = (label: string, unit: string, values: (result: SizeResult) => number[], digits = 1): Metric => ({
    label,
    unit,
    values: Object.fromEntries(results.map((result) => [result.label, summarize(values(result))])),
    digits,
  });
  const p = (run: RequestRun, percent: 50 | 95 | 99) => (percent === 50 ? run.p50Ms : percent === 95 ? run.p95Ms : run.p99Ms);

  const searchRows = run.builds.flatMap((build): Metric[] => {
    const suffix = build === 'baseline' ? ' — baseline build' : '';
    const pass = (httpPass: HttpPass) => `${build}: ${httpPass}`;
    return [
      ...([50, 95, 99] as const).map((percent) =>
        row(`searchMemory, new questions, 1 connection: p${percent}${suffix}`, 'ms', httpValues(pass(HTTP_PASSES[0]), (r) => p(r, percent))),
      ),
      ...([50, 95, 99] as const).map((percent) =>
        row(`searchMemory, new questions, ${MANY_CONNECTIONS} connections: p${percent}${suffix}`, 'ms', httpValues(pass(HTTP_PASSES[1]), (r) => p(r, percent))),
      ),
      row(`searchMemory, new questions, ${MANY_CONNECTIONS} connections: requests/s${suffix}`, 'req/s', httpValues(pass(HTTP_PASSES[1]), (r) => r.requestsPerSecond)),
      ...([50, 95] as const).map((percent) =>
        row(`searchMemory, questions asked before, 1 connection: p${percent}${suffix}`, 'ms', httpValues(pass(HTTP_PASSES[2]), (r) => p(r, percent))),
      ),
    ];
  });
  // The parts of the same searches, from the server's Server-Timing header, side by side at each percentile.
  const partOf = (pass: HttpPass, part: keyof SearchParts, percent: 50 | 95) =>
    httpValues(`this build: ${pass}`, (r) => (r.parts ? (percent === 50 ? r.parts[part].p50Ms : r.parts[part].p95Ms) : Number.NaN));
  const partRows: Metric[] = ([HTTP_PASSES[0], HTTP_PASSES[2]] as const).flatMap((pass) =>
    ([50, 95] as const).flatMap((percent) =>
      (Object.keys(SEARCH_PART_LABELS) as (keyof SearchParts)[]).map((part) =>
        row(`searchMemory, ${pass}, its parts (Server-Timing): ${SEARCH_PART_LABELS[part]}: p${percent}`, 'ms', partOf(pass, part, percent)),
      ),
    ),
  );
  const comparisonRows: Metric[] = run.builds.includes('baseline')
    ? HTTP_PASSES.flatMap((httpPass) =>
        ([50, 95] as const).map((percent) =>
          row(`${httpPass}: p${percent}, baseline ÷ this build`, '×', (result) =>
            pairedRatios(httpValues(`baseline: ${httpPass}`, (r) => p(r, percent))(result), httpValues(`this build: ${httpPass}`, (r) => p(r, percent))(result)),
          2),
        ),
      )
    : [];
  const everyRun = (result: SizeResult) => Object.keys(result.samples).flatMap((pass) => runs(result, pass).filter((r): r is RequestRun => r !== undefined));

  const metrics: Metric[] = [
    ...searchRows,
    ...partRows,
    ...comparisonRows,
    ...([50, 95] as const).map((percent) =>
      row(`project(id) { id } alone (the same sign-in and visibility check, no search), 1 connection: p${percent}`, 'ms', httpValues(COMPONENT_PASSES[0], (r) => p(r, percent))),
    ),
    ...([50, 95] as const).map((percent) => row(`query embedding alone (use-lite in its thread): p${percent}`, 'ms', partValues('query embedding alone', percent))),
    ...([50, 95] as const).map((percent) => row(`Chroma query alone (MemoryStore.query): p${percent}`, 'ms', partValues('Chroma query alone', percent))),
    row('failed requests (every HTTP pass)', 'count', (result) => [everyRun(result).reduce((sum, r) => sum + r.failures, 0)], 0),
    row('searches ranked exactly as a full scan of the project (top 5, same order)', '%', (r) => [(100 * r.checks.exactRankings) / Math.max(1, r.checks.memberSearches)], 0),
    ...(run.builds.includes('baseline')
      ? [row('searches answered exactly as by the baseline build (same hits, order, texts, distances)', '%', (r) => [(100 * r.checks.sameAsBaseline) / Math.max(1, r.checks.memberSearches)], 0)]
      : []),
    row('hits from another project than the one searched', 'count', (r) => [r.checks.foreignHits], 0),
    row('searches by users outside the team answered []', '%', (r) => [(100 * r.checks.emptyOutsiderAnswers) / Math.max(1, r.checks.outsiderSearches)], 0),
    row('filling Chroma (MemoryStore.upsert, 1,000 per call)', 's', (r) => [r.recordedFillSeconds], 1),
    row('Chroma data folder', 'MB', (r) => [r.diskMb], 0),
    row('load average (1 min) at each repetition', '', (r) => r.loadAverages, 2),
  ];

  const atGoal = results.find((result) => result.memories === GOAL_MEMORIES);
  const goalP95 = (pass: HttpPass): Summary | undefined => atGoal && summarize(httpValues(`this build: ${pass}`, (r) => r.p95Ms)(atGoal));
  const newQuestions = goalP95(HTTP_PASSES[0]);
  const askedBefore = goalP95(HTTP_PASSES[2]);
  const leaks = results.reduce((sum, r) => sum + r.checks.foreignHits + r.checks.outsiderSearches - r.checks.emptyOutsiderAnswers, 0);
  const checked = results.reduce((sum, r) => sum + r.checks.memberSearches + r.checks.outsiderSearches, 0);
  const sameAsBaseline = results.reduce((sum, r) => sum + r.checks.sameAsBaseline, 0);
  const memberSearches = results.reduce((sum, r) => sum + r.checks.memberSearches, 0);
  const failures = results.flatMap((result) => everyRun(result).flatMap((r) => r.failureExamples));
  const goalLabel = `searchMemory p95 ≤ ${GOAL_P95_MS} ms at ${formatNumber(GOAL_MEMORIES)} memories, 1 connection`;

  return {
    sides,
    definition: [
      '**Data.** For each size, a Chroma server (the chromadb package\'s) over a folder holding the first N memory sources of the bench database in project order ' +
        '(ai_memory_index by project, then id: whole projects from project 1 up), each with its real id, project, source type and text, stored through ' +
        'MemoryStore.upsert, 1,000 per call, into the collections the server opens for this database and use-lite (16 shards by project, memoryLayout.ts). ' +
        "The vectors are synthetic: random unit vectors of 512 numbers drawn from each memory's position (embedding 100k texts with use-lite would take most of an hour). " +
        'The filled folders are kept in .data/bench-search/ (git-ignored) and reused while the seed, the count and the store\'s settings are the same; ' +
        '"filling Chroma" is the time of the fill that made the folder.',
      `**Searches.** The production server (NODE_ENV=production, dist/src/cli/start.js) with CHROMA_URL set to that Chroma, after ${2 * SEARCHED_PROJECTS} warm-up searches. ` +
        `Each request is \`searchMemory(projectId, query, limit: ${SEARCH_PAGE.limit}, maxDistance: ${SEARCH_PAGE.maxDistance}) { id sourceType text distance }\` over HTTP, ` +
        `signed in as an active member of the project's team (the demo account in its own projects), over up to ${SEARCHED_PROJECTS} projects spread over those holding memories. ` +
        '"New questions" are questions this server was never asked (distinct chat questions and review comments of the bench database), so every one is embedded with use-lite; ' +
        `"questions asked before" repeat the warm-up's ${2 * SEARCHED_PROJECTS} searches. maxDistance 2 keeps the 5 nearest of random vectors, which lie about 1 apart, so every answer is a full page.`,
      `**Measured.** ${run.perPass} requests per pass, ${run.repetitions} repetitions, the passes alternating: the searches from 1 connection and from ${MANY_CONNECTIONS} ` +
        '(a closed loop: each connection sends its next request when its previous one is answered; latency from the request to the last byte of the answer), and the parts of a ' +
        'search: `project(id) { id }` over HTTP (the same sign-in and visibility check, no search), and, in the bench process with the server\'s own classes, the query embedding ' +
        'alone (use-lite in its embedding thread) and the Chroma query alone (MemoryStore.query with that embedding and the same project filter). Every search\'s own ' +
        'answer also says in its Server-Timing header how long the server spent on the question\'s embedding and on the Chroma query; "its parts" split each search\'s ' +
        'latency into those two and the rest (the latency minus both: HTTP, GraphQL, sign-in, the visibility check where it outlasts the search). Besides the timings, every ' +
        'project is searched once by a member, whose hits are compared with an exact ranking (cosine distance to every memory of the project, computed here), and once by a ' +
        'user outside its team, who must get []' +
        (run.baselineDist
          ? ` (and by the baseline build, whose answers must be the same). The baseline build is the server of ${run.baselineDist} (${BASELINE_VARIABLE}), on the same Chroma, measured in the same alternation.`
          : '.'),
    ],
    metrics,
    goals: [
      {
        goal: `${goalLabel}, new questions`,
        measured: newQuestions ? `${formatSummary(newQuestions, 1)} ms` : 'not measured (--quick)',
        met: newQuestions ? newQuestions.median <= GOAL_P95_MS : null,
      },
      {
        goal: `${goalLabel}, questions asked before`,
        measured: askedBefore ? `${formatSummary(askedBefore, 1)} ms` : 'not measured (--quick)',
        met: askedBefore ? askedBefore.median <= GOAL_P95_MS : null,
      },
      { goal: 'no search returns a memory the viewer may not see', measured: `${leaks} of ${checked} checked searches did`, met: leaks === 0 },
      ...(run.builds.includes('baseline')
        ? [{ goal: 'the same answers as the baseline build', measured: `${sameAsBaseline} of ${memberSearches} checked searches`, met: sameAsBaseline === memberSearches }]
        : []),
    ],
    notes: [
      `Failed requests: ${failures.length === 0 ? 'none' : failures.slice(0, 2).join('; ')}.`,
      "A search that differs from the full scan is Chroma's HNSW index missing one of the exact nearest memories (it is approximate; ef_search is Chroma's default, 100).",
    ],
    chart: {
      title: 'searchMemory p95 (new questions, 1 connection) and its parts, by memories stored',
      unit: 'ms',
      bars: results.flatMap((result) => [
        { label: `${result.label}: searchMemory`, value: summarize(httpValues(`this build: ${HTTP_PASSES[0]}`, (r) => r.p95Ms)(result)) },
        { label: `${result.label}: embedding alone`, value: summarize(partValues('query embedding alone', 95)(result)) },
        { label: `${result.label}: Chroma alone`, value: summarize(partValues('Chroma query alone', 95)(result)) },
        { label: `${result.label}: the rest of a search`, value: summarize(partOf(HTTP_PASSES[0], 'rest', 95)(result)) },
      ]),
      lines: [{ label: `goal ${GOAL_P95_MS} ms`, value: GOAL_P95_MS }],
    },
  };
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}
