export interface QueryResult<R> {
  rows: R[];
  /** Rows inserted, updated or deleted (or returned, for SELECT). */
  rowCount: number;
}

/** What repositories need: one parameterised statement at a time. Implemented by a Db and by a transaction. */
export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs one or more statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export type DbKind = 'postgres' | 'pglite';

/**
 * The one database interface: a PostgreSQL server through `pg`, or embedded PGlite.
 * The same SQL, migrations and repositories run on both.
 */
export interface Db extends Queryable {
  readonly kind: DbKind;
  /** Human-readable target with credentials masked, e.g. "postgres://radar:***@db:5432/radar". */
  readonly target: string;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
