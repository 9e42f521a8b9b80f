import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { manifestFromClientPreset, printManifest } from '../http/persistedQueriesManifest';

/**
 * Writes schema/persisted-operations.json, the contract's trusted-documents manifest, from the
 * persisted-documents.json that GraphQL Code Generator just wrote (run by `npm run codegen`).
 */
const schemaDir = join(__dirname, '..', '..', '..', 'schema');
const source = join(schemaDir, 'generated', 'persisted-documents.json');
const target = join(schemaDir, 'persisted-operations.json');
const manifest = manifestFromClientPreset(JSON.parse(readFileSync(source, 'utf8')) as Record<string, string>);
writeFileSync(target, printManifest(manifest));
console.log(`wrote ${target} (${Object.keys(manifest).length} operations)`);
