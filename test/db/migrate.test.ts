import { describe, expect, it } from 'vitest';
import { migrate, migrationStatus, readMigrations } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';

const adminUrl = await postgresAdminUrl();

describe('migrations', () => {
  it('are numbered, unique and named', () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
  });

  it('apply once on PGlite and are idempotent', async () => {
    const db = await PgliteDb.open();
    try {
      const first = await migrate(db);
      expect(first.length).toBe(readMigrations().length);
      expect(await migrate(db)).toEqual([]);
      const status = await migrationStatus(db);
      expect(status.pending).toEqual([]);
      expect(status.applied.map((m) => m.version)).toEqual(first.map((m) => m.version));
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM flagged_listings');
      expect(rows[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('refuse to run when an applied migration was edited', async () => {
    const db = await PgliteDb.open();
    try {
      const migrations = readMigrations();
      await migrate(db, migrations);
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await expect(migrate(db, edited)).rejects.toThrow(/forward-only/);
    } finally {
      await db.close();
    }
  });

  describe.skipIf(!adminUrl)('on a PostgreSQL server', () => {
    it('are safe when several processes migrate at once', async () => {
      const scratch = await createScratchDatabase(adminUrl!);
      const dbs = await Promise.all([1, 2, 3, 4].map(() => new PostgresDb(scratch.url).connect()));
      try {
        const results = await Promise.all(dbs.map((db) => migrate(db)));
        const appliedCounts = results.map((applied) => applied.length).sort();
        // Exactly one process applied everything; the others waited on the lock and found nothing to do.
        expect(appliedCounts).toEqual([0, 0, 0, readMigrations().length]);
        const { rows } = await dbs[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(rows[0]?.n).toBe(readMigrations().length);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await scratch.drop();
      }
    });
  });
});

describe.skipIf(!adminUrl)('radar migrate as separate processes', () => {
  it('two processes started at once both succeed and apply each migration once', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const run = promisify(execFile);
    const scratch = await createScratchDatabase(adminUrl!);
    try {
      const env = { ...process.env, DATABASE_URL: scratch.url, LOG_LEVEL: 'warn' };
      const outputs = await Promise.all([1, 2].map(() => run(process.execPath, ['bin/radar.mjs', 'migrate'], { env })));
      const stderr = outputs.map((o) => o.stderr).join('');
      expect(stderr).toMatch(/applied \d+ migration/);
      expect(stderr).toMatch(/is up to date/);
      const db = await new PostgresDb(scratch.url).connect();
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
      await db.close();
      expect(rows[0]?.n).toBe(readMigrations().length);
    } finally {
      await scratch.drop();
    }
  });
});
