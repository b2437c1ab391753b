import type { Queryable } from '../types.ts';
import type { ConsoleRole } from './console-users.ts';

/** A live session joined with its (enabled) user: what every console request starts from. */
export interface ConsoleSessionRow {
  token_hash: string;
  csrf_token: string;
  user_id: number;
  name: string;
  role: ConsoleRole;
  provinces: number[];
  must_change_password: boolean;
}

export async function insertConsoleSession(
  db: Queryable,
  session: { tokenHash: string; userId: number; csrfToken: string; ttlSeconds: number },
): Promise<void> {
  await db.query(
    `INSERT INTO console_sessions (token_hash, user_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [session.tokenHash, session.userId, session.csrfToken, session.ttlSeconds],
  );
}

/** The session for a token hash, if it has not expired and its user is not disabled. */
export async function findConsoleSession(db: Queryable, tokenHash: string): Promise<ConsoleSessionRow | null> {
  const { rows } = await db.query<ConsoleSessionRow>(
    `SELECT cs.token_hash, cs.csrf_token, u.id AS user_id, u.name, u.role, u.provinces, u.must_change_password
     FROM console_sessions cs JOIN console_users u ON u.id = cs.user_id
     WHERE cs.token_hash = $1 AND cs.expires_at > now() AND u.disabled_at IS NULL`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function deleteConsoleSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM console_sessions WHERE token_hash = $1', [tokenHash]);
}

export async function deleteExpiredConsoleSessions(db: Queryable): Promise<number> {
  return (await db.query('DELETE FROM console_sessions WHERE expires_at <= now()')).rowCount;
}
