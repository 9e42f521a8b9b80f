import { availableParallelism } from 'node:os';
import { serverComparison } from './serverComparison';

const CORES = availableParallelism();

/** WEB_CONCURRENCY: one worker per core vs one process (the default; src/config.ts says why). */
export const workersVsOneProcess = serverComparison({
  name: 'workers-vs-one-process',
  title: `Processes: ${CORES} cluster workers (one per core) vs one process`,
  sides: [
    { name: `${CORES} workers`, server: { webConcurrency: CORES } },
    { name: '1 process', server: { webConcurrency: 1 } },
  ],
  what:
    `Two optimized production servers that differ only in WEB_CONCURRENCY: ${CORES} (node:cluster, one worker per core) vs 1 (the default). ` +
    'On this machine MariaDB and the load generator share the same cores, so a second worker competes with them; RSS is the sum over every process of the server.',
});
