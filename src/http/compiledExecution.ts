import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { execute, getVariableValues, GraphQLError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;

/**
 * Apollo Server's documented seam for replacing execution is a gateway; this one serves our own
 * schema and executes each operation with a function that graphql-jit compiled for that document
 * (once per parsed document and operation name), instead of graphql-js walking the document
 * field by field. Parsing, validation, limits, persisted queries, plugins and error formatting
 * stay Apollo's; only `execute` changes.
 *
 * Why: graphql-js allocates a promise and a result map per object and calls every resolver
 * through the same generic path; on the nested query (15,000 comments) that was 60 % garbage
 * collection (bench/results/PROFILE.md). The compiled function reads plain fields inline.
 */
export function compiledExecutionGateway(schema: GraphQLSchema): GatewayInterface {
  return {
    async load() {
      return { executor: compiledExecutor(schema) };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return () => undefined;
    },
    async stop() {},
  };
}

/**
 * Set by Apollo Server on the context when a plugin asked for per-field hooks (`willResolveField`:
 * the cache-control policy of an anonymous GET, src/http/cacheHeaders.ts). Such a request runs
 * through graphql-js, where Apollo wraps every resolver; a compiled function may have captured
 * the resolvers before the wrapping.
 */
const FIELD_HOOKS = 'apolloServerExecutionDispatcherWillResolveField';

function compiledExecutor(schema: GraphQLSchema): GatewayExecutor {
  // Apollo keeps each parsed document in its document store and hands the same object back for
  // the same query text, so a WeakMap keeps one compilation per document while Apollo keeps it.
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();

  return async ({ document, operation, request, context }) => {
    // The name the client asked for; the context's operationName is the one Apollo resolved (null when none).
    const operationName = request.operationName;
    // No operation (an unknown or missing operationName): graphql-js reports it as it always has.
    if (!operation || hasFieldHooks(context)) {
      return execute({ schema, document, operationName, variableValues: request.variables, contextValue: context });
    }
    // graphql-js's own coercion, so a bad variable is the same error as ever: located at the
    // variable's definition, which Apollo answers with BAD_USER_INPUT and HTTP 400.
    if (operation.variableDefinitions?.length) {
      const variables = getVariableValues(schema, operation.variableDefinitions, request.variables ?? {}, { maxErrors: 50 });
      if (variables.errors) return { errors: variables.errors };
    }
    let byOperation = compiled.get(document);
    if (!byOperation) {
      byOperation = new Map();
      compiled.set(document, byOperation);
    }
    const key = operationName ?? '';
    let query = byOperation.get(key);
    if (!query) {
      query = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
      byOperation.set(key, query);
    }
    // A document that cannot be compiled (no such operation) comes back as an error result,
    // the same one graphql-js would give.
    if (!isCompiledQuery(query)) return query;
    const result = await query.query(undefined, context, request.variables ?? {});
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
}

/**
 * graphql-jit's errors leave `extensions` undefined where the thrown error had none; Apollo
 * Server (and our formatError) expect graphql-js's shape: the thrown error as `originalError`,
 * its extensions copied, and the error's path and locations.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions,
  });
  Object.defineProperty(converted, 'locations', { value: error.locations, enumerable: error.locations !== undefined });
  return converted;
}

function hasFieldHooks(context: object): boolean {
  return Object.getOwnPropertySymbols(context).some((symbol) => symbol.description === FIELD_HOOKS);
}
