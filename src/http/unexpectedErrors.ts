import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';
import { INTERNAL_ERROR_MESSAGE } from './formatError';
import { requestRecordOf } from './requestLogging';

/**
 * Express's last error handler: whatever no other handler answered leaves as JSON in the
 * contract's shape, never as Express's HTML page (which shows the stack outside production).
 * A client error raised while reading the request (http-errors with a 4xx status and an
 * exposable message, e.g. 415 for a charset other than UTF-8) keeps its status as
 * BAD_USER_INPUT; anything else is a 500 INTERNAL_SERVER_ERROR with the fixed message, its
 * details going to the log under the request id.
 */
export function unexpectedErrors(logger: Logger): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const requestId = requestRecordOf(res)?.id;
    const { status, expose, message } = error as { status?: unknown; expose?: unknown; message?: unknown };
    if (res.headersSent) {
      logger.error({ err: error, requestId }, 'error after the response started');
      res.destroy();
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500 && expose === true && typeof message === 'string') {
      res.status(status).json({ errors: [{ message: `The request could not be read: ${message}.`, extensions: { code: 'BAD_USER_INPUT', requestId } }] });
      return;
    }
    logger.error({ err: error, requestId }, 'unexpected error');
    res.status(500).json({ errors: [{ message: INTERNAL_ERROR_MESSAGE, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
  };
}
