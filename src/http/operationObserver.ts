import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLContext } from '../../schema/context';
import type { Logger } from '../logger';
import type { Metrics } from '../observability/metrics';
import { recordOfContext } from './requestLogging';

/** Distinct operation names kept as metric labels; later new names share one label. */
const MAX_OPERATION_LABELS = 200;
/** Longer operation names are cut in labels and logs. */
const MAX_NAME_LENGTH = 100;

/**
 * Operation names come from clients, so as metric labels they are bounded: the first
 * `max` distinct names keep their own label, any later one is `other`, and an operation
 * without a name is `anonymous`.
 */
export function createOperationLabels(max = MAX_OPERATION_LABELS): (operationName: string | null | undefined) => string {
  const known = new Set<string>();
  return (operationName) => {
    if (!operationName) return 'anonymous';
    const name = operationName.slice(0, MAX_NAME_LENGTH);
    if (known.has(name)) return name;
    if (known.size >= max) return 'other';
    known.add(name);
    return name;
  };
}

/**
 * Observes every GraphQL operation as its response is sent: its duration by name, type and
 * outcome (bridgeai_graphql_operation_duration_seconds), a warn log line and
 * bridgeai_slow_operations_total when it took longer than `slowOperationMs`, and the request
 * record's GraphQL part for the request's log line.
 */
export function operationObserverPlugin(options: {
  metrics: Metrics;
  logger: Logger;
  slowOperationMs: number;
  operationLabel: (operationName: string | null | undefined) => string;
}): ApolloServerPlugin<GraphQLContext> {
  const { metrics, logger, slowOperationMs, operationLabel } = options;
  return {
    async requestDidStart() {
      const startedAt = performance.now();
      return {
        async willSendResponse({ contextValue, response, operationName, operation }) {
          const durationMs = performance.now() - startedAt;
          const result = response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const outcome = result.errors?.length ? 'error' : 'ok';
          const operationType = operation?.operation ?? 'unknown';
          const sqlCount = contextValue.sqlCount();
          metrics.graphqlOperationDuration.observe(
            { operation_name: operationLabel(operationName), operation_type: operationType, outcome },
            durationMs / 1000,
          );
          const record = recordOfContext(contextValue);
          if (record) {
            record.operationName = operationName?.slice(0, MAX_NAME_LENGTH);
            record.operationType = operationType;
            record.sqlCount = sqlCount;
            record.outcome = outcome;
          }
          if (durationMs > slowOperationMs) {
            metrics.slowOperations.inc();
            logger.warn(
              { requestId: record?.id, operationName: operationName?.slice(0, MAX_NAME_LENGTH), operationType, durationMs: Math.round(durationMs), sqlCount, outcome },
              'slow operation',
            );
          }
        },
      };
    },
  };
}
