import { createHash } from 'node:crypto';
import manifestFile from '../../schema/persisted-operations.json';

/**
 * The trusted documents: `{ "<sha256 hex>": "<document text>" }`, the operations of
 * schema/operations/ as `npm run codegen` printed them (contract/README.md "Persisted queries").
 */
export type PersistedOperationsManifest = Readonly<Record<string, string>>;

/** schema/persisted-operations.json, as committed. */
export const persistedOperations: PersistedOperationsManifest = Object.freeze({ ...(manifestFile as Record<string, string>) });

/** The hex sha256 of a document's text: the id of Apollo's APQ protocol and of the manifest. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The contract's manifest from the codegen client preset's persisted-documents.json, whose
 * keys read `sha256:<hex>` (the GraphQL-over-HTTP draft's document id): the keys lose the
 * prefix, and each is checked against its text so a hand-edited file cannot slip through.
 */
export function manifestFromClientPreset(persistedDocuments: Record<string, string>): PersistedOperationsManifest {
  const manifest: Record<string, string> = {};
  for (const [id, text] of Object.entries(persistedDocuments)) {
    const hash = id.replace(/^sha256:/, '');
    if (hash !== sha256Hex(text)) {
      throw new Error(`persisted document ${id} is not the sha256 of its text: regenerate it with npm run codegen`);
    }
    manifest[hash] = text;
  }
  return Object.freeze(manifest);
}

/** The manifest as schema/persisted-operations.json holds it. */
export function printManifest(manifest: PersistedOperationsManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
