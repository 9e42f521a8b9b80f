import { resolve } from 'node:path';
import { DEFAULT_WEB_CONCURRENCY } from '../src/config';
import { isScaleName, scaleNames, type ScaleName } from '../src/seed/scales';

export interface BenchOptions {
  /** Scenario names to run; empty = all registered scenarios. */
  readonly scenarios: readonly string[];
  /** Every scenario briefly, to check the suite works; its numbers mean little. */
  readonly quick: boolean;
  /** Re-seed the bench database even when its marker says it is complete. */
  readonly reseed: boolean;
  /** Profile the optimized server (seed mix and nested query) instead of running scenarios. */
  readonly profile: boolean;
  /** Print the registered scenarios and exit. */
  readonly list: boolean;
  readonly outputDirectory: string;
  readonly scale: ScaleName;
  readonly databaseUrl: string;
  /** CHROMA_URL for the servers; see README.md ("Chroma"). */
  readonly chromaUrl: string | undefined;
  /** WEB_CONCURRENCY of the servers: production's default (DEFAULT_WEB_CONCURRENCY) unless BENCH_WEB_CONCURRENCY says otherwise. */
  readonly webConcurrency: number;
}

export const usage = `usage: npm run bench -- [--scenario NAME[,NAME…]]… [--quick] [--reseed] [--out DIR] [--profile] [--list]
environment: BENCH_SCALE=${scaleNames.join('|')} (default bench), BENCH_DATABASE_URL (default mysql://root@127.0.0.1:3306/bridgeai_bench),
             BENCH_CHROMA_URL (default: an address nothing listens on, so no embedded Chroma is spawned; "embedded" lets the server start its own),
             BENCH_WEB_CONCURRENCY (worker processes per server; default: production's, DEFAULT_WEB_CONCURRENCY)`;

/** A command line or environment the bench cannot act on; its message is one line. */
export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/** `defaultOutput` is bench/results of the repository. */
export function parseBenchOptions(args: readonly string[], env: NodeJS.ProcessEnv, defaultOutput: string): BenchOptions {
  const scenarios: string[] = [];
  let quick = false;
  let reseed = false;
  let profile = false;
  let list = false;
  let outputDirectory = defaultOutput;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new BenchUsageError(`${arg} needs a value; ${usage}`);
      return next;
    };
    if (arg === '--quick') quick = true;
    else if (arg === '--reseed') reseed = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--list') list = true;
    else if (arg === '--scenario') scenarios.push(...value().split(','));
    else if (arg.startsWith('--scenario=')) scenarios.push(...arg.slice('--scenario='.length).split(','));
    else if (arg === '--out') outputDirectory = resolve(value());
    else if (arg.startsWith('--out=')) outputDirectory = resolve(arg.slice('--out='.length));
    else throw new BenchUsageError(`unknown argument "${arg}"; ${usage}`);
  }

  const scale = env.BENCH_SCALE || 'bench';
  if (!isScaleName(scale)) throw new BenchUsageError(`BENCH_SCALE: unknown scale "${scale}" (expected ${scaleNames.join(', ')})`);
  const databaseUrl = env.BENCH_DATABASE_URL || `mysql://root@127.0.0.1:3306/${scale === 'bench' ? 'bridgeai_bench' : `bridgeai_bench_${scale}`}`;
  if (!/^mysql:\/\/[^/]+\/\w+$/.test(databaseUrl)) {
    throw new BenchUsageError(`BENCH_DATABASE_URL: must be mysql://user@host:port/name with a plain database name (got ${JSON.stringify(databaseUrl)})`);
  }
  const chromaSetting = env.BENCH_CHROMA_URL;
  const webConcurrency = env.BENCH_WEB_CONCURRENCY ? Number(env.BENCH_WEB_CONCURRENCY) : DEFAULT_WEB_CONCURRENCY;
  if (!Number.isSafeInteger(webConcurrency) || webConcurrency < 1) {
    throw new BenchUsageError(`BENCH_WEB_CONCURRENCY: must be a whole number of at least 1 (got ${JSON.stringify(env.BENCH_WEB_CONCURRENCY)})`);
  }
  return Object.freeze({
    scenarios: Object.freeze(scenarios.filter((name) => name !== '')),
    quick,
    reseed,
    profile,
    list,
    outputDirectory,
    scale,
    databaseUrl,
    // Port 9 (discard) on 127.0.0.1 refuses connections at once: memory features report
    // Chroma as down and nothing else is slowed or spawned.
    chromaUrl: chromaSetting === 'embedded' ? undefined : chromaSetting || 'http://127.0.0.1:9',
    webConcurrency,
  });
}
