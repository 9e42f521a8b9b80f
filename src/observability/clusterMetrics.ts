import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Metrics } from './metrics';

/**
 * /metrics under a cluster: a scrape lands on one worker, and must show the whole cluster.
 *
 * The worker that is scraped asks the primary; the primary collects every serving worker's
 * registry as JSON (`getMetricsAsJSON`), merges them with prom-client's
 * `AggregatorRegistry.aggregate` (each family by its `aggregator`: metrics.ts) and answers
 * with the text. prom-client's own `clusterMetrics()` asks every connected worker and waits
 * 5 s for all of them: a worker still starting (not listening for the question yet) or one
 * that dies meanwhile would fail every scrape for those seconds, just when a crash makes the
 * metrics interesting. Here the primary asks only the workers that serve, and a worker that
 * exits meanwhile is no longer waited for (its counters went with it).
 */

/** primary → worker: send your registry as JSON. */
const COLLECT = 'bridgeai:metrics-collect';
/** worker → primary: a registry as JSON, or why it could not be read. */
const COLLECTED = 'bridgeai:metrics-collected';
/** worker → primary: the cluster's metrics text, please. */
const REQUEST = 'bridgeai:metrics-request';
/** primary → worker: the cluster's metrics text, or why there is none. */
const ANSWER = 'bridgeai:metrics-answer';

/** How long the primary waits for the serving workers' registries before the scrape fails. */
const COLLECT_TIMEOUT_MS = 5000;
/** How long a scraped worker waits for the primary's answer. */
const ANSWER_TIMEOUT_MS = COLLECT_TIMEOUT_MS + 2000;

interface MetricsMessage {
  readonly type: string;
  readonly id: number;
  readonly metrics?: object[];
  readonly text?: string;
  readonly error?: string;
}

function isMessage(message: unknown, type: string): message is MetricsMessage {
  return typeof message === 'object' && message !== null && (message as MetricsMessage).type === type;
}

/**
 * In the primary: answers the workers' requests for the cluster's metrics, merging the
 * registries of `servingWorkers()` (those that finished starting).
 */
export function answerClusterMetricsRequests(servingWorkers: () => readonly Worker[]): void {
  let nextId = 0;
  const collections = new Map<number, (worker: Worker, message: MetricsMessage) => void>();

  const collect = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const workers = servingWorkers();
      const waitingFor = new Set(workers.map((worker) => worker.id));
      const registries: object[][] = [];
      const finish = (error?: Error) => {
        clearTimeout(timer);
        collections.delete(id);
        cluster.off('exit', onExit);
        if (error) reject(error);
        else resolve(AggregatorRegistry.aggregate(registries).metrics());
      };
      const settleIfComplete = () => {
        if (waitingFor.size === 0) finish();
      };
      const onExit = (worker: Worker) => {
        if (waitingFor.delete(worker.id)) settleIfComplete();
      };
      const timer = setTimeout(
        () => finish(new Error(`the metrics of worker ${[...waitingFor].join(', ')} did not arrive within ${COLLECT_TIMEOUT_MS} ms`)),
        COLLECT_TIMEOUT_MS,
      );
      collections.set(id, (worker, message) => {
        if (!waitingFor.delete(worker.id)) return;
        if (message.error !== undefined) finish(new Error(`worker ${worker.id} could not read its metrics: ${message.error}`));
        else {
          registries.push(message.metrics ?? []);
          settleIfComplete();
        }
      });
      cluster.on('exit', onExit);
      for (const worker of workers) worker.send({ type: COLLECT, id });
      settleIfComplete();
    });

  cluster.on('message', (worker, message: unknown) => {
    if (isMessage(message, COLLECTED)) {
      collections.get(message.id)?.(worker, message);
    } else if (isMessage(message, REQUEST)) {
      collect().then(
        (text) => sendIfConnected(worker, { type: ANSWER, id: message.id, text }),
        (error: Error) => sendIfConnected(worker, { type: ANSWER, id: message.id, error: error.message }),
      );
    }
  });
}

/**
 * In a worker: lets the primary read `metrics`, and returns what /metrics answers there: the
 * whole cluster's metrics, from the primary. Call as soon as the registry exists, so the
 * primary can read it by the time the worker serves.
 */
export function clusterMetricsText(metrics: Metrics): () => Promise<string> {
  let nextId = 0;
  const answers = new Map<number, (message: MetricsMessage) => void>();
  process.on('message', (message: unknown) => {
    if (isMessage(message, COLLECT)) {
      metrics.registry.getMetricsAsJSON().then(
        (json) => sendToPrimary({ type: COLLECTED, id: message.id, metrics: json }),
        (error: Error) => sendToPrimary({ type: COLLECTED, id: message.id, error: error.message }),
      );
    } else if (isMessage(message, ANSWER)) {
      answers.get(message.id)?.(message);
    }
  });

  return () =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        answers.delete(id);
        reject(new Error(`the cluster primary did not answer a metrics request within ${ANSWER_TIMEOUT_MS} ms`));
      }, ANSWER_TIMEOUT_MS);
      answers.set(id, (message) => {
        clearTimeout(timer);
        answers.delete(id);
        if (message.error !== undefined) reject(new Error(`the cluster's metrics could not be collected: ${message.error}`));
        else resolve(message.text ?? '');
      });
      if (!sendToPrimary({ type: REQUEST, id })) {
        clearTimeout(timer);
        answers.delete(id);
        reject(new Error('this worker has lost its cluster primary; its metrics cannot be collected'));
      }
    });
}

function sendToPrimary(message: MetricsMessage): boolean {
  if (!process.send || !process.connected) return false;
  // A send can fail only when the primary is gone, and then the worker exits anyway.
  process.send(message, undefined, {}, () => undefined);
  return true;
}

function sendIfConnected(worker: Worker, message: MetricsMessage): void {
  if (worker.isConnected()) worker.send(message, undefined, () => undefined);
}
