import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { UserError } from '../errors.ts';
import type { Db, QueryResult, Queryable } from './types.ts';

/** Embedded PostgreSQL (PGlite): real Postgres in-process, persisted under the data dir. */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  readonly target: string;

  private constructor(
    readonly pglite: PGlite,
    target: string,
  ) {
    this.target = target;
  }

  /** `dataDir` undefined = in-memory (tests, benchmarks). */
  static async open(dataDir?: string): Promise<PgliteDb> {
    if (dataDir === undefined) return new PgliteDb(await PGlite.create(), 'embedded PGlite (in memory)');
    const dir = path.resolve(dataDir, 'pgdata');
    try {
      mkdirSync(dir, { recursive: true });
      return new PgliteDb(await PGlite.create(dir), `embedded PGlite at ${dir}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(
        `cannot open the embedded database at ${dir}: ${reason}. Is another radar process using it? Only one process can open it; set DATABASE_URL to share a PostgreSQL server.`,
      );
    }
  }

  async query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(text, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  async exec(sql: string): Promise<void> {
    await this.pglite.exec(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction(async (inner) => {
      const tx: Queryable = {
        async query<R extends object>(text: string, params?: readonly unknown[]) {
          const result = await inner.query<R>(text, params as unknown[] | undefined);
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
        },
        async exec(sql: string) {
          await inner.exec(sql);
        },
      };
      return fn(tx);
    });
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
