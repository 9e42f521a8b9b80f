import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logger';

/** What the one log line of a request says; the GraphQL layer fills in its part. */
export interface RequestRecord {
  readonly id: string;
  readonly startedAt: number;
  operationName?: string;
  operationType?: string;
  sqlCount?: number;
  /** `ok` or `error` from the GraphQL response; the log line adds `timeout` and `aborted`. */
  outcome?: 'ok' | 'error';
  /** extensions.code of every error the client was sent. */
  readonly errorCodes: string[];
  timedOut: boolean;
}

/** Header carrying the request id both ways. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * An incoming request id is reused when it is a plain token (letters, digits, `.`, `_`, `:`,
 * `-`, at most 128): enough for UUIDs and trace ids, nothing that could forge a log line.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Paths polled by probes and scrapers: logged at debug so they do not drown the requests. */
const QUIET_PATHS = new Set(['/health', '/health/ready', '/health/database', '/metrics']);

/**
 * Where a GraphQL context holds its request's record. A symbol, so no resolver sees it, and an
 * own property, since Apollo Server hands plugins a shallow copy of the context.
 */
const REQUEST_RECORD = Symbol('requestRecord');

/**
 * Ties a request's record to its GraphQL context, so the Apollo plugins, which see the context,
 * fill in the GraphQL part of the request's log line.
 */
export function attachRecord<C extends object>(context: C, record: RequestRecord | undefined): C {
  if (record) (context as { [REQUEST_RECORD]?: RequestRecord })[REQUEST_RECORD] = record;
  return context;
}

/** The record {@link attachRecord} tied to this GraphQL context. */
export function recordOfContext(context: object): RequestRecord | undefined {
  return (context as { [REQUEST_RECORD]?: RequestRecord })[REQUEST_RECORD];
}

/** The record {@link requestLogging} attached to this response. */
export function requestRecordOf(res: Response): RequestRecord | undefined {
  return res.locals.requestRecord as RequestRecord | undefined;
}

/** The incoming X-Request-Id when it is a sane token, else a new UUID. */
function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * First middleware of the app: gives the request an id (echoed in `X-Request-Id`), and writes
 * one JSON line when the response is sent or the client goes away, with the request id,
 * operation name and type, duration in ms, SQL statement count, HTTP status and outcome.
 */
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    // Read now: inside app.use('/graphql', …) Express shows req.path without the mount path.
    const path = req.path.slice(0, 200);
    const record: RequestRecord = {
      id: requestIdFrom(req.headers['x-request-id']),
      startedAt: performance.now(),
      errorCodes: [],
      timedOut: false,
    };
    res.locals.requestRecord = record;
    res.setHeader(REQUEST_ID_HEADER, record.id);
    let logged = false;
    const log = (finished: boolean) => {
      if (logged) return;
      logged = true;
      const line = logLine(req.method, path, res, record, finished);
      const level = QUIET_PATHS.has(path) ? 'debug' : res.statusCode >= 500 || !finished ? 'warn' : 'info';
      logger[level](line, 'request');
    };
    res.once('finish', () => log(true));
    res.once('close', () => log(res.writableFinished));
    next();
  };
}

function logLine(method: string, path: string, res: Response, record: RequestRecord, finished: boolean) {
  const outcome = record.timedOut
    ? 'timeout'
    : !finished
      ? 'aborted'
      : (record.outcome ?? (res.statusCode < 400 ? 'ok' : 'error'));
  return {
    requestId: record.id,
    method,
    path,
    status: res.statusCode,
    durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
    operationName: record.operationName,
    operationType: record.operationType,
    sqlCount: record.sqlCount,
    outcome,
    ...(record.errorCodes.length > 0 ? { errorCodes: [...new Set(record.errorCodes)] } : {}),
  };
}
