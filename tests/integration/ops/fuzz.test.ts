import {
  astFromValue,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  print,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { buildSchema } from '../../../schema/buildSchema';
import { Fixtures, FIXTURE_PASSWORD } from '../../support/fixtures';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { captureLogger } from '../../support/ops';
import { startTestServer, type TestServer } from '../../support/server';
import { Random } from '../../../src/seed/prng';

/**
 * Fuzzing the running server over real HTTP: a few thousand requests generated from a seeded
 * PRNG (FUZZ_SEED; FUZZ_COUNT), each request from its own seed (seed, index), so a failure
 * names the request that reproduces it. Most are valid queries and mutations built by walking
 * the schema; the rest are malformed JSON, wrong variable types, huge and odd strings, SQL
 * fragments, odd HTTP. Every answer must be well formed: no 5xx but 503, a contract code on
 * every error, nothing internal in any error.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20260315);
const COUNT = Number(process.env.FUZZ_COUNT ?? 2500);
const TIME_BUDGET_MS = 60_000;
const CONCURRENCY = 8;

const CONTRACT_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'SERVICE_UNAVAILABLE',
  'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_ALLOWED', 'QUERY_TOO_COMPLEX', 'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED',
]);

/** What must not reach a client, unless the client sent it itself (an echoed variable). */
const INTERNAL_PATTERNS = [
  /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[^"]{0,80}\b(users|teams|team_members|projects|crs_documents|comments|invitations|notifications|chat_sessions|messages|ai_memory_index)\b/gi,
  /\bER_[A-Z_]{3,}/g,
  /\b(PROTOCOL_[A-Z_]+|ECONNREFUSED|ECONNRESET|POOL_TIMEOUT|POOL_CLOSED)\b/g,
  /sqlMessage|sqlState|errno/g,
  /\n\s+at \S+/g,
  /\bat \S+ \([^)]*:\d+:\d+\)/g,
  /\/work\/|node_modules|\/src\/[\w/]+\.[jt]s/g,
  /You have an error in your SQL syntax/gi,
];

const SQL_FRAGMENTS = [
  "' OR '1'='1",
  "1; DROP TABLE users; --",
  "'; SELECT SLEEP(5); --",
  '" OR 1=1 --',
  "1' UNION SELECT password_hash FROM users --",
  '%',
  '_',
  '\\',
  "\\'",
  '0x3a',
  'NULL',
];
const UNICODE = ['é', 'ß', '中文', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '🙂🚀', '\u202Eevil', '\u0000', '\u200B', 'ﷺ', '\uD800', '\uDFFF', 'a\u0301', '\r\n', '\t'];

function randomString(rng: Random, cursors: readonly string[]): string {
  switch (rng.between(0, 9)) {
    case 0:
      return '';
    case 1:
      return rng.pick(SQL_FRAGMENTS);
    case 2:
      return Array.from({ length: rng.between(1, 20) }, () => rng.pick(UNICODE)).join('');
    case 3:
      return rng.pick(cursors.length > 0 ? cursors : ['x']);
    case 4:
      return Buffer.from(Array.from({ length: rng.between(1, 60) }, () => rng.between(0, 255))).toString('base64url');
    case 5:
      return `${rng.pick(['user', 'test', 'VIEWER', ' viewer'])}${rng.between(0, 99)}@${rng.pick(['example.com', 'x', 'ex ample.com', ''])}`;
    case 6:
      return 'x'.repeat(rng.pick([255, 256, 1000, 20_000, 120_000]));
    case 7:
      return `${rng.pick(SQL_FRAGMENTS)}${rng.pick(UNICODE)}${rng.between(0, 1e6)}`;
    default:
      return Array.from({ length: rng.between(1, 30) }, () => String.fromCharCode(rng.between(32, 126))).join('');
  }
}

const ID_VALUES = ['0', '-1', 'abc', '99999999999', '4294967296', '1.5', ' 1', '1e3', '', '00001'];

/** A value for an input type; `wrong` makes a value of some other type on purpose. */
function randomInput(rng: Random, type: GraphQLInputType, argName: string, ids: readonly number[], cursors: readonly string[], wrong: boolean): unknown {
  if (wrong) return rng.pick<unknown>([{ nested: true }, [1, 2], 'not a number', 12.5, true, -1e20, null, 2 ** 53 + 1]);
  if (isNonNullType(type)) return randomInput(rng, type.ofType, argName, ids, cursors, false);
  if (!isNonNullType(type) && rng.chance(0.05)) return null;
  if (isListType(type)) return Array.from({ length: rng.between(0, 3) }, () => randomInput(rng, type.ofType, argName, ids, cursors, false));
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || rng.chance(0.5)) value[field.name] = randomInput(rng, field.type, field.name, ids, cursors, false);
    }
    return value;
  }
  if (isEnumType(type)) return rng.pick(type.getValues()).value;
  switch (type.name) {
    case 'ID':
      return rng.chance(0.7) ? String(rng.pick(ids)) : rng.chance(0.5) ? rng.pick(ID_VALUES) : randomString(rng, cursors);
    case 'Int':
      return /^(first|limit)$/.test(argName)
        ? rng.pick([0, 1, 2, 5, 10, 50, 200, 201, 1000, -1])
        : rng.pick([0, 1, -1, 2, 42, 2147483647, -2147483648]);
    case 'Float':
      return rng.pick([0, 0.1, 0.5, 1, 2, -1, 1e308]);
    case 'Boolean':
      return rng.chance(0.5);
    case 'DateTime':
      return rng.pick(['2026-01-01T00:00:00Z', 'yesterday', '0000-00-00', '']);
    default:
      return randomString(rng, cursors);
  }
}

