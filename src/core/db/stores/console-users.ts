import type { Queryable } from '../types.ts';

export const CONSOLE_ROLES = ['admin', 'national', 'provincial', 'viewer'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

/** A console account as stored; `password_hash` never leaves the accounts service. */
export interface ConsoleUserRow {
  id: number;
  name: string;
  role: ConsoleRole;
  provinces: number[];
  password_hash: string;
  must_change_password: boolean;
  disabled_at: Date | null;
  created_at: Date;
}

const USER_COLUMNS = 'id, name, role, provinces, password_hash, must_change_password, disabled_at, created_at';

export interface NewConsoleUser {
  name: string;
  role: ConsoleRole;
  provinces: readonly number[];
  passwordHash: string;
  mustChangePassword: boolean;
}

/** Inserts a user; returns null when the name (case-insensitive) is taken. */
export async function insertConsoleUser(db: Queryable, user: NewConsoleUser): Promise<ConsoleUserRow | null> {
  const { rows } = await db.query<ConsoleUserRow>(
    `INSERT INTO console_users (name, role, provinces, password_hash, must_change_password)
     VALUES ($1, $2, $3::integer[], $4, $5)
     ON CONFLICT (lower(name)) DO NOTHING
     RETURNING ${USER_COLUMNS}`,
    [user.name, user.role, [...user.provinces], user.passwordHash, user.mustChangePassword],
  );
  return rows[0] ?? null;
}

export async function findConsoleUserByName(db: Queryable, name: string): Promise<ConsoleUserRow | null> {
  const { rows } = await db.query<ConsoleUserRow>(`SELECT ${USER_COLUMNS} FROM console_users WHERE lower(name) = lower($1)`, [name]);
  return rows[0] ?? null;
}

export async function findConsoleUserById(db: Queryable, id: number): Promise<ConsoleUserRow | null> {
  const { rows } = await db.query<ConsoleUserRow>(`SELECT ${USER_COLUMNS} FROM console_users WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function listConsoleUsers(db: Queryable): Promise<ConsoleUserRow[]> {
  return (await db.query<ConsoleUserRow>(`SELECT ${USER_COLUMNS} FROM console_users ORDER BY lower(name)`)).rows;
}

export async function countConsoleUsers(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM console_users');
  return rows[0]!.n;
}

/** Disables (or re-enables) an account and ends its sessions; returns false when there is no such user. */
export async function setConsoleUserDisabled(db: Queryable, name: string, disabled: boolean): Promise<boolean> {
  const { rows } = await db.query<{ id: number }>(
    `UPDATE console_users SET disabled_at = CASE WHEN $2 THEN COALESCE(disabled_at, now()) ELSE NULL END, updated_at = now()
     WHERE lower(name) = lower($1) RETURNING id`,
    [name, disabled],
  );
  if (!rows[0]) return false;
  if (disabled) await db.query('DELETE FROM console_sessions WHERE user_id = $1', [rows[0].id]);
  return true;
}

/** Stores a new password hash and ends the user's other sessions; returns false when there is no such user. */
export async function setConsoleUserPassword(
  db: Queryable,
  userId: number,
  passwordHash: string,
  mustChange: boolean,
  keepSessionHash?: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE console_users SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1',
    [userId, passwordHash, mustChange],
  );
  await db.query('DELETE FROM console_sessions WHERE user_id = $1 AND token_hash IS DISTINCT FROM $2', [userId, keepSessionHash ?? null]);
  return rowCount > 0;
}

/** Wrong passwords in a row for a login name, and when the last one was. */
export async function loginFailures(db: Queryable, login: string): Promise<{ failures: number; lastFailureAt: Date } | null> {
  const { rows } = await db.query<{ failures: number; last_failure_at: Date }>(
    'SELECT failures, last_failure_at FROM console_login_failures WHERE login = lower($1)',
    [login],
  );
  return rows[0] ? { failures: rows[0].failures, lastFailureAt: new Date(rows[0].last_failure_at) } : null;
}

/** Counts one more wrong password; a streak older than `windowSeconds` starts again at 1. */
export async function recordLoginFailure(db: Queryable, login: string, windowSeconds: number): Promise<number> {
  const { rows } = await db.query<{ failures: number }>(
    `INSERT INTO console_login_failures (login, failures, last_failure_at) VALUES (lower($1), 1, now())
     ON CONFLICT (login) DO UPDATE SET
       failures = CASE WHEN console_login_failures.last_failure_at < now() - make_interval(secs => $2) THEN 1
                       ELSE console_login_failures.failures + 1 END,
       last_failure_at = now()
     RETURNING failures`,
    [login, windowSeconds],
  );
  return rows[0]!.failures;
}

export async function clearLoginFailures(db: Queryable, login: string): Promise<void> {
  await db.query('DELETE FROM console_login_failures WHERE login = lower($1)', [login]);
}
