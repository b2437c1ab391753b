import type { Queryable } from '../types.ts';

/** The read-only role of migration 0060: SELECT on the analyst tables and views, nothing else. */
export const READER_ROLE = 'radar_reader';

/** Built-in roles that would give file, program or signal access; the reader must hold none. */
const DANGEROUS_ROLES = [
  'pg_read_server_files',
  'pg_write_server_files',
  'pg_execute_server_program',
  'pg_signal_backend',
  'pg_write_all_data',
];

export interface SessionIdentity {
  currentUser: string;
  sessionUser: string;
  superuser: boolean;
  /** Built-in roles with file, program or signal power the current user has the privileges of. */
  dangerousRoles: string[];
}

/** Who the session acts as, and whether that identity could reach files, programs or other backends. */
export async function sessionIdentity(db: Queryable): Promise<SessionIdentity> {
  const { rows } = await db.query<{ current_user: string; session_user: string; superuser: boolean; dangerous: string[] | null }>(
    `SELECT current_user::text AS current_user, session_user::text AS session_user,
            coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
            (SELECT array_agg(r.rolname::text ORDER BY r.rolname) FROM pg_roles r
              WHERE r.rolname = ANY($1::text[]) AND pg_has_role(current_user, r.oid, 'USAGE')) AS dangerous`,
    [DANGEROUS_ROLES],
  );
  const row = rows[0]!;
  return { currentUser: row.current_user, sessionUser: row.session_user, superuser: row.superuser, dangerousRoles: row.dangerous ?? [] };
}

/** True when the reader role exists in this cluster. */
export async function readerRoleExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS present', [
    READER_ROLE,
  ]);
  return rows[0]?.present ?? false;
}

/** Sets the reader's login password (ALTER ROLE takes no parameters, so the literal is quoted by the server). */
export async function setReaderPassword(db: Queryable, password: string): Promise<void> {
  const { rows } = await db.query<{ sql: string }>(`SELECT format('ALTER ROLE ${READER_ROLE} PASSWORD %L', $1::text) AS sql`, [password]);
  await db.exec(rows[0]!.sql);
}

/**
 * Statements a superuser session runs inside a transaction that is always rolled back, before it
 * hands the session to the reader: with a superuser session user, `RESET ROLE` or
 * `set_config('role', …)` inside the reader's own query would otherwise restore the caller's
 * powers (PGlite has only that one session). Without set_config and without plpgsql (DO blocks),
 * a single statement cannot change role. Rolled back, so nothing stays changed.
 */
export const LOCKDOWN_STATEMENTS = [
  'REVOKE EXECUTE ON FUNCTION pg_catalog.set_config(text, text, boolean) FROM PUBLIC',
  'REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC',
] as const;

/** Runs {@link LOCKDOWN_STATEMENTS} (as a superuser, inside a transaction the caller rolls back or discards). */
export async function lockDownForReader(tx: Queryable): Promise<void> {
  for (const statement of LOCKDOWN_STATEMENTS) await tx.exec(statement);
}

export interface ReaderSessionOptions {
  /** @default 60000 */
  statementTimeoutMs?: number;
  /** @default 60000 */
  idleInTransactionTimeoutMs?: number;
}

/** Becomes the reader inside the current (already open) transaction: read-only, with timeouts. */
export async function becomeReader(tx: Queryable, options: ReaderSessionOptions = {}): Promise<void> {
  const statementMs = Math.max(1, Math.floor(options.statementTimeoutMs ?? 60_000));
  const idleMs = Math.max(1, Math.floor(options.idleInTransactionTimeoutMs ?? 60_000));
  await tx.exec(`SET LOCAL ROLE ${READER_ROLE}`);
  await tx.exec('SET LOCAL transaction_read_only = on');
  await tx.exec(`SET LOCAL statement_timeout = ${statementMs}`);
  await tx.exec(`SET LOCAL idle_in_transaction_session_timeout = ${idleMs}`);
}

/** What an administrator runs to make the reader a plain role again (shown in the refusal, never run). */
export const READER_PLAIN_ROLE_FIX = `ALTER ROLE ${READER_ROLE} NOSUPERUSER; REVOKE … FROM ${READER_ROLE}`;

/** Makes a fresh session (a served snapshot's copy) the reader for good: read-only, idle timeout, role. */
export async function becomeReaderForSession(db: Pick<Queryable, 'exec'>, idleInTransactionTimeoutMs: number): Promise<void> {
  await db.exec(
    `SET default_transaction_read_only = on; SET idle_in_transaction_session_timeout = ${idleInTransactionTimeoutMs}; SET ROLE ${READER_ROLE};`,
  );
}
