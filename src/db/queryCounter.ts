import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Counts the SQL statements one request sends. Installed per request with
 * `db.withPlugin(counter)`; Kysely calls `transformQuery` once for every statement it
 * executes (builder or raw `sql`), so the count is exact.
 */
export class QueryCounter implements KyselyPlugin {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.#count += 1;
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
