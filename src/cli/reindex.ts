import 'dotenv/config';
import { ConfigError, loadConfig } from '../config';
import { createDatabase } from '../db/database';
import { databaseNameOf } from '../db/ensureDatabase';
import { createEmbedder } from '../memory/createEmbedder';
import { useEmbeddedChroma } from '../memory/embeddedChroma';
import { IndexingProgress } from '../memory/indexingProgress';
import { countMemorySources } from '../memory/memorySources';
import { MemoryStore } from '../memory/memoryStore';
import { reindexMemory } from '../memory/reindex';
import { ProgressBar } from './progressBar';

const USAGE = 'usage: npm run reindex -- --project ID | --all';

class UsageError extends Error {
  override name = 'UsageError';
}

/** `--project 42` → 42, `--all` → undefined; anything else is a UsageError. */
function parseArguments(argv: readonly string[]): { projectId: number | undefined } {
  if (argv.length === 1 && argv[0] === '--all') return { projectId: undefined };
  if (argv.length === 2 && argv[0] === '--project' && /^[1-9]\d{0,9}$/.test(argv[1])) return { projectId: Number(argv[1]) };
  throw new UsageError(USAGE);
}

/**
 * `npm run reindex -- --project ID | --all`: rebuilds semantic memory from MySQL (one project's,
 * or every project's), e.g. after changing EMBEDDING_MODEL, with the configured model and Chroma
 * (CHROMA_URL, else the embedded server of ./.data/chroma, shared with a running `npm start`,
 * which keeps it when this ends). Shows its progress with the rate and the time left (a bar on
 * a terminal, a line at every tenth elsewhere) and prints how many memories were indexed.
 */
async function main(argv: readonly string[]): Promise<void> {
  const { projectId } = parseArguments(argv);
  const config = loadConfig();
  // Interrupted, it still leaves the shared Chroma on its way out (an exit handler does).
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
  const chroma = config.chromaUrl ? undefined : await useEmbeddedChroma();
  const database = createDatabase(config.databaseUrl, config.pool);
  try {
    if (projectId !== undefined && !(await database.db.selectFrom('projects').select('id').where('id', '=', projectId).executeTakeFirst())) {
      throw new Error(`project ${projectId} does not exist in ${databaseNameOf(config.databaseUrl)}`);
    }
    const embedder = await createEmbedder(config);
    const store = new MemoryStore({
      chromaUrl: config.chromaUrl ?? chroma!.url,
      databaseName: databaseNameOf(config.databaseUrl),
      modelId: embedder.modelId,
      dimension: embedder.dimension,
    });
    const scope = projectId === undefined ? 'every project' : `project ${projectId}`;
    console.log(`reindexing ${scope} into Chroma collection ${store.collectionBaseName}`);
    const startedAt = performance.now();
    const progress = new IndexingProgress(await countMemorySources(database.db, { projectId }));
    const bar = new ProgressBar(process.stderr, progress, 'reindex');
    const { indexed, removed } = await reindexMemory({
      db: database.db,
      embedder,
      store,
      projectId,
      onProgress: (count) => {
        progress.add(count - progress.indexed);
        bar.update();
      },
    });
    bar.finish();
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    console.log(`indexed ${indexed} memories${removed > 0 ? `, removed ${removed} of deleted sources` : ''} in ${seconds} s`);
  } finally {
    await database.destroy();
    await chroma?.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof ConfigError ? `Invalid configuration: ${message}` : `reindex: ${message.split('\n')[0]}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
