import { dirname, join } from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { Router } from 'express';

/** Where the playground's files are served; the page itself is GET /graphql for a browser. */
export const PLAYGROUND_ASSETS_PATH = '/playground/assets';

/** Directory of an installed npm package (these packages do not export their UMD files). */
function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The UMD builds GraphiQL needs, from node_modules: the page loads nothing from elsewhere. */
const ASSET_FILES: Readonly<Record<string, string>> = {
  'react.production.min.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.production.min.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

const DEFAULT_QUERY = `# BridgeAI GraphQL playground
#
# 1. Run this login (demo user: test@example.com / testpass).
# 2. In Headers below: "Authorization": "Bearer <token>".
# 3. Then ask, e.g.: { viewer { fullName teams { name } } }
# The Docs button (top left) shows the schema.

mutation Login {
  login(email: "test@example.com", password: "testpass") {
    token
    user { fullName }
  }
}
`;

/**
 * Starts GraphiQL against this page's own URL, with the headers editor open for the token.
 * Subscriptions go over graphql-ws to the same path (GraphiQL bundles its client), with the
 * headers editor's values as the connection_init payload.
 */
const PLAYGROUND_SCRIPT = `(function () {
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var url = window.location.origin + window.location.pathname;
  root.render(React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: url, subscriptionUrl: url.replace(/^http/, 'ws') }),
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    defaultHeaders: ${JSON.stringify('{\n  "Authorization": ""\n}')},
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false
  }));
})();
`;

const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>BridgeAI GraphQL playground</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${PLAYGROUND_ASSETS_PATH}/graphiql.min.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script src="${PLAYGROUND_ASSETS_PATH}/react.production.min.js"></script>
  <script src="${PLAYGROUND_ASSETS_PATH}/react-dom.production.min.js"></script>
  <script src="${PLAYGROUND_ASSETS_PATH}/graphiql.min.js"></script>
  <script src="${PLAYGROUND_ASSETS_PATH}/playground.js"></script>
</body>
</html>
`;

/**
 * Replaces Apollo Server's landing page (which loads Apollo Sandbox from a CDN): a browser's
 * GET /graphql (Accept: text/html) gets GraphiQL, served entirely by this server.
 */
export function playgroundLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html: PLAYGROUND_HTML };
        },
      };
    },
  };
}

/** Serves the playground's files under PLAYGROUND_ASSETS_PATH; unknown names fall through (404). */
export function playgroundAssets(): Router {
  const router = Router();
  router.get(`${PLAYGROUND_ASSETS_PATH}/playground.js`, (_req, res) => {
    res.type('text/javascript').set('cache-control', 'no-cache').send(PLAYGROUND_SCRIPT);
  });
  router.get(`${PLAYGROUND_ASSETS_PATH}/:file`, (req, res, next) => {
    if (!Object.hasOwn(ASSET_FILES, req.params.file)) return next();
    const file = ASSET_FILES[req.params.file];
    // The files change only with the package versions; revalidating keeps upgrades visible.
    res.sendFile(file, { headers: { 'cache-control': 'public, max-age=3600' } });
  });
  return router;
}
