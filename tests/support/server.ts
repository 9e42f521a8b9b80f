import pino, { type Logger } from 'pino';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer, type ServerOptions } from '../../src/http/server';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
  extensions?: { queryCount?: number; [key: string]: unknown };
}

export interface TestServer extends RunningServer {
  /** POSTs a GraphQL request over real HTTP and returns the parsed body with the HTTP status. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>>;
  /** Signs in through the login mutation and returns the bearer token. */
  login(email: string, password: string): Promise<string>;
}

export const TEST_JWT_SECRET = 'test-secret-0123456789abcdef';

/** Starts the real server on a free port of 127.0.0.1 against `databaseUrl`; silent unless given a logger. */
export async function startTestServer(
  databaseUrl: string,
  env: Record<string, string> = {},
  options: Omit<ServerOptions, 'logger'> & { logger?: Logger } = {},
): Promise<TestServer> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const server = await startServer(config, { ...options, logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });

  async function graphql<T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  }

  async function login(email: string, password: string): Promise<string> {
    const result = await graphql<{ login: { token: string } }>(
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email, password },
    );
    if (!result.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(result.errors)}`);
    return result.data.login.token;
  }

  return { ...server, graphql, login };
}
