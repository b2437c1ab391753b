import { loadConfig } from '../../core/config/load.ts';
import type { Config } from '../../core/config/schema.ts';
import { createLogger, type Logger } from '../../core/log/logger.ts';
import { migrate } from '../../core/db/migrate.ts';
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

/**
 * Opens the configured database, applies pending migrations (cheap when none are pending), runs `fn`,
 * and always closes the connection so the process can exit.
 */
export async function withDb<T>(fn: (db: Db, ctx: CliContext) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const ctx = getContext();
  const db = await openDb(ctx.config);
  try {
    if (options.migrate ?? true) await migrate(db);
    return await fn(db, ctx);
  } finally {
    await db.close();
  }
}

/** Writes one JSON value per line to stdout: the format scripts read. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
