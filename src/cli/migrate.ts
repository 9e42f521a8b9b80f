import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { createDatabase } from '../db/database';
import { ensureDatabase } from '../db/ensureDatabase';
import { createMigrator, migrateDown, migrateToLatest } from '../db/migrate';

const USAGE = 'usage: npm run migrate -- up | down | status';

/** `npm run migrate -- up|down|status`: apply all, roll back the newest, or list migrations. */
async function main(argv: string[]): Promise<void> {
  const command = argv[0];
  if (argv.length !== 1 || !['up', 'down', 'status'].includes(command)) {
    throw new ConfigError(USAGE);
  }
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const database = createDatabase(config.databaseUrl, config.pool);
  try {
    if (command === 'up') {
      const { results = [] } = await migrateToLatest(database.db);
      for (const r of results) console.log(`applied ${r.migrationName}`);
      if (results.length === 0) console.log('already up to date');
    } else if (command === 'down') {
      const { results = [] } = await migrateDown(database.db);
      for (const r of results) console.log(`rolled back ${r.migrationName}`);
      if (results.length === 0) console.log('nothing to roll back');
    } else {
      for (const m of await createMigrator(database.db).getMigrations()) {
        console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ''}`);
      }
    }
  } finally {
    await database.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
