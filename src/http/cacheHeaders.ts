import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import type { RequestHandler } from 'express';

/** How long a shared cache (a CDN) may keep an anonymous GET query's answer. */
export const PUBLIC_MAX_AGE_SECONDS = 60;

/**
 * Apollo's cache-control plugin computes each response's cache policy (from @cacheControl hints;
 * fields without one get PUBLIC_MAX_AGE_SECONDS) but leaves the header to cacheHeadersPlugin,
 * which knows what Apollo's plugin does not: who asked.
 */
export function cachePolicyPlugin(): ApolloServerPlugin {
  const plugin = ApolloServerPluginCacheControl({ defaultMaxAge: PUBLIC_MAX_AGE_SECONDS, calculateHttpHeaders: false });
  return {
    ...plugin,
    // The policy costs a hook on every resolved field (9 % of the nested query's CPU, measured in
    // bench/FINDINGS.md) and only an anonymous GET reads it, so no other request computes it.
    async requestDidStart(context) {
      const http = context.request.http;
      if (!http || http.method !== 'GET' || http.headers.has('authorization')) return undefined;
      return plugin.requestDidStart?.(context);
    },
  };
}

/**
 * The Cache-Control header of GraphQL responses. Only an answer that cannot depend on who asked
 * may be stored by a shared cache: a GET query without an Authorization header (we use no
 * cookies, so such a request has no viewer) that succeeded. It gets `public, max-age=N`, N from
 * the cache policy. Anything sent with an Authorization header gets `private, no-store`, so no
 * cache ever keeps one viewer's data; everything else (POST, mutations, errors) `no-store`,
 * except that Apollo's own header on PERSISTED_QUERY_NOT_FOUND (`private, no-cache`) stays.
 */
export function cacheHeadersPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, operation, overallCachePolicy }) {
          const headers = response.http.headers;
          if (request.http?.headers.has('authorization')) {
            headers.set('cache-control', 'private, no-store');
            return;
          }
          if (headers.has('cache-control')) return;
          const succeeded = response.body.kind === 'single' && !response.body.singleResult.errors?.length;
          const maxAge = overallCachePolicy.maxAge ?? PUBLIC_MAX_AGE_SECONDS;
          if (request.http?.method === 'GET' && operation?.operation === 'query' && succeeded && maxAge > 0) {
            const scope = overallCachePolicy.scope === 'PRIVATE' ? 'private' : 'public';
            headers.set('cache-control', `${scope}, max-age=${maxAge}`);
          } else {
            headers.set('cache-control', 'no-store');
          }
        },
      };
    },
  };
}

/**
 * /graphql answers differ by Accept (JSON media types, or the playground's HTML) and by
 * Authorization (the viewer): caches must key on both. Set before Apollo Server so the
 * playground page and early errors carry it too.
 */
export const varyByAcceptAndAuthorization: RequestHandler = (_req, res, next) => {
  res.vary('Accept');
  res.vary('Authorization');
  next();
};
