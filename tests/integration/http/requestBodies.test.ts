import { request as httpRequest } from 'node:http';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { startTestServer, type TestServer } from '../../support/server';

/** The Content-Type read by the server's own JSON reader, and one only express.json() reads. */
const PLAIN = 'application/json';
const GENERAL = 'application/json; charset=UTF-8';
const LIMIT = 2048;

/** Status and body of a POST /graphql with these exact bytes, the request id taken out. */
async function answer(url: string, contentType: string, body: string | Buffer) {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = (await response.text()).replace(/"requestId":"[^"]*"/g, '"requestId":"…"');
  return { status: response.status, contentType: response.headers.get('content-type'), text };
}

/**
 * The common request (Content-Type exactly application/json, a Content-Length, no encoding) is
 * read by src/http/jsonBody.ts instead of body-parser; every body must be answered exactly as
 * body-parser's path answers it.
 */
describe('request bodies read without body-parser', () => {
  let database: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    database = await createTestDatabase('request_bodies');
    server = await startTestServer(database.url, { MAX_BODY_BYTES: String(LIMIT) });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  const query = JSON.stringify({ query: '{ __typename }' });
  it.each([
    ['a query', query, 200],
    ['a query after a byte order mark', `\uFEFF${query}`, 200],
    ['a query after whitespace', ` \n\t${query}`, 200],
    ['a query spread over many bytes', JSON.stringify({ query: `{ __typename ${' '.repeat(LIMIT - 100)}}` }), 200],
    ['an empty body', '', 400],
    ['a JSON number', '1', 400],
    ['a JSON string', '"{ __typename }"', 400],
    ['malformed JSON', '{"query": ', 400],
    ['a batch', `[${query},${query}]`, 400],
    ['a body over the limit', JSON.stringify({ query: `{ __typename ${' '.repeat(LIMIT)}}` }), 413],
  ])('answers %s as body-parser does', async (_name, body, status) => {
    const [plain, general] = await Promise.all([answer(server.url, PLAIN, body), answer(server.url, GENERAL, body)]);
    expect(plain.status).toBe(status);
    expect(plain).toEqual(general);
  });

  it('reads a body that arrives in pieces, split inside a character', async () => {
    const body = Buffer.from(JSON.stringify({ query: `# ${'é€😀'.repeat(100)}\n{ __typename }` }));
    const cut = body.indexOf(Buffer.from('😀')) + 2;
    const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': PLAIN, 'content-length': body.length } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode!, text }));
      });
      request.on('error', reject);
      // Two writes apart in time reach the server as two chunks.
      request.write(body.subarray(0, cut));
      setTimeout(() => request.end(body.subarray(cut)), 50);
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).data).toEqual({ __typename: 'Query' });
  });
});
