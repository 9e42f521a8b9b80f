import { CamelCasePlugin, type PluginTransformResultArgs, type QueryResult, type UnknownRow } from 'kysely';

/**
 * Kysely's CamelCasePlugin (snake_case in SQL, camelCase in TypeScript), except that a result
 * whose rows already have camelCase names is passed on as it is. The plugin copies every row into
 * a new object with renamed keys; a statement that selects camelCase aliases itself (the comments
 * of a nested query: 15,000 rows) would pay that copy, and its garbage, for nothing.
 *
 * A result is passed on when its first row has no `_` in any name and no nested object or array
 * (the plugin would rename keys inside those): all rows of a result have the same columns and
 * types, and such a row maps to an equal one.
 */
export class CamelCaseRowsPlugin extends CamelCasePlugin {
  override async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const [first] = args.result.rows ?? [];
    if (first !== undefined && isAlreadyCamelCase(first)) return args.result;
    return super.transformResult(args);
  }
}

function isAlreadyCamelCase(row: UnknownRow): boolean {
  for (const key in row) {
    if (key.includes('_')) return false;
    const value = row[key];
    if (Array.isArray(value) || (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype)) return false;
  }
  return true;
}
