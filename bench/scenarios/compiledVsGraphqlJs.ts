import { serverComparison } from './serverComparison';

/** The executor alone: GRAPHQL_EXECUTION=compiled (the default) vs graphql-js. */
export const compiledVsGraphqlJs = serverComparison({
  name: 'compiled-vs-graphql-js',
  title: 'Execution: operations compiled by graphql-jit vs graphql-js',
  sides: [
    { name: 'compiled', server: { env: { GRAPHQL_EXECUTION: 'compiled' } } },
    { name: 'graphql-js', server: { env: { GRAPHQL_EXECUTION: 'graphql-js' } } },
  ],
  what:
    'Two optimized production servers that differ only in GRAPHQL_EXECUTION: `compiled` runs each operation as a function graphql-jit compiled ' +
    'once per parsed document (src/http/compiledExecution.ts); `graphql-js` is the reference executor. Parsing, validation, limits, plugins ' +
    "and error formatting are Apollo Server's on both.",
});
