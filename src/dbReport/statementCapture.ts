import {
  CompiledQuery,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { kyselyOver, type Db } from '../db/database';

/**
 * Records every statement `send` would send, compiled exactly as the server sends it (SQL text
 * and parameters, through the product's own Kysely plugins), and sends nothing: each statement
 * is answered with no rows. So the report explains what the product's functions really send,
 * whatever they build their SQL with (query builder, `sql` templates, statements compiled once
 * and reused), and never a copy of their SQL.
 *
 * A function that branches on the rows it gets back goes the no-rows way: a DataLoader batch
 * returns its misses, the outbox poll finds nothing due. Transactions are recorded as their
 * `START TRANSACTION` / `COMMIT` / `ROLLBACK` statements.
 */
export async function captureStatements(send: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const captured: CompiledQuery[] = [];
  const db = kyselyOver(new StatementCaptureDialect(captured));
  try {
    await send(db);
  } finally {
    await db.destroy();
  }
  return captured;
}

/** MySQL's adapter, compiler and introspector over a driver that records instead of sending. */
class StatementCaptureDialect implements Dialect {
  readonly #captured: CompiledQuery[];

  constructor(captured: CompiledQuery[]) {
    this.#captured = captured;
  }

  createAdapter() {
    return new MysqlAdapter();
  }

  createDriver(): Driver {
    return new StatementCaptureDriver(this.#captured);
  }

  createQueryCompiler() {
    return new MysqlQueryCompiler();
  }

  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return new MysqlIntrospector(db);
  }
}

class StatementCaptureDriver implements Driver {
  readonly #connection: StatementCaptureConnection;

  constructor(captured: CompiledQuery[]) {
    this.#connection = new StatementCaptureConnection(captured);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('START TRANSACTION'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {}
}

class StatementCaptureConnection implements DatabaseConnection {
  readonly #captured: CompiledQuery[];

  constructor(captured: CompiledQuery[]) {
    this.#captured = captured;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    this.#captured.push(compiledQuery);
    return { rows: [] };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    this.#captured.push(compiledQuery);
  }
}
