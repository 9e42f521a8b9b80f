import cluster from 'node:cluster';
import { loadConfig } from '../config';
import { startServer } from '../http/server';
import { installGracefulShutdown } from '../http/shutdown';
import { createLogger } from '../logger';
import { clusterMetricsText } from '../observability/clusterMetrics';
import { isClusterMessage, RUNS_OUTBOX_VARIABLE, type ClusterMessage } from './clusterMessages';

/**
 * A worker of `npm start`'s cluster (clusterPrimary.ts): serves the API on the shared port
 * with its own pool, and nothing else. The primary did the one-time work and passed on the Chroma
 * URL and the JWT secret in the environment; whether this worker runs the memory outbox worker
 * is in RUNS_OUTBOX_VARIABLE. Its log lines carry its cluster id (`worker`).
 *
 * It shuts down gracefully on SIGTERM/SIGINT (a signal to the whole process group, Ctrl-C) or
 * when the primary asks; whichever comes second is ignored, so it never counts as the "second
 * signal" that cuts the drain short. When it cannot start, it tells the primary why and exits 1.
 */
export async function serveAsClusterWorker(): Promise<void> {
  const workerId = cluster.worker?.id;
  let shutDown: ((cause: string) => void) | undefined;
  let shutdownRequested = false;
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message, 'bridgeai:shutdown')) return;
    shutdownRequested = true;
    shutDown?.('asked by the cluster primary');
  });

  try {
    const config = loadConfig();
    const logger = createLogger(config.logLevel).child({ role: 'worker', worker: workerId });
    const runsOutbox = process.env[RUNS_OUTBOX_VARIABLE] === 'yes';
    const server = await startServer(config, {
      logger,
      outboxWorker: { autoStart: runsOutbox },
      onMemoryWritten: runsOutbox ? undefined : () => void sendToPrimary({ type: 'bridgeai:outbox-wake' }),
      metricsText: clusterMetricsText,
    });
    if (runsOutbox) {
      process.on('message', (message: unknown) => {
        if (isClusterMessage(message, 'bridgeai:outbox-wake')) server.memory?.worker.notify();
      });
    }
    shutDown = installGracefulShutdown({ stop: () => server.stop(), logger, drainTimeoutMs: config.shutdownTimeoutMs });
    if (shutdownRequested) shutDown('asked by the cluster primary');
    else sendToPrimary({ type: 'bridgeai:worker-ready', url: server.url });
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (!(await sendToPrimary({ type: 'bridgeai:worker-start-failed', error: text }))) console.error(text);
    process.exit(1);
  }
}

/** Resolves true once the primary has the message, false when it cannot be sent. */
function sendToPrimary(message: ClusterMessage): Promise<boolean> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve(false);
      return;
    }
    process.send(message, undefined, {}, (error) => resolve(!error));
  });
}
