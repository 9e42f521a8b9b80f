import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config';
import { CLOSE_ALLOWANCE_MS } from '../http/shutdown';
import type { Logger } from '../logger';
import { answerClusterMetricsRequests } from '../observability/clusterMetrics';
import { isClusterMessage, RUNS_OUTBOX_VARIABLE, type ClusterMessage } from './clusterMessages';
import { RestartBackoff } from './restartBackoff';

/** After a worker's own shutdown deadline, how long the primary waits before it SIGKILLs it. */
const KILL_MARGIN_MS = 1000;

/** A worker exited before it served: this configuration or environment cannot run a worker. */
export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

export interface ServerCluster {
  /**
   * Rejects with a WorkerStartError once a worker (a first one or a replacement) exits before
   * it serves, after the other workers have been stopped. Never resolves.
   */
  readonly failed: Promise<never>;
  /**
   * Asks every worker to shut down gracefully and waits for all of them, SIGKILLing any still
   * running after SHUTDOWN_TIMEOUT_MS plus the time a worker has to close its pool. Rejects when
   * a worker did not exit with 0 (it overran or failed its shutdown).
   */
  stop(): Promise<void>;
}

/** One of the WEB_CONCURRENCY places for a worker; a replacement takes over its slot and role. */
interface Slot {
  readonly runsOutbox: boolean;
  worker: Worker | undefined;
  /** The worker has started and serves (it said so); false again once it exits. */
  ready: boolean;
  startError: string | undefined;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * The primary of `npm start` with WEB_CONCURRENCY > 1, once start.ts has done the one-time work
 * (Chroma, migrations, seed): forks that many workers (clusterWorker.ts), which serve on the
 * shared port (node:cluster's primary accepts connections and hands them out in turn). Every
 * worker gets config.chromaUrl, so all use the Chroma the primary chose, and config.jwtSecret,
 * so a token one worker signed is valid on the others (a secret generated per process would not be).
 *
 * Exactly one worker (the first slot's) runs the memory outbox worker. Embedding is CPU work
 * taken from serving, and outbox workers in every process would take the same due entries and
 * embed them again (OutboxWorker tolerates the overlap but pays for it in CPU). The other workers
 * never start theirs; when one of them commits a mutation that writes memory, it sends the
 * wake-up through the primary to the outbox's worker, so new text is still indexed at once rather
 * than at the next poll. While that worker is being replaced nothing is indexed; entries wait in
 * the outbox table, and nothing is lost.
 *
 * A worker that dies after it served is replaced, paced by RestartBackoff. A worker that exits
 * before it serves (port taken, model missing, Redis unreachable) would fail the same way on
 * every restart: the cluster is stopped instead and `failed` rejects with that worker's error.
 */
export function startCluster(config: Config, logger: Logger): ServerCluster {
  const slots: Slot[] = Array.from({ length: config.webConcurrency }, (_, index) => ({
    runsOutbox: index === 0,
    worker: undefined,
    ready: false,
    startError: undefined,
    restartTimer: undefined,
  }));
  const backoff = new RestartBackoff();
  let stopping = false;
  let stopped: Promise<void> | undefined;
  let servedOnce = false;
  let rejectFailed!: (error: WorkerStartError) => void;
  const failed = new Promise<never>((_resolve, reject) => (rejectFailed = reject));

  answerClusterMetricsRequests(() => slots.flatMap((slot) => (slot.ready && slot.worker?.isConnected() ? [slot.worker] : [])));

  const send = (worker: Worker | undefined, message: ClusterMessage) => {
    if (worker?.isConnected()) worker.send(message, undefined, () => undefined);
  };

  const fork = (slot: Slot) => {
    const worker = cluster.fork({
      ...(config.chromaUrl ? { CHROMA_URL: config.chromaUrl } : {}),
      JWT_SECRET: config.jwtSecret,
      [RUNS_OUTBOX_VARIABLE]: slot.runsOutbox ? 'yes' : 'no',
    });
    Object.assign(slot, { worker, ready: false, startError: undefined });
    const log = logger.child({ worker: worker.id, pid: worker.process.pid });
    log.info({ runsOutbox: slot.runsOutbox }, 'worker starting');

    // Sends to a worker that has just died fail; its exit is handled below.
    worker.on('error', (error) => log.warn({ err: error }, 'worker IPC error'));
    worker.on('message', (message: unknown) => {
      if (isClusterMessage(message, 'bridgeai:worker-ready')) {
        slot.ready = true;
        log.info({ url: message.url, runsOutbox: slot.runsOutbox }, 'worker serving');
        if (!servedOnce && slots.every((each) => each.ready)) {
          servedOnce = true;
          logger.info({ workers: slots.length, url: message.url }, 'cluster serving');
        }
      } else if (isClusterMessage(message, 'bridgeai:worker-start-failed')) {
        slot.startError = message.error;
      } else if (isClusterMessage(message, 'bridgeai:outbox-wake')) {
        const outbox = slots.find((each) => each.runsOutbox);
        if (outbox?.ready) send(outbox.worker, message);
      }
    });
    worker.on('exit', (code, signal) => {
      const served = slot.ready;
      slot.ready = false;
      if (stopping) return;
      if (!served) {
        const error = new WorkerStartError(`worker ${worker.id} could not start (${describeExit(code, signal)}): ${slot.startError ?? 'its output above says why'}`);
        log.error({ code, signal }, 'worker exited before it served: stopping the cluster');
        void stop()
          .catch(() => undefined)
          .then(() => rejectFailed(error));
        return;
      }
      const delayMs = backoff.delayAfterCrashMs();
      log.error({ code, signal, restartInMs: delayMs }, 'worker died: starting a replacement');
      slot.restartTimer = setTimeout(() => {
        slot.restartTimer = undefined;
        if (!stopping) fork(slot);
      }, delayMs);
    });
  };

  const stopWorkers = async () => {
    stopping = true;
    for (const slot of slots) clearTimeout(slot.restartTimer);
    const running = slots.flatMap((slot) => (slot.worker && !slot.worker.isDead() ? [{ worker: slot.worker, serving: slot.ready }] : []));
    const exits = running.map(
      ({ worker, serving }) =>
        new Promise<{ id: number; clean: boolean; code: number | null; signal: string | null }>((resolve) =>
          worker.once('exit', (code, signal) =>
            resolve({ id: worker.id, clean: code === 0 || (!serving && signal === 'SIGTERM'), code, signal }),
          ),
        ),
    );
    for (const { worker, serving } of running) {
      // A worker that serves has its graceful shutdown in place; one still starting has nothing
      // to drain, and SIGTERM ends it (that is a clean stop too).
      if (serving) send(worker, { type: 'bridgeai:shutdown' });
      else worker.process.kill('SIGTERM');
    }
    const boundMs = config.shutdownTimeoutMs + CLOSE_ALLOWANCE_MS + KILL_MARGIN_MS;
    const killer = setTimeout(() => {
      for (const { worker } of running) {
        if (worker.isDead()) continue;
        logger.error({ worker: worker.id, afterMs: boundMs }, 'worker did not exit in time: killing it');
        worker.process.kill('SIGKILL');
      }
    }, boundMs);
    const results = await Promise.all(exits);
    clearTimeout(killer);
    const unclean = results.filter((result) => !result.clean);
    if (unclean.length > 0) {
      throw new Error(`not every worker shut down cleanly: ${unclean.map((result) => `worker ${result.id} ${describeExit(result.code, result.signal)}`).join(', ')}`);
    }
  };
  const stop = () => (stopped ??= stopWorkers());

  for (const slot of slots) fork(slot);
  return { failed, stop };
}

function describeExit(code: number | null, signal: string | null): string {
  return signal ? `killed by ${signal}` : `exit code ${code}`;
}
