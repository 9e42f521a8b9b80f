import type { RequestHandler } from 'express';
import { requestRecordOf } from '../requestLogging';

export const OVERLOADED_MESSAGE = 'The server is busy: retry in a few seconds.';

export interface InFlightLimitOptions {
  /** GraphQL requests executing at once; the rest wait in a queue. */
  maxInFlight: number;
  /** Requests allowed to wait; beyond that a request is refused at once. */
  maxQueued: number;
  /** Told of every refused request (the requests-shed counter). */
  onShed?: () => void;
}

/**
 * Bounds the GraphQL requests executing at once. Memory follows the requests in flight (each
 * holds its rows, loaders and response), so a fixed number of executions keeps the process near
 * a known ceiling under any load; a short FIFO queue absorbs bursts, and a request that finds
 * the queue full is refused at once with HTTP 503 SERVICE_UNAVAILABLE and Retry-After, instead
 * of waiting without end. Requests in the queue still count against REQUEST_TIMEOUT_MS.
 */
export function inFlightLimit(options: InFlightLimitOptions): RequestHandler {
  let inFlight = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    const next = queue.shift();
    if (next) next();
    else inFlight -= 1;
  };

  return (_req, res, next) => {
    const start = () => {
      let released = false;
      const done = () => {
        if (released) return;
        released = true;
        release();
      };
      res.once('finish', done);
      res.once('close', done);
      next();
    };
    if (inFlight < options.maxInFlight) {
      inFlight += 1;
      start();
      return;
    }
    if (queue.length < options.maxQueued) {
      const waiting = () => {
        // A client that gave up while queued gives its turn straight to the next one.
        if (res.destroyed || res.headersSent) release();
        else start();
      };
      queue.push(waiting);
      return;
    }
    options.onShed?.();
    const record = requestRecordOf(res);
    record?.errorCodes.push('SERVICE_UNAVAILABLE');
    res.status(503).set('Retry-After', '1').json({
      errors: [{ message: OVERLOADED_MESSAGE, extensions: { code: 'SERVICE_UNAVAILABLE', requestId: record?.id } }],
    });
  };
}
