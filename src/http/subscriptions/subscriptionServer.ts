import type { IncomingHttpHeaders, Server } from 'node:http';
import {
  getOperationAST,
  GraphQLError,
  MaxIntrospectionDepthRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { CloseCode, MessageType, stringifyMessage, type Context } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { MAX_PAGE_SIZE } from '../../../schema/arguments';
import type { GraphQLContext } from '../../../schema/context';
import { verifyToken } from '../../auth/tokens';
import type { Config } from '../../config';
import { ClientError } from '../../errors';
import type { Logger } from '../../logger';
import type { Metrics } from '../../observability/metrics';
import { formatError } from '../formatError';
import { ExecutableOperationsRule } from '../limits/executableOperations';
import { OperationShapes } from '../limits/operationShapes';
import { checkOperationLimits, MAX_DOCUMENT_TOKENS, type QueryLimits } from '../limits/queryLimitsPlugin';
import { sha256Hex, type PersistedOperationsManifest } from '../persistedQueriesManifest';
import type { RequestOrigin } from '../requestContext';

/** Close code for a client that reads its events too slowly (1013: try again later). */
export const SLOW_CONSUMER_CLOSE_CODE = 1013;
/** Close code on shutdown (1001: going away). */
export const GOING_AWAY_CLOSE_CODE = 1001;

export interface SubscriptionServerOptions {
  httpServer: Server;
  schema: GraphQLSchema;
  /** The HTTP requests' context factory (requestContext.ts), given the connection_init payload's authorization. */
  createContext: (headers: IncomingHttpHeaders, origin: RequestOrigin) => GraphQLContext;
  config: Pick<Config, 'subscriptions' | 'persistedOperations' | 'jwtSecret'>;
  limits: QueryLimits;
  manifest: PersistedOperationsManifest;
  metrics: Metrics;
  logger: Logger;
}

export interface SubscriptionServer {
  /** Completes every subscription (a graphql-ws `complete` each), closes the sockets with 1001 and stops accepting. */
  close(): Promise<void>;
}

/** What each connection keeps once its connection_init is accepted. */
interface Connection {
  authorization: string;
  userId: number;
  clientAddress: string;
}

type ConnectionContext = Context<Record<string, unknown> | undefined, Extra & { connection?: Connection }>;

/**
 * GraphQL subscriptions over graphql-ws (`graphql-transport-ws`) on the HTTP server's port and
 * path, /graphql. connection_init carries `{"authorization": "Bearer <token>"}` (or "Authorization",
 * as the playground sends it): without a valid
 * token the socket closes with 4401, and 4403 when the token's account no longer exists. Each
 * subscribe message is held to the HTTP rules: the persisted-operation mode, the document's
 * token limit, validation, the depth and cost limits (checkOperationLimits), and the contract's
 * error codes; at most `maxPerConnection` subscriptions run on one socket and `maxPerUser` for
 * one user on this process. Only subscriptions: queries and mutations go over HTTP, where the
 * in-flight and cost budgets apply. A socket whose unsent data passes `maxBufferedBytes` is
 * closed with 1013 rather than buffering without bound.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { config, metrics, logger, schema, manifest } = options;
  const shapes = new OperationShapes(schema, MAX_PAGE_SIZE);
  const { maxPerConnection, maxPerUser, maxBufferedBytes } = config.subscriptions;
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql' });
  const connections = new Set<ConnectionContext>();
  const subscriptionsByUser = new Map<number, number>();
  /** Each running subscription's root field, by connection and subscription id (for the delivered counter). */
  const fieldsOf = new WeakMap<ConnectionContext, Map<string, string>>();

  const refuse = (code: ConstructorParameters<typeof ClientError>[0], message: string) => [new ClientError(code, message)];

  const disposable = useServer<Record<string, unknown> | undefined, { connection?: Connection }>(
    {
      schema,
      onConnect: async (ctx) => {
        // GraphiQL sends its headers editor as the payload, where the header is spelled "Authorization".
        const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const match = typeof authorization === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
        const userId = match ? verifyToken(match[1], config.jwtSecret) : null;
        if (userId === null) {
          ctx.extra.socket.close(CloseCode.Unauthorized, 'Unauthorized: send {"authorization": "Bearer <token>"} from the login mutation in connection_init');
          return;
        }
        const clientAddress = ctx.extra.request.socket.remoteAddress ?? 'unknown';
        const probe = options.createContext({ authorization: authorization as string }, { requestId: '', clientAddress });
        const exists = await probe.viewer.user().then(
          () => true,
          () => false,
        );
        if (!exists) return false;
        ctx.extra.connection = { authorization: authorization as string, userId, clientAddress };
        connections.add(ctx);
        metrics.subscriptionConnections.inc();
        return true;
      },
      onClose: (ctx) => {
        if (connections.delete(ctx)) metrics.subscriptionConnections.dec();
      },
      onSubscribe: (ctx, id, payload) => {
        const connection = ctx.extra.connection;
        // A subscribe message racing the 4401 close of a refused connection_init.
        if (!connection) return refuse('UNAUTHENTICATED', 'Sign in first: send {"authorization": "Bearer <token>"} in connection_init.');
        if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
          return refuse('FORBIDDEN', `At most ${maxPerConnection} subscriptions may run on one connection (MAX_SUBSCRIPTIONS_PER_CONNECTION): complete one first.`);
        }
        if ((subscriptionsByUser.get(connection.userId) ?? 0) >= maxPerUser) {
          return refuse('FORBIDDEN', `At most ${maxPerUser} subscriptions may run for one user (MAX_SUBSCRIPTIONS_PER_USER): complete one first.`);
        }
        const query = persistedText(payload.query, payload.extensions, manifest);
        if (config.persistedOperations === 'only' && query === undefined) {
          return refuse('PERSISTED_QUERY_NOT_ALLOWED',
            'This server executes only trusted documents (PERSISTED_OPERATIONS=only): send the exact text of an operation in schema/persisted-operations.json.');
        }
        let document: DocumentNode;
        try {
          document = parse(query ?? payload.query, { maxTokens: MAX_DOCUMENT_TOKENS });
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const errors = validate(schema, document, [...specifiedRules, MaxIntrospectionDepthRule, ExecutableOperationsRule]);
        if (errors.length > 0) {
          return errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return refuse('BAD_USER_INPUT', 'operationName: name one operation of the document.');
        if (operation.operation !== 'subscription') {
          return refuse('BAD_USER_INPUT', `Only subscriptions run over WebSocket: send this ${operation.operation} over HTTP (POST /graphql).`);
        }
        try {
          checkOperationLimits(options.limits, shapes, document, operation, payload.variables);
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        subscriptionsByUser.set(connection.userId, (subscriptionsByUser.get(connection.userId) ?? 0) + 1);
        metrics.subscriptionsActive.inc();
        if (!fieldsOf.has(ctx)) fieldsOf.set(ctx, new Map());
        fieldsOf.get(ctx)!.set(id, rootFieldOf(operation.selectionSet.selections[0]));
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: options.createContext(
            { authorization: connection.authorization },
            { requestId: `ws:${id}`, clientAddress: connection.clientAddress },
          ),
        };
      },
      onNext: (ctx, id, _payload, _args, result) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > maxBufferedBytes) {
          metrics.subscriptionEventsDropped.inc({ reason: 'slow_consumer' });
          socket.close(SLOW_CONSUMER_CLOSE_CODE, `Slow consumer: over ${maxBufferedBytes} bytes unsent; reconnect and resubscribe with your last cursor`);
          return;
        }
        if (result.data) metrics.subscriptionEventsDelivered.inc({ field: fieldsOf.get(ctx)?.get(id) ?? 'unknown' });
        return formatResult(result, logger);
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatOne(error, logger)),
      onComplete: (ctx, id) => {
        const connection = ctx.extra.connection as Connection;
        const remaining = (subscriptionsByUser.get(connection.userId) ?? 1) - 1;
        if (remaining > 0) subscriptionsByUser.set(connection.userId, remaining);
        else subscriptionsByUser.delete(connection.userId);
        fieldsOf.get(ctx)?.delete(id);
        metrics.subscriptionsActive.dec();
      },
    },
    wsServer,
  );

  return {
    async close() {
      for (const ctx of connections) {
        for (const id of Object.keys(ctx.subscriptions)) {
          ctx.extra.socket.send(stringifyMessage({ id, type: MessageType.Complete }));
        }
      }
      await disposable.dispose();
    },
  };
}

/** The document to run: the query sent, or the manifest's text for a trusted hash; undefined when neither is in the manifest. */
function persistedText(query: string, extensions: Record<string, unknown> | null | undefined, manifest: PersistedOperationsManifest): string | undefined {
  if (query && manifest[sha256Hex(query)] !== undefined) return query;
  const persisted = extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  const hash = typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
  return hash === undefined ? undefined : manifest[hash];
}

function rootFieldOf(selection: { kind: string; name?: { value: string } }): string {
  return selection.kind === 'Field' && selection.name ? selection.name.value : 'unknown';
}

function formatResult(result: ExecutionResult, logger: Logger) {
  return result.errors ? { ...result, errors: result.errors.map((error) => formatOne(error, logger)) } : result;
}

/** An error as HTTP would show it (formatError.ts), logged when it is not the client's. */
function formatOne(error: GraphQLError, logger: Logger): GraphQLFormattedError {
  const formatted = formatError(error.toJSON(), error.originalError ?? error);
  if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error.originalError ?? error }, 'unexpected subscription error');
  return formatted;
}