interface Generated {
  body: string;
  method?: string;
  headers?: Record<string, string>;
  /** GET query string instead of a body. */
  search?: string;
}

/** Builds one operation by walking the schema from a root type. */
class OperationBuilder {
  readonly #variables: Record<string, unknown> = {};
  readonly #definitions: string[] = [];
  #aliases = 0;

  constructor(
    private readonly rng: Random,
    private readonly schema: GraphQLSchema,
    private readonly ids: readonly number[],
    private readonly cursors: readonly string[],
    private readonly wrongTypes: boolean,
  ) {}

  build(): { query: string; variables: Record<string, unknown> } {
    const rng = this.rng;
    const mutation = rng.chance(0.15);
    const root = mutation ? this.schema.getMutationType()! : this.schema.getQueryType()!;
    const maxDepth = rng.chance(0.05) ? rng.between(8, 14) : rng.between(1, 5);
    const fields = Object.values(root.getFields());
    const chosen = Array.from({ length: mutation ? 1 : rng.between(1, 3) }, () => rng.pick(fields));
    const selections = chosen.map((field) => this.#field(field, 1, maxDepth)).join(' ');
    const name = rng.chance(0.7) ? `Fuzz${rng.between(0, 20)}` : '';
    const head = this.#definitions.length > 0 ? `${name}(${this.#definitions.join(', ')})` : name;
    return { query: `${mutation ? 'mutation' : 'query'} ${head} { ${selections} }`, variables: this.#variables };
  }

  #field(field: GraphQLField<unknown, unknown>, depth: number, maxDepth: number): string {
    const alias = this.rng.chance(0.1) ? `a${this.#aliases++}: ` : '';
    const args = field.args.map((arg) => this.#argument(arg)).filter((arg): arg is string => arg !== null);
    const argumentText = args.length > 0 ? `(${args.join(', ')})` : '';
    const type = getNamedType(field.type);
    const selection = isLeafType(type) ? '' : ` { ${this.#selection(type, depth + 1, maxDepth)} }`;
    return `${alias}${field.name}${argumentText}${selection}`;
  }

  #argument(arg: GraphQLArgument): string | null {
    const rng = this.rng;
    if (!isNonNullType(arg.type) && rng.chance(0.5)) return null;
    const wrong = this.wrongTypes && rng.chance(0.5);
    const value = randomInput(rng, arg.type, arg.name, this.ids, this.cursors, wrong);
    if (!wrong && rng.chance(0.5)) {
      const literal = astFromValue(value, arg.type);
      if (literal) return `${arg.name}: ${print(literal)}`;
    }
    const variable = `v${this.#definitions.length}`;
    this.#definitions.push(`$${variable}: ${String(arg.type)}`);
    this.#variables[variable] = value;
    return `${arg.name}: $${variable}`;
  }

  #selection(type: GraphQLNamedType, depth: number, maxDepth: number): string {
    const rng = this.rng;
    if (isUnionType(type) || isInterfaceType(type)) {
      const members = isUnionType(type) ? type.getTypes() : this.schema.getPossibleTypes(type);
      const parts = ['__typename'];
      for (let i = rng.between(0, 2); i > 0; i -= 1) {
        const member = rng.pick(members);
        parts.push(`... on ${member.name} { ${this.#selection(member, depth, maxDepth)} }`);
      }
      return parts.join(' ');
    }
    if (!isObjectType(type)) return '__typename';
    const fields = Object.values(type.getFields());
    const usable = depth >= maxDepth ? fields.filter((field) => isLeafType(getNamedType(field.type))) : fields;
    if (usable.length === 0) return '__typename';
    return Array.from({ length: rng.between(1, 4) }, () => this.#field(rng.pick(usable), depth, maxDepth)).join(' ');
  }
}

function generate(index: number, schema: GraphQLSchema, ids: readonly number[], cursors: readonly string[], token: string): Generated {
  const rng = new Random(SEED * 1_000_003 + index);
  const auth: Record<string, string> = rng.chance(0.85) ? { authorization: `Bearer ${token}` } : rng.chance(0.5) ? { authorization: `Bearer ${randomString(rng, cursors)}`.replace(/[^\x20-\x7e]/g, '') } : {};
  const json = { 'content-type': 'application/json', ...auth };
  const kind = rng.next();
  if (kind < 0.6) {
    const { query, variables } = new OperationBuilder(rng, schema, ids, cursors, false).build();
    return { body: JSON.stringify({ query, variables }), headers: json };
  }
  if (kind < 0.68) {
    const { query, variables } = new OperationBuilder(rng, schema, ids, cursors, rng.chance(0.5)).build();
    const search = new URLSearchParams({ query, variables: JSON.stringify(variables) }).toString();
    return { body: '', method: 'GET', search, headers: { ...auth, ...(rng.chance(0.8) ? { 'apollo-require-preflight': 'true' } : {}) } };
  }
  if (kind < 0.78) {
    const { query, variables } = new OperationBuilder(rng, schema, ids, cursors, true).build();
    return { body: JSON.stringify({ query, variables }), headers: json };
  }
  if (kind < 0.83) {
    const { query } = new OperationBuilder(rng, schema, ids, cursors, false).build();
    const cut = rng.between(0, query.length);
    const broken = rng.chance(0.5) ? query.slice(0, cut) : `${query.slice(0, cut)}${rng.pick(['{', '}', '(', '$', '"', '...', '@skip', '#', '\u0000'])}${query.slice(cut)}`;
    return { body: JSON.stringify({ query: broken }), headers: json };
  }
  if (kind < 0.9) {
    const bodies = [
      '{"query":',
      '{"query": "{ viewer { id } }", "variables": "x"}',
      '{"query": 42}',
      '{"query": null}',
      '{"query": ["{ viewer { id } }"]}',
      '{"query": "{ viewer { id } }", "operationName": 7}',
      '{"query": "{ viewer { id } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "abc"}}}',
      '{"query": "{ viewer { id } }", "extensions": {"persistedQuery": "x"}}',
      '[]',
      '[{"query": "{ viewer { id } }"}]',
      '"just a string"',
      'null',
      '12',
      '{}',
      '',
      '{"query": "{ viewer { id } }"'.padEnd(2000, ' '),
      `{"query": "${'{'.repeat(5000)}"}`,
      `${'['.repeat(3000)}${']'.repeat(3000)}`,
      '{"__proto__": {"query": "{ viewer { id } }"}}',
      '{"query": "query A { viewer { id } } query B { teams { id } }"}',
      '{"query": "query A { viewer { id } }", "operationName": "Missing"}',
      '{"query": "subscription { viewer { id } }"}',
    ];
    return { body: rng.pick(bodies), headers: json };
  }
  if (kind < 0.93) {
    const size = rng.pick([200_000, 600_000, 1_000_000]);
    return { body: JSON.stringify({ query: 'mutation Huge($s: String!) { login(email: $s, password: $s) { token } }', variables: { s: 'é'.repeat(size / 2) } }), headers: json };
  }
  if (kind < 0.97) {
    const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'POST', 'POST']);
    const contentType = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', '']);
    return { body: '{"query":"{ viewer { id } }"}', method, headers: { ...auth, ...(contentType ? { 'content-type': contentType } : {}) } };
  }
  const bytes = Buffer.from(Array.from({ length: rng.between(1, 400) }, () => rng.between(0, 255)));
  return { body: bytes.toString('latin1'), headers: json };
}

