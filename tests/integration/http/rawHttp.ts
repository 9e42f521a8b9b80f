import { createHash } from 'node:crypto';

/** A response as the wire carried it: status, headers, and the JSON body when there is one. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** The hex sha256 of a query text, as Apollo's automatic persisted queries send it. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The `extensions` of an automatic persisted query request. */
export function persistedQuery(hash: string) {
  return { persistedQuery: { version: 1, sha256Hash: hash } };
}

/** POST /graphql with a JSON body (Content-Type: application/json unless `headers` says otherwise). */
export async function postGraphQL(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return read(response);
}

/**
 * GET /graphql with URL parameters (objects are JSON-encoded). Sends `apollo-require-preflight`
 * as clients must: Apollo's CSRF prevention refuses a GET that a plain HTML form could send.
 */
export async function getGraphQL(url: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<RawResponse> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const response = await fetch(`${url}/graphql?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
  return read(response);
}

async function read(response: Response): Promise<RawResponse> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (the playground's HTML): the text is the body.
  }
  return { status: response.status, headers: response.headers, body };
}
