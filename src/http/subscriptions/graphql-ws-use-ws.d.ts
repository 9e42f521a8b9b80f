// graphql-ws publishes its ws adapter as the export 'graphql-ws/use/ws', which TypeScript's "node"
// module resolution (this project's) cannot read from package.json "exports"; Node resolves it.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
