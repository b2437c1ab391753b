import type { Db, Queryable } from '../types.ts';

/** The two roles migration 0086 creates; neither has BYPASSRLS. */
export const CONSOLE_DB_ROLE = 'radar_console';
export const CONSOLE_READ_DB_ROLE = 'radar_console_read';

export interface DbScope {
  /** Viewers read only: their transactions run as radar_console_read, which may not write. */
  readOnly: boolean;
  /** null = every province (admin, national); otherwise the 2025 province codes the user may see. */
  provinces: readonly number[] | null;
}

/**
 * Runs `fn` in one transaction as the console role with the user's province scope, set with
 * SET LOCAL so it ends with the transaction and never leaks into a pooled connection.
 */
export async function withDbScope<T>(db: Db, scope: DbScope, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`SET LOCAL ROLE ${scope.readOnly ? CONSOLE_READ_DB_ROLE : CONSOLE_DB_ROLE}`);
    await tx.query(`SELECT set_config('radar.scope', $1, true), set_config('radar.provinces', $2, true)`, [
      scope.provinces === null ? 'all' : 'provinces',
      scope.provinces === null ? '' : scope.provinces.map((p) => String(Math.trunc(p))).join(','),
    ]);
    return fn(tx);
  });
}
