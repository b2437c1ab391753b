import type { Config } from '../config/schema.ts';
import { PgliteDb } from './pglite.ts';
import { PostgresDb, type PostgresDbOptions } from './postgres.ts';
import type { Db } from './types.ts';

/** `DATABASE_URL` set: that PostgreSQL server. Unset: embedded PGlite under the data dir. */
export async function openDb(config: Pick<Config, 'databaseUrl' | 'dataDir'>, options: PostgresDbOptions = {}): Promise<Db> {
  if (config.databaseUrl) return new PostgresDb(config.databaseUrl, options).connect();
  return PgliteDb.open(config.dataDir);
}
