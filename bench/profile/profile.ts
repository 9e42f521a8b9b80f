import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchContext } from '../context';
import { formatNumber } from '../format';
import { runLoad, type LoadSample, type RequestBody } from '../load/loadTest';
import { withServers } from '../processes/withServers';
import { fullNestedShape, nestedQuery } from '../queries';
import { demoChatSessionIds, seedMixBodies } from '../seedMixRequests';
import { summarizeCpuProfile, type CpuProfile, type ProfileSummary } from './summarizeCpuProfile';

interface Workload {
  readonly name: string;
  readonly connections: number;
  readonly bodies: readonly RequestBody[];
}

const TOP_FUNCTIONS = 25;
/** Profiled load per workload (after a 5 s warm-up). */
const PROFILE_SECONDS = 15;

/**
 * `npm run bench -- --profile`: the optimized production server under the seed mix and under the
 * nested query, with V8's sampling profiler on (profile/cpuProfilePreload.ts); writes PROFILE.md
 * with the top self-time functions and the time per package. The profiler costs some throughput,
 * so these runs are not benchmark numbers.
 */
export async function runProfile(context: BenchContext, outputDirectory: string, repository: string): Promise<string> {
  const workloads = await profileWorkloads(context);
  const profileBase = join(context.logDirectory, 'cpu');
  const sections = await withServers(
    {
      server: () =>
        context.startServer({
          optimized: true,
          production: true,
          // The profile is one process's: under a cluster every worker would load the preload and
          // write the same files, and SIGUSR2 reaches only the primary, which serves no requests.
          // One process shows the same CPU per request as each of the workers.
          webConcurrency: 1,
          nodeArguments: ['--require', context.cpuProfilePreload],
          env: { BENCH_CPU_PROFILE_FILE: profileBase },
        }),
    },
    async ({ server }) => {
      const token = await context.demoToken(server);
      const results: { workload: Workload; load: LoadSample; summary: ProfileSummary }[] = [];
      let part = 0;
      for (const workload of workloads) {
        context.log(`  ${workload.name}: warm-up, then ${context.describeBound(PROFILE_SECONDS)} profiled`);
        await runLoad({ server, token, connections: workload.connections, bodies: workload.bodies, ...context.loadBound(5, workload.connections) });
        // The profile so far (start-up and warm-up) is written and discarded; a fresh one starts.
        await takeProfile(server, profileBase, part++);
        const load = await runLoad({ server, token, connections: workload.connections, bodies: workload.bodies, ...context.loadBound(PROFILE_SECONDS, workload.connections) });
        const profile = await takeProfile(server, profileBase, part++);
        results.push({ workload, load, summary: summarizeCpuProfile(profile, repository) });
      }
      return results;
    },
  );

  const lines = [
    '# CPU profile of the optimized server',
    '',
    `Made by \`npm run bench -- --profile\` on ${new Date().toISOString()}: the optimized production server (NODE_ENV=production, ` +
      `LOG_LEVEL=warn, one process: WEB_CONCURRENCY=1) with V8's sampling profiler (500 µs interval, started by bench/profile/cpuProfilePreload.ts), ${context.describeBound(PROFILE_SECONDS)} per workload ` +
      'after a warm-up. "Self" time is time with the function on top of the stack; percentages are of the busy (not idle) time. ' +
      'The profiler slows the server a little, so the requests/s here are not benchmark figures.',
    '',
  ];
  for (const { workload, load, summary } of sections) {
    const busyShare = (summary.busyMs / (summary.busyMs + summary.idleMs)) * 100;
    lines.push(
      `## ${workload.name}`,
      '',
      `${workload.connections} connections: ${formatNumber(load.requestsPerSecond, 1)} req/s, p50 ${formatNumber(load.p50Ms)} ms, p99 ${formatNumber(load.p99Ms)} ms. ` +
        `The server's main thread was busy ${formatNumber(busyShare)} % of the time.`,
      '',
      '| area | self ms | self % |',
      '| --- | ---: | ---: |',
      ...summary.areas.slice(0, 15).map((area) => `| ${area.area} | ${formatNumber(area.ms)} | ${formatNumber(area.percent, 1)} |`),
      '',
      `| top ${TOP_FUNCTIONS} functions by self time | area | location | mostly called by | self ms | self % |`,
      '| --- | --- | --- | --- | ---: | ---: |',
      ...summary.functions
        .slice(0, TOP_FUNCTIONS)
        .map((fn) => `| \`${fn.name}\` | ${fn.area} | ${fn.location} | ${fn.mainCaller} | ${formatNumber(fn.ms)} | ${formatNumber(fn.percent, 1)} |`),
      '',
    );
  }
  const file = join(outputDirectory, context.options.quick ? 'PROFILE-quick.md' : 'PROFILE.md');
  await writeFile(file, lines.join('\n'));
  return file;
}

/** Asks the preload for the profile since the last one (SIGUSR2) and reads it. */
async function takeProfile(server: { signal(signal: NodeJS.Signals): void }, base: string, part: number): Promise<CpuProfile> {
  const file = `${base}.${part}.cpuprofile`;
  server.signal('SIGUSR2');
  const deadline = Date.now() + 30_000;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the profiler did not write ${file}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  await rm(file);
  return profile;
}

async function profileWorkloads(context: BenchContext): Promise<Workload[]> {
  const sessionIds = await demoChatSessionIds(context.databaseUrl);
  return [
    { name: 'Seed mix (notifications 3 : projects 2 : chat messages 1)', connections: 100, bodies: seedMixBodies(sessionIds, 7) },
    { name: 'Nested query (teams → projects → CRS → comments → author)', connections: 10, bodies: [JSON.stringify({ query: nestedQuery(fullNestedShape(context.scale)) })] },
  ];
}
