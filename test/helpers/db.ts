import { PgliteDb } from '../../src/core/db/pglite.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import type { Db } from '../../src/core/db/types.ts';
import { createScratchDatabase, postgresAdminUrl } from './services.ts';

export interface TestDbTarget {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated database; the returned `cleanup` closes and drops it. */
  open(): Promise<{ db: Db; url?: string; cleanup: () => Promise<void> }>;
}

const pglite: TestDbTarget = {
  name: 'pglite',
  async open() {
    const db = await PgliteDb.open();
    await migrate(db);
    return { db, cleanup: () => db.close() };
  },
};

/**
 * Both database kinds the product runs on. PGlite always; the real server when it is reachable
 * (and it must be, under REQUIRE_SERVICES=1). Use with `describe.each(await dbTargets())`.
 */
export async function dbTargets(): Promise<TestDbTarget[]> {
  const adminUrl = await postgresAdminUrl();
  if (!adminUrl) return [pglite];
  const postgres: TestDbTarget = {
    name: 'postgres',
    async open() {
      const scratch = await createScratchDatabase(adminUrl);
      const db = await new PostgresDb(scratch.url).connect();
      await migrate(db);
      return {
        db,
        url: scratch.url,
        cleanup: async () => {
          await db.close();
          await scratch.drop();
        },
      };
    },
  };
  return [pglite, postgres];
}
