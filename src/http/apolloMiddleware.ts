import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { errorBodyWithRequestId } from './errorRequestIds';
import { attachRecord, requestRecordOf } from './requestLogging';

/**
 * Apollo Server behind Express: what @as-integrations/express5 does (Apollo's documented
 * `executeHTTPGraphQLRequest` seam), plus the request's record tied to its GraphQL context
 * (requestLogging.ts) and request ids in the errors Apollo answers before its plugins run. The
 * answer leaves in one `writeHead` and `end`, without Express's `send`, which would inspect and
 * re-encode the body for ETags and HEAD on every response.
 */
export function apolloMiddleware<C extends BaseContext>(
  apollo: ApolloServer<C>,
  createContext: (req: Request, res: Response) => C | Promise<C>,
): RequestHandler {
  apollo.assertStarted('apolloMiddleware()');
  return async (req, res, next) => {
    try {
      const headers = new HeaderMap();
      for (const name in req.headers) {
        const value = req.headers[name];
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const query = req.url.indexOf('?');
      const record = requestRecordOf(res);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method.toUpperCase(), headers, search: query === -1 ? '' : req.url.slice(query), body: req.body },
        context: async () => attachRecord(await createContext(req, res), record),
      });
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        const body = Buffer.from(record ? errorBodyWithRequestId(response.body.string, record) : response.body.string);
        res.setHeader('content-length', body.length);
        res.end(body);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      next(error);
    }
  };
}
