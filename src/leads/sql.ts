import pg from 'pg';
import { UserError } from '../core/errors.ts';
import type { Db } from '../core/db/types.ts';
import { PgliteDb } from '../core/db/pglite.ts';
// Side effect: the shared int8/numeric type parsers, so ids print as numbers on both databases.
import '../core/db/postgres.ts';

export interface SqlResult {
  columns: string[];
  /** Rows as arrays in column order (duplicate column names stay distinct). */
  rows: unknown[][];
}

/** Where `radar sql` runs: the embedded database, or a PostgreSQL server by URL. */
export type SqlTarget = { kind: 'pglite'; db: PgliteDb } | { kind: 'postgres'; url: string };

/** Picks the target for an open Db: the server URL when it is PostgreSQL. */
export function sqlTargetFor(db: Db, databaseUrl: string | undefined): SqlTarget {
  if (db instanceof PgliteDb) return { kind: 'pglite', db };
  if (!databaseUrl) throw new Error('a PostgreSQL Db needs its DATABASE_URL for read-only SQL');
  return { kind: 'postgres', url: databaseUrl };
}

function explain(error: unknown): UserError {
  const message = error instanceof Error ? error.message : String(error);
  if (/read-only transaction/i.test(message)) {
    return new UserError(`radar sql is read-only: ${message}. Use the radar commands (e.g. \`radar leads set-status\`) to change data.`, 2);
  }
  if (/multiple commands/i.test(message)) {
    return new UserError('radar sql runs one statement at a time; split the query and run each part separately.', 2);
  }
  return new UserError(`query failed: ${message}`, 1);
}

/**
 * Runs one SQL statement inside a READ ONLY transaction and always rolls back, so even a statement
 * that slipped past read-only mode would leave nothing behind. The statement goes through
 * the extended protocol on both databases, so `COMMIT; DELETE …` cannot escape the transaction:
 * PostgreSQL refuses several commands in one prepared statement.
 */
export async function runReadOnlySql(target: SqlTarget, sql: string): Promise<SqlResult> {
  if (!sql.trim()) throw new UserError('no SQL given; try: radar sql "SELECT * FROM flagged_listings LIMIT 10"');
  if (target.kind === 'pglite') {
    try {
      return await target.db.pglite.transaction(async (tx) => {
        await tx.query('SET TRANSACTION READ ONLY');
        // After a first query PostgreSQL refuses to switch the transaction back to read-write.
        await tx.query('SELECT 1');
        const result = await tx.query<Record<string, unknown>>(sql, [], { rowMode: 'array' });
        const out = { columns: result.fields.map((f) => f.name), rows: result.rows as unknown as unknown[][] };
        await tx.rollback();
        return out;
      });
    } catch (error) {
      throw explain(error);
    }
  }
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new UserError(`cannot connect to DATABASE_URL: ${(error as Error).message}. Is PostgreSQL running?`);
  }
  try {
    await client.query('BEGIN READ ONLY');
    await client.query('SELECT 1');
    // queryMode is honoured by pg 8.23 but missing from its type definitions.
    const config: pg.QueryArrayConfig & { queryMode: 'extended' } = { text: sql, values: [], rowMode: 'array', queryMode: 'extended' };
    const result = await client.query(config);
    return { columns: result.fields.map((f) => f.name), rows: result.rows as unknown[][] };
  } catch (error) {
    throw explain(error);
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
