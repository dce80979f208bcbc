import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
} from 'kysely';

const MUTATION = /^\s*(with\b[\s\S]*\b)?(insert|update|delete|merge)\b/i;

// PGlite is one session. Each Kysely transaction runs inside PGlite's own transaction(), which holds
// its exclusive lock, so a query from anyone else sharing the instance (other Kysely calls, pg-boss)
// waits instead of landing inside the open transaction (kysely-pglite lost writes exactly that way).
class PGliteConnection implements DatabaseConnection {
  readonly pg: PGlite;
  tx: Transaction | undefined;
  finish: ((commit: boolean) => void) | undefined;
  done: Promise<unknown> | undefined;

  constructor(pg: PGlite) {
    this.pg = pg;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await (this.tx ?? this.pg).query<R>(query.sql, [...query.parameters]);
    return MUTATION.test(query.sql) && result.affectedRows !== undefined
      ? { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) }
      : { rows: result.rows };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; Kysely only calls this for .stream().
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries; page with limit/offset instead');
  }
}

class PGliteDriver implements Driver {
  readonly #pg: PGlite;
  readonly #ownsInstance: boolean;

  constructor(pg: PGlite, ownsInstance: boolean) {
    this.#pg = pg;
    this.#ownsInstance = ownsInstance;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<PGliteConnection> {
    return new PGliteConnection(this.#pg);
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PGliteConnection;
    await new Promise<void>((started, failed) => {
      c.done = this.#pg.transaction(
        (tx) =>
          new Promise<void>((resolve, reject) => {
            c.tx = tx;
            c.finish = (commit) => (commit ? resolve() : reject(new Error('transaction rolled back')));
            started();
          }),
      );
      c.done.catch(failed);
    });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PGliteConnection;
    c.finish?.(true);
    try {
      await c.done;
    } finally {
      c.tx = undefined;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as PGliteConnection;
    c.finish?.(false);
    await c.done?.catch(() => {});
    c.tx = undefined;
  }

  async destroy(): Promise<void> {
    if (this.#ownsInstance && !this.#pg.closed) await this.#pg.close();
  }
}

/**
 * Kysely dialect for PGlite whose transactions run inside PGlite's `transaction()`.
 * `ownsInstance`: `db.destroy()` closes the PGlite too. @default true
 */
export class PGliteDialect implements Dialect {
  readonly #pg: PGlite;
  readonly #ownsInstance: boolean;

  constructor(pg: PGlite, options: { ownsInstance?: boolean } = {}) {
    this.#pg = pg;
    this.#ownsInstance = options.ownsInstance ?? true;
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver() {
    return new PGliteDriver(this.#pg, this.#ownsInstance);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own Dialect signature.
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
