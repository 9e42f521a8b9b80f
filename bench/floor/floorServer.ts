import { createServer } from 'node:http';
import { createPool } from 'mysql2/promise';
import { verifyToken } from '../../src/auth/tokens';
import type { NestedShape } from '../queries';
import { floorStatement } from './floorQuery';

/**
 * The floor of the nested-query comparison: a bare node:http server that answers every POST with
 * the result of ONE SQL statement (floorQuery.ts), wrapped as `{"data":{"teams":…}}`. It checks
 * the bearer token like the real server (HMAC, no database) and does nothing else: no GraphQL
 * parsing, validation, resolvers or per-row objects. Run by the bench as a child process:
 * env DATABASE_URL, JWT_SECRET, PORT, HOST, FLOOR_SHAPE (JSON of a NestedShape).
 */
const { DATABASE_URL, JWT_SECRET, PORT, HOST, FLOOR_SHAPE } = process.env;
if (!DATABASE_URL || !JWT_SECRET || !PORT || !FLOOR_SHAPE) {
  console.error('floorServer needs DATABASE_URL, JWT_SECRET, PORT and FLOOR_SHAPE');
  process.exit(2);
}
const statement = floorStatement(JSON.parse(FLOOR_SHAPE) as NestedShape);
// The same connection limit as the GraphQL server's pool (DB_POOL_SIZE + DB_POOL_MAX_OVERFLOW);
// jsonStrings hands the JSON column over as the text MariaDB wrote, unparsed.
const pool = createPool({ uri: DATABASE_URL, connectionLimit: 30, timezone: 'Z', jsonStrings: true });

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    return;
  }
  // The body is the same GraphQL request the real server gets; the floor has one answer to it.
  request.resume();
  request.on('end', () => {
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const userId = match ? verifyToken(match[1]!, JWT_SECRET) : null;
    if (userId === null) {
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unauthenticated"}]}');
      return;
    }
    pool.query<any[]>(statement, [userId]).then(
      ([rows]) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(`{"data":{"teams":${rows[0]?.teams ?? '[]'}}}`);
      },
      (error: Error) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: error.message }] }));
      },
    );
  });
});
server.listen(Number(PORT), HOST ?? '127.0.0.1');

const stop = () => server.close(() => void pool.end().finally(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
