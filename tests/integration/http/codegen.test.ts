import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, validate } from 'graphql';
import { buildSchema, printSchemaSdl } from '../../../schema/buildSchema';
import {
  manifestFromClientPreset,
  persistedOperations,
  printManifest,
  sha256Hex,
} from '../../../src/http/persistedQueriesManifest';

const root = join(__dirname, '..', '..', '..');
const STALE = 'is stale: run npm run codegen and commit the result';

/**
 * Runs GraphQL Code Generator with the project's codegen.yml in a scratch copy of what it reads
 * (the SDL the code emits now, schema/operations/), so the working tree is never touched.
 * Returns the files it wrote under schema/generated/, by name.
 */
async function regenerate(): Promise<Map<string, string>> {
  const scratch = mkdtempSync(join(tmpdir(), 'bridgeai-codegen-'));
  try {
    mkdirSync(join(scratch, 'schema'));
    writeFileSync(join(scratch, 'schema', 'schema.graphql'), printSchemaSdl());
    cpSync(join(root, 'schema', 'operations'), join(scratch, 'schema', 'operations'), { recursive: true });
    cpSync(join(root, 'codegen.yml'), join(scratch, 'codegen.yml'));
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', '.bin', 'graphql-codegen'), '--config', 'codegen.yml', '--silent'], {
      cwd: scratch,
    });
    const outputDir = join(scratch, 'schema', 'generated');
    return new Map(readdirSync(outputDir).map((name) => [name, readFileSync(join(outputDir, name), 'utf8')]));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('generated client documents and the persisted-operations manifest', () => {
  let generated: Map<string, string>;

  beforeAll(async () => {
    generated = await regenerate();
  });

  it('writes the typed documents and the client preset manifest under schema/generated/', () => {
    expect([...generated.keys()].sort()).toEqual(['gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json']);
    expect(readdirSync(join(root, 'schema', 'generated')).sort()).toEqual([...generated.keys()].sort());
  });

  it.each(['gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json'])(`schema/generated/%s is up to date (or it ${STALE})`, (name) => {
    const committed = readFileSync(join(root, 'schema', 'generated', name), 'utf8');
    expect(committed === generated.get(name)).toBe(true);
  });

  it(`schema/persisted-operations.json is up to date (or it ${STALE})`, () => {
    const fromPreset = JSON.parse(generated.get('persisted-documents.json')!) as Record<string, string>;
    const committed = readFileSync(join(root, 'schema', 'persisted-operations.json'), 'utf8');
    expect(committed).toBe(printManifest(manifestFromClientPreset(fromPreset)));
  });

  it('holds every operation of schema/operations/, each valid against the schema and keyed by its sha256', () => {
    const schema = buildSchema();
    const names = Object.values(persistedOperations).map((text) => /^(?:query|mutation) (\w+)/.exec(text)?.[1]);
    expect(names).toEqual(expect.arrayContaining(['Login', 'SignUp', 'Viewer', 'Teams', 'Projects', 'Project', 'Notifications', 'ChatSessionMessages', 'SearchMemory']));
    for (const [hash, text] of Object.entries(persistedOperations)) {
      expect(sha256Hex(text)).toBe(hash);
      expect(validate(schema, parse(text)).map((error) => error.message)).toEqual([]);
    }
  });
});
