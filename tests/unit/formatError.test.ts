import { GraphQLError } from 'graphql';
import { formatError, INTERNAL_ERROR_MESSAGE } from '../../src/http/formatError';
import { REQUEST_TIMEOUT_MESSAGE } from '../../src/http/limits/requestTimeout';

describe('formatError', () => {
  const format = (error: Error) => formatError({ message: error.message, path: ['viewer'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError(error.message, { originalError: error, path: ['viewer'] }));

  it('answers a statement stopped by its time limit as SERVICE_UNAVAILABLE, without its SQL text', () => {
    for (const errno of [1969, 3024]) {
      const stopped = Object.assign(new Error('Query execution was interrupted (max_statement_time exceeded)'), { errno, sql: 'SELECT secret FROM users' });
      expect(format(stopped)).toEqual({ message: REQUEST_TIMEOUT_MESSAGE, path: ['viewer'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
    }
  });

  it('masks any other database error', () => {
    const broken = Object.assign(new Error("Unknown column 'x' in 'field list'"), { errno: 1054 });
    expect(format(broken)).toEqual({ message: INTERNAL_ERROR_MESSAGE, path: ['viewer'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });
});
