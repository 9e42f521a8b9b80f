import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { MAX_PAGE_SIZE } from '../../../schema/arguments';
import { ClientError } from '../../errors';
import type { CostBudget } from './costBudget';
import { OperationShapes } from './operationShapes';

export interface QueryLimits {
  /** MAX_QUERY_DEPTH */
  readonly maxDepth: number;
  /** MAX_QUERY_COST */
  readonly maxCost: number;
  /** MAX_QUERY_ALIASES */
  readonly maxAliases: number;
  /** MAX_QUERY_ROOT_FIELDS */
  readonly maxRootFields: number;
  /** MAX_COST_IN_FLIGHT: operations wait for room here before they execute. */
  readonly costBudget?: CostBudget;
}

/**
 * Tokens a GraphQL document may have (Apollo's parse option): far above any real operation (the
 * introspection query has under 200), far below the megabyte body whose parsing and validation
 * would hold the event loop for seconds.
 */
export const MAX_DOCUMENT_TOKENS = 15_000;

/** Request-level errors: no data at all, so HTTP 400 as for any other refused request. */
const REFUSED = { http: { status: 400 } };

/**
 * Refuses an operation that is too deep, too costly, too wide at the top, or uses too many
 * aliases (QUERY_TOO_COMPLEX), or asks for a `first` outside 0..200 anywhere (BAD_USER_INPUT,
 * checked before the cost, as the contract says). It runs at `didResolveOperation`: after
 * parsing, validation and the choice of operation, when the variables are known, and before
 * execution, so a refused request runs no SQL at all. An accepted operation then waits until its
 * cost fits in the cost budget, and gives the cost back when its response is ready.
 */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  let shapes: OperationShapes | undefined;
  return {
    async requestDidStart() {
      let releaseCost: (() => void) | undefined;
      return {
        async willSendResponse() {
          releaseCost?.();
        },
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          if (shapes?.schema !== schema) shapes = new OperationShapes(schema, MAX_PAGE_SIZE);
          const cost = checkOperationLimits(limits, shapes, document, operation, request.variables);
          // Variables that do not coerce leave the cost unknown; execution refuses them at once.
          if (limits.costBudget && cost !== undefined) releaseCost = await limits.costBudget.acquire(cost);
        },
      };
    },
  };
}

/**
 * Throws BAD_USER_INPUT for a `first` outside 0..200 and QUERY_TOO_COMPLEX for an operation over
 * any limit; returns its cost, or undefined when its variables do not coerce (execution refuses
 * those at once). Shared by HTTP (the plugin above) and subscriptions (src/http/subscriptions/).
 */
export function checkOperationLimits(
  limits: QueryLimits,
  shapes: OperationShapes,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): number | undefined {
  // Variables that do not coerce are execution's error to report (BAD_USER_INPUT, no SQL);
  // until then their values cannot size anything.
  const coerced = operation.variableDefinitions?.length
    ? getVariableValues(shapes.schema, operation.variableDefinitions, variables ?? {}, { maxErrors: 1 })
    : { coerced: {} };
  const shape = shapes.shapeOf(document, operation, coerced.coerced);

  if (shape.badPageSize) {
    const { field, value } = shape.badPageSize;
    throw new ClientError(
      'BAD_USER_INPUT',
      `first: must be between 0 and ${MAX_PAGE_SIZE} (got ${JSON.stringify(value)} on ${field}); page with the cursor for more.`,
      { field: 'first', ...REFUSED },
    );
  }
  if (shape.depth > limits.maxDepth) {
    throw tooComplex(`The query is ${shape.depth} levels deep; at most ${limits.maxDepth} are allowed.`, {
      depth: shape.depth,
      maxDepth: limits.maxDepth,
    });
  }
  if (shape.aliases > limits.maxAliases) {
    throw tooComplex(`The query uses ${shape.aliases} aliases; at most ${limits.maxAliases} are allowed.`, {
      aliases: shape.aliases,
      maxAliases: limits.maxAliases,
    });
  }
  if (shape.rootFields > limits.maxRootFields) {
    throw tooComplex(
      `The operation selects ${shape.rootFields} top-level fields; at most ${limits.maxRootFields} are allowed. Split it into several requests.`,
      { rootFields: shape.rootFields, maxRootFields: limits.maxRootFields },
    );
  }
  if (coerced.coerced && shape.cost > limits.maxCost) {
    throw tooComplex(
      `The query costs ${formatCost(shape.cost)}, over the limit of ${limits.maxCost}: ask for fewer items (a smaller first) or fewer nested lists.`,
      { cost: Number.isFinite(shape.cost) ? shape.cost : null, maxCost: limits.maxCost },
    );
  }
  return coerced.coerced ? shape.cost : undefined;
}

function tooComplex(message: string, details: Record<string, unknown>): ClientError {
  return new ClientError('QUERY_TOO_COMPLEX', message, { ...details, ...REFUSED });
}

function formatCost(cost: number): string {
  return Number.isSafeInteger(cost) ? String(cost) : cost.toExponential(2);
}
