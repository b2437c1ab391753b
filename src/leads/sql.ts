import pg from 'pg';
import { UserError } from '../core/errors.ts';
import type { Db, Queryable } from '../core/db/types.ts';
import { PgliteDb } from '../core/db/pglite.ts';
import {
  READER_PLAIN_ROLE_FIX,
  READER_ROLE,
  becomeReader,
  lockDownForReader,
  sessionIdentity,
  type ReaderSessionOptions,
} from '../core/db/stores/reader.ts';
// Side effect: the shared int8/numeric type parsers, so ids print as numbers on both databases.
import '../core/db/postgres.ts';

export interface SqlResult {
  columns: string[];
  /** Rows as arrays in column order (duplicate column names stay distinct). */
  rows: unknown[][];
}

/**
 * Where `radar sql` runs: the embedded database, or a PostgreSQL server by URL. On PostgreSQL the
 * query runs over its own login as `radar_reader`: `readerUrl` when given, else `url` with that
 * user name (and `readerPassword`, if any).
 */
export type SqlTarget = { kind: 'pglite'; db: PgliteDb } | { kind: 'postgres'; url: string; readerUrl?: string; readerPassword?: string };

/** How the reader login is found: `RADAR_READER_URL`, or DATABASE_URL with `radar_reader` and `RADAR_READER_PASSWORD`. */
export interface ReaderLogin {
  readerUrl?: string;
  readerPassword?: string;
}

/** Picks the target for an open Db: the server URL when it is PostgreSQL. */
export function sqlTargetFor(db: Db, databaseUrl: string | undefined, login: ReaderLogin = {}): SqlTarget {
  if (db instanceof PgliteDb) return { kind: 'pglite', db };
  if (!databaseUrl) throw new Error('a PostgreSQL Db needs its DATABASE_URL for read-only SQL');
  return { kind: 'postgres', url: databaseUrl, ...login };
}

/** The URL `radar sql` connects with on PostgreSQL: never the caller's own user. */
export function readerUrlFor(target: Extract<SqlTarget, { kind: 'postgres' }>): string {
  if (target.readerUrl) return target.readerUrl;
  const url = new URL(target.url);
  url.username = READER_ROLE;
  url.password = target.readerPassword ? encodeURIComponent(target.readerPassword) : '';
  return url.toString();
}

function explain(error: unknown): UserError {
  if (error instanceof UserError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/read-only transaction/i.test(message)) {
    return new UserError(`radar sql is read-only: ${message}. Use the radar commands (e.g. \`radar leads set-status\`) to change data.`, 2);
  }
  if (/permission denied|must be (a )?superuser|must be a member|privilege/i.test(message)) {
    return new UserError(`radar sql runs as the read-only role ${READER_ROLE}: ${message}`, 2);
  }
  if (/multiple commands/i.test(message)) {
    return new UserError('radar sql runs one statement at a time; split the query and run each part separately.', 2);
  }
  if (/statement timeout/i.test(message)) return new UserError(`query took too long: ${message}`, 1);
  return new UserError(`query failed: ${message}`, 1);
}

const roleMissing = (detail: string) =>
  new UserError(
    `radar sql cannot act as the read-only role ${READER_ROLE} (${detail}); run \`radar migrate\`, which creates it, and retry. It never runs with your own privileges.`,
    2,
  );

/** Refuses unless the session is the reader and nothing it could reach escapes read-only. */
async function assertReader(db: Queryable, requireSessionUser: boolean): Promise<void> {
  const who = await sessionIdentity(db);
  if (who.currentUser !== READER_ROLE) throw roleMissing(`the session acts as ${who.currentUser}`);
  if (who.superuser || who.dangerousRoles.length > 0) {
    throw new UserError(
      `refusing to run: role ${READER_ROLE} is ${who.superuser ? 'a superuser' : `a member of ${who.dangerousRoles.join(', ')}`}; an administrator must make it a plain role (${READER_PLAIN_ROLE_FIX})`,
      2,
    );
  }
  if (requireSessionUser && who.sessionUser !== READER_ROLE) {
    throw new UserError(`refusing to run: radar sql must log in as ${READER_ROLE}, but RADAR_READER_URL logs in as ${who.sessionUser}`, 2);
  }
}

/**
 * Runs one SQL statement as `radar_reader` inside a READ ONLY transaction with a statement timeout,
 * and always rolls back. The statement goes through the extended protocol, so `COMMIT; DELETE …`
 * cannot escape the transaction: PostgreSQL refuses several commands in one prepared statement.
 * PostgreSQL: a separate login as the reader, so nothing in the query can regain the caller's
 * privileges. PGlite (one superuser session): the means to change role from inside a statement
 * (set_config, DO blocks) are revoked first, in the same transaction that is rolled back.
 */
export async function runReadOnlySql(target: SqlTarget, sql: string, options: ReaderSessionOptions = {}): Promise<SqlResult> {
  // eslint-disable-next-line no-restricted-syntax -- an analyst recipe in help text
  if (!sql.trim()) throw new UserError('no SQL given; try: radar sql "SELECT * FROM flagged_listings LIMIT 10"');
  if (target.kind === 'pglite') {
    try {
      return await target.db.pglite.transaction(async (inner) => {
        const tx: Queryable = {
          query: async (text, params) => {
            const r = await inner.query<never>(text, params as unknown[] | undefined);
            return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
          },
          exec: async (text) => void (await inner.exec(text)),
        };
        await lockDownForReader(tx);
        try {
          await becomeReader(tx, options);
        } catch (error) {
          throw roleMissing((error as Error).message);
        }
        await assertReader(tx, false);
        const result = await inner.query<Record<string, unknown>>(sql, [], { rowMode: 'array' });
        const out = { columns: result.fields.map((f) => f.name), rows: result.rows as unknown as unknown[][] };
        await inner.rollback();
        return out;
      });
    } catch (error) {
      throw explain(error);
    }
  }
  const client = new pg.Client({ connectionString: readerUrlFor(target), connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    const message = (error as Error).message;
    if (/ECONNREFUSED|ENOTFOUND|timeout/i.test(message))
      throw new UserError(`cannot connect to DATABASE_URL: ${message}. Is PostgreSQL running?`);
    throw new UserError(
      `radar sql logs in as the read-only role ${READER_ROLE} and could not: ${message}. Run \`radar migrate\` (it creates the role and, with RADAR_READER_PASSWORD set, its password) or set RADAR_READER_URL. It never falls back to DATABASE_URL's own user.`,
      2,
    );
  }
  client.on('error', () => undefined);
  const tx: Queryable = {
    query: async <R extends object>(text: string, params?: readonly unknown[]) => {
      const r = await client.query<R>(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
    },
    exec: async (text) => void (await client.query(text)),
  };
  try {
    await client.query('BEGIN READ ONLY');
    try {
      await becomeReader(tx, options);
    } catch (error) {
      throw roleMissing((error as Error).message);
    }
    await assertReader(tx, true);
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
