import { chromaBatch } from './chromaBatch';
import { compiledVsGraphqlJs } from './compiledVsGraphqlJs';
import { indexDecisions } from './indexDecisions';
import { insertCost } from './insertCost';
import { mariadbBufferPool } from './mariadbBufferPool';
import { memoryBacklog } from './memoryBacklog';
import { memoryRss } from './memoryRss';
import { nestedOptimizedVsNaive } from './nestedOptimizedVsNaive';
import { nestedVsSqlFloor } from './nestedVsSqlFloor';
import type { Scenario } from './scenario';
import { searchLatency } from './searchLatency';
import { seedMix } from './seedMix';
import { seedMixDataSize } from './seedMixDataSize';
import { subscriptionFanOut } from './subscriptionFanOut';
import { workersVsOneProcess } from './workersVsOneProcess';

/**
 * Every scenario of `npm run bench`, in the order they run and appear in the report.
 *
 * To add one: export a `Scenario`
 * (scenario.ts) from a module under bench/, import it here and append it to this list; its name
 * is then accepted by `--scenario`, it runs in the full suite and in `--quick`, and it gets a
 * table and a chart panel in REPORT.md. README.md ("Adding a scenario") has the details.
 */
export const scenarios: readonly Scenario[] = [
  nestedOptimizedVsNaive,
  nestedVsSqlFloor,
  seedMix,
  seedMixDataSize,
  compiledVsGraphqlJs,
  workersVsOneProcess,
  mariadbBufferPool,
  memoryRss,
  indexDecisions,
  insertCost,
  chromaBatch,
  searchLatency,
  subscriptionFanOut,
  memoryBacklog,
];

/**
 * DESIGN.md "Benchmarks" scenarios measured outside this suite for now: listed in the report
 * (as "not in this suite yet") until they are registered above.
 */
export const pendingScenarios: readonly { readonly name: string; readonly where: string }[] = [];
