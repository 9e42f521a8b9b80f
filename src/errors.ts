import { GraphQLError } from 'graphql';

/**
 * The error codes of the contract (schema.graphql header). Every error a client sees carries
 * one of them in `extensions.code`.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'SERVICE_UNAVAILABLE'
  | 'PERSISTED_QUERY_NOT_FOUND'
  | 'PERSISTED_QUERY_NOT_ALLOWED'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

/** An error meant for the client: its message and code are shown as they are. */
export class ClientError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const unauthenticated = (message = 'Sign in first: send "Authorization: Bearer <token>" from the login mutation.') =>
  new ClientError('UNAUTHENTICATED', message);

export const forbidden = (message: string) => new ClientError('FORBIDDEN', message);

/** Missing and invisible look the same, so nobody learns what exists in another team. */
export const notFound = (what: string, id: string | number) =>
  new ClientError('NOT_FOUND', `${what} ${JSON.stringify(String(id))} was not found.`);

export const badUserInput = (field: string, problem: string) =>
  new ClientError('BAD_USER_INPUT', `${field}: ${problem}`, { field });

export const conflict = (message: string) => new ClientError('CONFLICT', message);

export const serviceUnavailable = (message: string) => new ClientError('SERVICE_UNAVAILABLE', message);
