import type { Logger } from '../logger';

/** Time allowed after the drain for closing the pool and the rest of stop() before a hard exit. */
export const CLOSE_ALLOWANCE_MS = 5000;

export interface GracefulShutdownOptions {
  /** Stops accepting, waits for in-flight requests (bounded by their grace period), closes everything. */
  readonly stop: () => Promise<void>;
  readonly logger: Logger;
  /** SHUTDOWN_TIMEOUT_MS: the in-flight requests' grace period, which `stop` is configured with. */
  readonly drainTimeoutMs: number;
  readonly signals?: readonly NodeJS.Signals[];
  readonly exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish (the HTTP
 * drain gives them `drainTimeoutMs`, then closes their connections), close the pool and the
 * rest, and exit 0. Exits 1 when stopping fails or overruns the drain by more than a few
 * seconds, and at once on a second signal, so an orchestrator's kill is never needed.
 *
 * Returns a function that starts the same shutdown without a signal (a cluster worker asked by
 * its primary); it does nothing once shutdown has begun, so it never counts as a second signal.
 */
export function installGracefulShutdown(options: GracefulShutdownOptions): (cause: string) => void {
  const { stop, logger, drainTimeoutMs, signals = ['SIGTERM', 'SIGINT'], exit = (code) => process.exit(code) } = options;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal during shutdown: exiting now');
      exit(1);
      return;
    }
    shutDown({ signal });
  };
  const shutDown = (reason: { signal: NodeJS.Signals } | { cause: string }) => {
    stopping = true;
    logger.info({ ...reason, drainTimeoutMs }, 'shutting down: no new connections, finishing in-flight requests');
    const startedAt = performance.now();
    const deadline = setTimeout(() => {
      logger.error({ afterMs: drainTimeoutMs + CLOSE_ALLOWANCE_MS }, 'shutdown did not complete in time: exiting');
      exit(1);
    }, drainTimeoutMs + CLOSE_ALLOWANCE_MS);
    stop().then(
      () => {
        clearTimeout(deadline);
        logger.info({ durationMs: Math.round(performance.now() - startedAt) }, 'stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return (cause) => {
    if (!stopping) shutDown({ cause });
  };
}
