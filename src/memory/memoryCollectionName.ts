/** What a memory collection's vectors depend on. */
export interface MemoryCollectionKey {
  /** The MySQL database the memories belong to, so two databases never share vectors. */
  readonly databaseName: string;
  /** The embedding model's id (EMBEDDING_MODEL), so switching models never mixes vectors. */
  readonly modelId: string;
  /** The embedding's length. */
  readonly dimension: number;
}

/** Chroma's limit is 512; a layout appends up to 32 characters (e.g. `__shard15of16`). */
const MAX_NAME_LENGTH = 480;

/**
 * Names the Chroma collection of one database, model and dimension, e.g.
 * `bridgeai__use-lite__512` or `bridgeai__Xenova-all-MiniLM-L6-v2__384`.
 *
 * Chroma accepts 3–512 characters from `[a-zA-Z0-9._-]`, starting and ending with a letter or
 * digit, without `..`; any other character becomes `-`.
 */
export function memoryCollectionName({ databaseName, modelId, dimension }: MemoryCollectionKey): string {
  if (!Number.isSafeInteger(dimension) || dimension < 1) {
    throw new Error(`An embedding dimension must be a whole number of at least 1 (got ${dimension}).`);
  }
  const name = [databaseName, modelId, String(dimension)]
    .map((part) => part.replace(/[^a-zA-Z0-9._-]/g, '-').replace(/\.{2,}/g, '.'))
    .join('__')
    .replace(/^[^a-zA-Z0-9]+/, '');
  if (name.length > MAX_NAME_LENGTH) {
    throw new Error(
      `The Chroma collection name for database "${databaseName}" and model "${modelId}" is longer than ` +
        `${MAX_NAME_LENGTH} characters; use a shorter model id or database name.`,
    );
  }
  return name;
}
