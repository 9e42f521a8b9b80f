/**
 * What the cluster primary (clusterPrimary.ts) and its workers (clusterWorker.ts) tell each
 * other over node:cluster's IPC channel. The metrics' own messages are in
 * src/observability/clusterMetrics.ts.
 */
export type ClusterMessage =
  /** worker → primary: started, serving at `url`, shutdown handlers in place. */
  | { readonly type: 'bridgeai:worker-ready'; readonly url: string }
  /** worker → primary, just before it exits: why it could not start. */
  | { readonly type: 'bridgeai:worker-start-failed'; readonly error: string }
  /** worker → primary → the worker running the outbox: memory was written, look now. */
  | { readonly type: 'bridgeai:outbox-wake' }
  /** primary → worker: shut down gracefully (as on SIGTERM). */
  | { readonly type: 'bridgeai:shutdown' };

/**
 * Set by the primary in the environment of the one worker that runs the memory outbox worker
 * ("yes"); not a setting for operators.
 */
export const RUNS_OUTBOX_VARIABLE = 'BRIDGEAI_WORKER_RUNS_OUTBOX';

export function isClusterMessage<T extends ClusterMessage['type']>(message: unknown, type: T): message is Extract<ClusterMessage, { type: T }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
