import { performance } from 'node:perf_hooks';

export interface GraphQLReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[]; extensions?: { queryCount?: number } };
  readonly bytes: number;
  readonly ms: number;
}

/** POSTs one GraphQL request to `serverUrl`/graphql and parses the answer. */
export async function postGraphQL(
  serverUrl: string,
  request: { query: string; variables?: Record<string, unknown> },
  token?: string,
): Promise<GraphQLReply> {
  const started = performance.now();
  const response = await fetch(`${serverUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: GraphQLReply['body'];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${serverUrl}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body, bytes: Buffer.byteLength(text), ms };
}

/** Like postGraphQL, but a response with errors (or without data) throws, naming the first error. */
export async function queryOk(serverUrl: string, request: { query: string; variables?: Record<string, unknown> }, token?: string) {
  const reply = await postGraphQL(serverUrl, request, token);
  if (reply.status !== 200 || reply.body.errors?.length || !reply.body.data) {
    const first = reply.body.errors?.[0];
    throw new Error(`${serverUrl}: HTTP ${reply.status}: ${first ? `${first.extensions?.code ?? ''} ${first.message}` : 'no data'}`);
  }
  return reply;
}

/** Signs in through the `login` mutation and returns the bearer token. */
export async function login(serverUrl: string, email: string, password: string): Promise<string> {
  const reply = await queryOk(serverUrl, {
    query: 'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
    variables: { email, password },
  });
  return reply.body.data.login.token as string;
}
