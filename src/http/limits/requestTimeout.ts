import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { requestRecordOf } from '../requestLogging';

export const REQUEST_TIMEOUT_MESSAGE = 'The server could not answer this request in time; retry in a few seconds.';

/**
 * Answers a request still unanswered after `timeoutMs` with HTTP 503 and SERVICE_UNAVAILABLE,
 * so a client never hangs on a stuck database or dependency. The work already started goes on
 * until its SQL statement meets the same limit in the database (src/db/statementTimeLimit.ts);
 * its late response is dropped by {@link dropLateResponse}.
 */
export function requestTimeout(options: { timeoutMs: number; logger: Logger }): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      const record = requestRecordOf(res);
      if (record) {
        record.timedOut = true;
        record.errorCodes.push('SERVICE_UNAVAILABLE');
      }
      options.logger.warn({ requestId: record?.id, timeoutMs: options.timeoutMs }, 'request timed out');
      res.status(503).json({
        errors: [{ message: REQUEST_TIMEOUT_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', requestId: record?.id } }],
      });
    }, options.timeoutMs);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}

/**
 * After a timeout answered the request, the handler's own response fails with "headers already
 * sent"; that failure is expected and dropped here instead of reaching Express's final handler,
 * which would destroy the (keep-alive) connection.
 */
export const dropLateResponse: ErrorRequestHandler = (error, _req, res, next) => {
  if (requestRecordOf(res)?.timedOut && res.headersSent) return;
  next(error);
};
