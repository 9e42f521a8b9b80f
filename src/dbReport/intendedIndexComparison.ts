import type { TableStatistics } from './indexStatistics';

/** A secondary index by table, name and columns. */
export interface NamedIndex {
  readonly table: string;
  readonly name: string;
  readonly columns: string;
}

/** How the live indexes differ from the ones the migrations create. */
export interface IntendedIndexComparison {
  /** Intended, but no index of that name exists. */
  readonly missing: readonly NamedIndex[];
  /** Present, but not intended (by hand, or made by InnoDB for a foreign key). */
  readonly unintended: readonly NamedIndex[];
  /** Present under the intended name, on other columns. */
  readonly differing: readonly (NamedIndex & { readonly intendedColumns: string })[];
}

/**
 * Compares the live secondary indexes with `intended` (db-migrations/intendedIndexes.ts: table →
 * index name → columns). Indexes of tables the map does not know are unintended too.
 */
export function compareWithIntendedIndexes(
  tables: readonly TableStatistics[],
  intended: Readonly<Record<string, Readonly<Record<string, string>>>>,
): IntendedIndexComparison {
  const present = new Map(tables.map((table) => [table.name, new Map(table.indexes.map((index) => [index.name, index.columns]))]));
  const missing: NamedIndex[] = [];
  const differing: (NamedIndex & { intendedColumns: string })[] = [];
  for (const [table, indexes] of Object.entries(intended)) {
    for (const [name, intendedColumns] of Object.entries(indexes)) {
      const columns = present.get(table)?.get(name);
      if (columns === undefined) missing.push({ table, name, columns: intendedColumns });
      else if (columns !== intendedColumns) differing.push({ table, name, columns, intendedColumns });
    }
  }
  const unintended = tables.flatMap((table) =>
    table.indexes.filter((index) => intended[table.name]?.[index.name] === undefined).map((index) => ({ table: table.name, name: index.name, columns: index.columns })),
  );
  return { missing, unintended, differing };
}
