import { loadConfig } from '../../core/config/load.ts';
import type { Config } from '../../core/config/schema.ts';
import { createLogger, type Logger } from '../../core/log/logger.ts';
import { migrate, migrationStatus } from '../../core/db/migrate.ts';
import { UserError } from '../../core/errors.ts';
import { openDb } from '../../core/db/open.ts';
import type { Db } from '../../core/db/types.ts';

/** What every command gets: validated config and a logger. Built once per process. */
export interface CliContext {
  config: Config;
  log: Logger;
}

let cached: CliContext | undefined;

export function getContext(): CliContext {
  if (!cached) {
    const config = loadConfig();
    cached = { config, log: createLogger({ level: config.logLevel }) };
  }
  return cached;
}

/** For tests: forget the cached context so the next command reloads config from the environment. */
export function resetContext(): void {
  cached = undefined;
}

/** Stops with one line when the database lacks migrations: only `radar migrate` (and the demo, `worker --migrate`) change the schema. */
export async function assertMigrated(db: Db): Promise<void> {
  const status = await migrationStatus(db);
  if (status.pending.length === 0) return;
  const what = status.applied.length === 0 ? 'has no radar schema' : `has ${status.pending.length} pending migration(s)`;
  throw new UserError(`${db.target} ${what}; run \`radar migrate\` first (this command does not change the schema)`);
}

/**
 * Opens the configured database, runs `fn`, and always closes the connection so the process can exit.
 * `migrate`: true applies pending migrations first; false skips the check (the migrate and status
 * commands); unset (every other command) refuses an unmigrated database without touching it.
 */
export async function withDb<T>(fn: (db: Db, ctx: CliContext) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const ctx = getContext();
  const db = await openDb(ctx.config);
  try {
    if (options.migrate === true) await migrate(db);
    else if (options.migrate === undefined) await assertMigrated(db);
    return await fn(db, ctx);
  } finally {
    await db.close();
  }
}

/** Writes one JSON value per line to stdout: the format scripts read. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
