import { bufferPoolBytes, resizeBufferPool } from '../mariadbBufferPool';
import { serverComparison } from './serverComparison';

const MB = 1024 ** 2;
/** MariaDB's default (Debian's package keeps it). */
const DEFAULT_POOL_MB = 128;
/** Holds the bench database (about 500 MB of data and indexes) with room to spare, on a 24 GB machine. */
const FITTED_POOL_MB = 2048;

const FITTED = `buffer pool ${FITTED_POOL_MB} MB`;
const DEFAULT = `buffer pool ${DEFAULT_POOL_MB} MB`;
const sideBytes: Record<string, number> = { [FITTED]: FITTED_POOL_MB * MB, [DEFAULT]: DEFAULT_POOL_MB * MB };
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
    { name: FITTED, server: {} },
    { name: DEFAULT, server: {} },
  ],
  what:
    `Two identical optimized production servers on one MariaDB server whose innodb_buffer_pool_size is set (SET GLOBAL) to ${FITTED_POOL_MB} MB ` +
    `or to MariaDB's default ${DEFAULT_POOL_MB} MB before each side's warm-up and repetition. The bench database takes about 500 MB, so the default pool ` +
    "cannot hold all the rows the nested query and the notifications read and some pages come from the file system cache again; the ratio says whether that costs anything here.",
  environment: {
    async prepare(side, context) {
      sizeBefore ??= await bufferPoolBytes(context.databaseUrl);
      const size = await resizeBufferPool(context.databaseUrl, context.options.quick ? sizeBefore : sideBytes[side]!);
      context.log(`  innodb_buffer_pool_size = ${Math.round(size / MB)} MB`);
    },
    async restore(context) {
      if (sizeBefore === undefined) return;
      await resizeBufferPool(context.databaseUrl, sizeBefore);
      sizeBefore = undefined;
    },
  },
});
