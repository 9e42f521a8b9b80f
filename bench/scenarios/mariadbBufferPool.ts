import { bufferPoolBytes, resizeBufferPool } from '../mariadbBufferPool';
import { serverComparison } from './serverComparison';

const MB = 1024 ** 2;
/** MariaDB's default (Debian's package keeps it). */
const DEFAULT_POOL_MB = 128;
/** Holds the bench database (about 500 MB of data and indexes) with room to spare, on a 24 GB machine. */
const FITTED_POOL_MB = 2048;

const sideSizes: Record<string, number> = {
  [`buffer pool ${FITTED_POOL_MB} MB`]: FITTED_POOL_MB * MB,
  [`buffer pool ${DEFAULT_POOL_MB} MB`]: DEFAULT_POOL_MB * MB,
};
let sizeBefore: number | undefined;

/**
 * "MariaDB settings fit for the box": InnoDB's buffer pool at MariaDB's default size vs one that
 * holds the working set. The database server is shared by both sides, so each warm-up and
 * repetition first resizes it (SET GLOBAL) and warms up again; the size the server had before is
 * set back at the end. Under --quick (which tests run, beside other tests on the same server) both
 * sides set the size the server already had: the path is exercised, the server left alone.
 */
export const mariadbBufferPool = serverComparison({
  name: 'mariadb-buffer-pool',
  title: `MariaDB: innodb_buffer_pool_size ${FITTED_POOL_MB} MB vs the default ${DEFAULT_POOL_MB} MB`,
  sides: [
    { name: `buffer pool ${FITTED_POOL_MB} MB`, server: {} },
    { name: `buffer pool ${DEFAULT_POOL_MB} MB`, server: {} },
  ],
  what:
    `Two identical optimized production servers on one MariaDB server whose innodb_buffer_pool_size is set (SET GLOBAL) to ${FITTED_POOL_MB} MB ` +
    `or to MariaDB's default ${DEFAULT_POOL_MB} MB before each side's warm-up and repetition. The bench database takes about 500 MB, so the default pool ` +
    "cannot hold the rows the nested query and the notifications read, and pages come from the file system again; this is what a setting fit for the machine changes.",
  environment: {
    async prepare(side, context) {
      sizeBefore ??= await bufferPoolBytes(context.databaseUrl);
      const size = await resizeBufferPool(context.databaseUrl, context.options.quick ? sizeBefore : sideSizes[side]!);
      context.log(`  innodb_buffer_pool_size = ${Math.round(size / MB)} MB`);
    },
    async restore(context) {
      if (sizeBefore === undefined) return;
      await resizeBufferPool(context.databaseUrl, sizeBefore);
      sizeBefore = undefined;
    },
  },
});