/** Every match of an internal pattern in `text` that the request did not itself contain. */
function leaks(text: string, request: string): string[] {
  const found: string[] = [];
  for (const pattern of INTERNAL_PATTERNS) {
    for (const match of text.matchAll(pattern)) if (!request.includes(match[0])) found.push(match[0]);
  }
  return found;
}

describe('fuzzing the HTTP API', () => {
  let database: TestDatabase;
  let server: TestServer;
  let token: string;
  let ids: number[];
  let cursors: string[];
  const captured = captureLogger('error');

  beforeAll(async () => {
    database = await createTestDatabase('ops_fuzz');
    const f = new Fixtures(database.db);
    const viewer = await f.user('viewer@example.com');
    const other = await f.user('other@example.com');
    const team = await f.team(viewer, 'Fuzz team');
    await f.member(team, other, 'ADMIN');
    const foreign = await f.team(other, 'Foreign team');
    for (const teamId of [team, foreign]) {
      const project = await f.project(teamId, other);
      const crs = await f.crs(project, other);
      await f.comment(crs, viewer);
      const session = await f.chatSession(project, viewer);
      await f.message(session, 'USER', viewer);
      await f.message(session, 'AI', null);
      await f.notification(viewer, 'CRS_CREATED', crs);
      await f.invitation(teamId, 'viewer@example.com', other);
    }
    server = await startTestServer(database.url, { REQUEST_TIMEOUT_MS: '10000' }, { logger: captured.logger });
    token = await server.login('viewer@example.com', FIXTURE_PASSWORD);
    ids = Array.from({ length: 12 }, (_, i) => i + 1);
    const pages = await server.graphql(
      '{ projects(first: 1) { edges { cursor } } notifications(first: 1) { edges { cursor } } chatSession(id: "1") { messages(first: 1) { edges { cursor } } } }',
      {},
      token,
    );
    cursors = JSON.stringify(pages.data).match(/"cursor":"([^"]+)"/g)?.map((match) => match.slice(10, -1)) ?? [];
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it(`answers ${COUNT} generated requests (seed ${SEED}) cleanly and stays healthy`, async () => {
    const schema = buildSchema();
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    const codes: Record<string, number> = {};
    const startedAt = Date.now();
    let next = 0;
    let sent = 0;

    const worker = async () => {
      while (next < COUNT && Date.now() - startedAt < TIME_BUDGET_MS && failures.length < 20) {
        const index = next++;
        const request = generate(index, schema, ids, cursors, token);
        const label = `request #${index} (FUZZ_SEED=${SEED})`;
        let status: number;
        let text: string;
        try {
          const response = await fetch(`${server.url}/graphql${request.search ? `?${request.search}` : ''}`, {
            method: request.method ?? 'POST',
            headers: request.headers,
            body: request.method === 'GET' ? undefined : request.body,
          });
          status = response.status;
          text = await response.text();
        } catch (error) {
          failures.push(`${label}: HTTP failed (${String(error)})`);
          continue;
        }
        sent += 1;
        statuses[status] = (statuses[status] ?? 0) + 1;
        const echo = `${request.body}${request.search ? decodeURIComponent(request.search.replace(/\+/g, ' ')) : ''}`;
        if (status >= 500 && status !== 503) failures.push(`${label}: HTTP ${status} ${text.slice(0, 300)}`);
        // Node's own HTTP parser answers a too-long URL (a huge GET query) before any code runs.
        if (status === 431 && text === '') continue;
        let body: { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] };
        try {
          body = JSON.parse(text);
        } catch {
          failures.push(`${label}: not JSON (HTTP ${status}): ${text.slice(0, 200)}`);
          continue;
        }
        for (const error of body.errors ?? []) {
          const code = String(error.extensions?.code);
          codes[code] = (codes[code] ?? 0) + 1;
          if (!CONTRACT_CODES.has(code)) failures.push(`${label}: code ${code}: ${JSON.stringify(error).slice(0, 300)}`);
          if (code === 'INTERNAL_SERVER_ERROR') failures.push(`${label}: INTERNAL_SERVER_ERROR for ${request.body.slice(0, 300)}`);
          if (error.extensions?.stacktrace) failures.push(`${label}: stacktrace in extensions`);
          const found = leaks(JSON.stringify(error), echo);
          if (found.length > 0) failures.push(`${label}: internal text ${JSON.stringify(found)} in ${JSON.stringify(error).slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    const health = await fetch(`${server.url}/health`);
    const pool = (await (await fetch(`${server.url}/health/database`)).json()) as Record<string, unknown>;
    const viewer = await server.graphql('{ viewer { id } }', {}, token);
    console.log(
      `[fuzz] seed ${SEED}: ${sent} of ${COUNT} requests in ${Date.now() - startedAt} ms; HTTP ${JSON.stringify(statuses)}; codes ${JSON.stringify(codes)}; ${failures.length} failures`,
    );
    if (failures.length > 0) {
      console.log(`[fuzz] failures:\n${failures.join('\n')}\n[fuzz] server errors logged:\n${[...new Set(captured.lines().map((line) => `${line.err?.type}: ${line.err?.message}`.slice(0, 300)))].slice(0, 10).join('\n')}`);
    }

    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(Math.min(COUNT, 1000));
    expect(health.status).toBe(200);
    expect(pool).toMatchObject({ checkedOut: 0, waiting: 0 });
    expect(viewer.errors).toBeUndefined();
  });
});
