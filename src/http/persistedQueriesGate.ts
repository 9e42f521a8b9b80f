import type { Request, RequestHandler, Response } from 'express';
import { type PersistedOperationsManifest, sha256Hex } from './persistedQueriesManifest';
import { requestRecordOf } from './requestLogging';

export interface PersistedQueriesGateOptions {
  /** `only`: execute nothing but the manifest's operations (PERSISTED_OPERATIONS). */
  mode: 'allow' | 'only';
  manifest: PersistedOperationsManifest;
}

/** What a GraphQL request over HTTP says about its document, before Apollo Server reads it. */
interface RequestedDocument {
  query: unknown;
  persistedQuery: unknown;
}

/**
 * Express middleware in front of Apollo Server for the persisted-query part of a request
 * (contract/README.md "Persisted queries"):
 *
 * - a malformed `extensions.persistedQuery`, or a sha256Hash that is not the hash of the query
 *   sent with it, is a 400 BAD_USER_INPUT that says what was wrong (Apollo Server would refuse
 *   both too, but with a message our error masking hides);
 * - with mode `only`, an operation is executed only when its hash (`sha256Hash`) or the sha256 of
 *   its full text is in the manifest; anything else is HTTP 400 with one GraphQL error whose
 *   code is PERSISTED_QUERY_NOT_ALLOWED, before it is parsed or executed.
 *
 * A request that names no document (no query, no hash) goes on: Apollo Server answers it
 * (the playground for a browser, a 400 otherwise).
 */
export function persistedQueriesGate(options: PersistedQueriesGateOptions): RequestHandler {
  const { mode, manifest } = options;
  return (req, res, next) => {
    if (mode === 'only' && Array.isArray(req.body)) {
      // Batching is off anyway; should it ever be turned on, a batch must not bypass the manifest.
      return refuse(req, res, 'PERSISTED_QUERY_NOT_ALLOWED', 'Batched requests are not accepted: send one operation per request.');
    }
    const requested = requestedDocument(req);
    if (!requested) return next();
    const { query, persistedQuery } = requested;

    let hash: string | undefined;
    if (persistedQuery !== undefined) {
      if (!isPersistedQueryExtension(persistedQuery)) {
        return refuse(req, res, 'BAD_USER_INPUT',
          'extensions.persistedQuery must be {"version": 1, "sha256Hash": "<64 lowercase hex digits>"} (Apollo\'s automatic persisted queries, version 1).');
      }
      hash = persistedQuery.sha256Hash;
      if (typeof query === 'string' && sha256Hex(query) !== hash) {
        return refuse(req, res, 'BAD_USER_INPUT',
          'extensions.persistedQuery.sha256Hash is not the sha256 of the query sent with it: hash the exact query text (UTF-8, hex digest) or send the hash alone.');
      }
    }
    if (mode === 'allow') return next();

    hash ??= typeof query === 'string' ? sha256Hex(query) : undefined;
    if (hash === undefined || manifest[hash] === undefined) {
      return refuse(req, res, 'PERSISTED_QUERY_NOT_ALLOWED',
        'This server executes only trusted documents (PERSISTED_OPERATIONS=only): send the sha256Hash of an operation in schema/persisted-operations.json, or its exact text. New operations go into schema/operations/ and npm run codegen.');
    }
    next();
  };
}

/** The query and persistedQuery extension of a POST body or GET parameters; undefined when it names neither. */
function requestedDocument(req: Request): RequestedDocument | undefined {
  let query: unknown;
  let extensions: unknown;
  if (req.method === 'GET') {
    query = req.query.query;
    extensions = req.query.extensions;
    if (typeof extensions === 'string') {
      try {
        extensions = JSON.parse(extensions);
      } catch {
        // Apollo Server reports the malformed parameter itself; it names no document we could check.
        extensions = undefined;
      }
    }
  } else if (req.method === 'POST' && isRecord(req.body)) {
    query = req.body.query;
    extensions = req.body.extensions;
  } else {
    return undefined;
  }
  // null counts as absent, as in Apollo Server.
  const persistedQuery = isRecord(extensions) ? (extensions.persistedQuery ?? undefined) : undefined;
  if ((query === undefined || query === '') && persistedQuery === undefined) return undefined;
  return { query, persistedQuery };
}

function isPersistedQueryExtension(value: unknown): value is { version: 1; sha256Hash: string } {
  return isRecord(value) && value.version === 1 && typeof value.sha256Hash === 'string' && /^[0-9a-f]{64}$/.test(value.sha256Hash);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A GraphQL error response in the media type the client accepts (the same preference as Apollo
 * Server's), with the request id like every other error, and its code in the request's log line.
 */
function refuse(req: Request, res: Response, code: string, message: string): void {
  const record = requestRecordOf(res);
  record?.errorCodes.push(code);
  const accepted = req.accepts(['application/json', 'application/graphql-response+json']) || 'application/json';
  res
    .status(400)
    .type(`${accepted}; charset=utf-8`)
    .set('cache-control', 'no-store')
    .send(JSON.stringify({ errors: [{ message, extensions: { code, requestId: record?.id } }] }));
}
