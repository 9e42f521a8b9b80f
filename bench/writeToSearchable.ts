import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropDatabase } from '../src/db/ensureDatabase';
import { DEMO_ACCOUNT } from './context';
import { formatNumber } from './format';
import { login, postGraphQL, queryOk } from './graphqlHttp';
import { percentile } from './stats';

/**
 * How long a new CRS document takes to become searchable, as a new user meets it: a fresh
 * database and `npm start` in this folder (demo data seeded and queued for memory, the embedded
 * Chroma started afresh), then createCrsDocument once every `--every` ms and searchMemory for its
 * text every 100 ms until the document is among the hits. Writes are made while the demo data is
 * still being indexed (the backlog is pending) and again once it is done. Prints the figures as
 * markdown, stops the server and drops the database.
 *
 * ```
 * npx tsc -p tsconfig.build.json && node dist/bench/writeToSearchable.js [--writes 20] [--every 1500] [--port 4300] [--database bridgeai_memtry]
 * ```
 *
 * It deletes ./.data/chroma (and its .url, .pid, lease files): what a new user does not have.
 */

interface Arguments {
  readonly writes: number;
  readonly everyMs: number;
  readonly port: number;
  readonly database: string;
}

interface Write {
  readonly backlogPending: number;
  /** From the mutation's answer to the first search that found the document; NaN when none did within a minute. */
  readonly searchableMs: number;
  readonly failedSearches: number;
}

const ROOT = resolve(__dirname, '..', '..');
const SEARCH_EVERY_MS = 100;
const SEARCHABLE_WITHIN_MS = 60_000;

async function main(args: Arguments): Promise<void> {
  const databaseUrl = `mysql://root@127.0.0.1:3306/${args.database}`;
  const url = `http://127.0.0.1:${args.port}`;
  await dropDatabase(databaseUrl);
  await rm(join(ROOT, '.data', 'chroma'), { recursive: true, force: true });
  for (const file of ['chroma.url', 'chroma.pid', 'chroma.lock', 'chroma.log']) await rm(join(ROOT, '.data', file), { force: true });
  await rm(join(ROOT, '.data', 'chroma.users'), { recursive: true, force: true });

  const started = performance.now();
  const server = spawn('npm', ['start'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(args.port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const backlogLines: string[] = [];
  let partial = '';
  server.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.includes('memory backlog')) backlogLines.push(JSON.parse(line).msg);
  });
  try {
    while (!(await fetch(`${url}/health/ready`).then((response) => response.ok, () => false))) await sleep(200);
    const readySeconds = (performance.now() - started) / 1000;
    const token = await login(url, DEMO_ACCOUNT.email, DEMO_ACCOUNT.password);
    const projectId = (await queryOk(url, { query: '{ teams(first: 1) { projects(first: 1) { id } } }' }, token)).body.data.teams[0].projects[0].id as string;
    const pendingBacklog = async () => ((await (await fetch(`${url}/health/ready`)).json()) as { memory: { pending: { backlog: number } } }).memory.pending.backlog;

    const whilePending: Write[] = [];
    const afterwards: Write[] = [];
    let written = 0;
    const write = async (): Promise<Write> => {
      const backlogPending = await pendingBacklog();
      written += 1;
      const content = `Requirement ${written} of run ${Date.now()}: the export keeps an audit trail of approvals number ${written}.`;
      const created = await queryOk(
        url,
        {
          query: 'mutation ($input: CreateCrsInput!) { createCrsDocument(input: $input) { id } }',
          variables: { input: { projectId, title: `Audit ${written}`, content } },
        },
        token,
      );
      const id = `crs-${created.body.data.createCrsDocument.id}`;
      const writtenAt = performance.now();
      let failedSearches = 0;
      while (performance.now() - writtenAt < SEARCHABLE_WITHIN_MS) {
        const reply = await postGraphQL(
          url,
          { query: 'query ($p: ID!, $q: String!) { searchMemory(projectId: $p, query: $q, limit: 5, maxDistance: 2) { id } }', variables: { p: projectId, q: content } },
          token,
        );
        if (reply.body.errors?.length) failedSearches += 1;
        else if ((reply.body.data.searchMemory as { id: string }[]).some((hit) => hit.id === id)) {
          return { backlogPending, searchableMs: performance.now() - writtenAt, failedSearches };
        }
        await sleep(SEARCH_EVERY_MS);
      }
      return { backlogPending, searchableMs: Number.NaN, failedSearches };
    };

    const pendingAtStart = await pendingBacklog();
    while (whilePending.length < args.writes && (await pendingBacklog()) > 0) {
      const round = performance.now();
      whilePending.push(await write());
      await sleep(Math.max(0, args.everyMs - (performance.now() - round)));
    }
    while ((await pendingBacklog()) > 0) await sleep(500);
    const drainedSeconds = (performance.now() - started) / 1000;
    for (let n = 0; n < args.writes; n += 1) {
      const round = performance.now();
      afterwards.push(await write());
      await sleep(Math.max(0, args.everyMs - (performance.now() - round)));
    }

    const row = (label: string, writes: readonly Write[]) => {
      const ms = writes.map((w) => w.searchableMs).filter(Number.isFinite);
      const pending = writes.map((w) => w.backlogPending);
      return `| ${label} | ${writes.length} | ${formatNumber(Math.min(...pending))}–${formatNumber(Math.max(...pending))} | ${formatNumber(percentile(ms, 50))} | ${formatNumber(percentile(ms, 95))} | ${formatNumber(Math.max(...ms))} | ${writes.length - ms.length} | ${writes.reduce((sum, w) => sum + w.failedSearches, 0)} |`;
    };
    console.log(`ready (/health/ready 200) after ${readySeconds.toFixed(1)} s with ${formatNumber(pendingAtStart)} memories pending; backlog drained ${drainedSeconds.toFixed(1)} s after \`npm start\``);
    console.log('');
    console.log('| writes | count | backlog pending | p50 ms | p95 ms | max ms | not searchable within 60 s | failed searches |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    console.log(row('while the demo data is indexed', whilePending));
    console.log(row('nothing pending', afterwards));
    console.log('');
    for (const line of backlogLines) console.log(`    ${line}`);
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await new Promise((done) => server.once('exit', done));
    await dropDatabase(databaseUrl);
  }
}

function parseArguments(argv: readonly string[]): Arguments {
  const value = (name: string, fallback: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 && argv[index + 1] ? argv[index + 1]! : fallback;
  };
  const database = value('database', 'bridgeai_memtry');
  if (!/^\w+$/.test(database)) throw new Error(`--database must be a plain database name (got ${database})`);
  return { writes: Number(value('writes', '20')), everyMs: Number(value('every', '1500')), port: Number(value('port', '4300')), database };
}

main(parseArguments(process.argv.slice(2))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
