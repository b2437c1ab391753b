import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.ts';
import type { Db, Queryable } from './types.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

/** Any fixed 64-bit number works; it only has to be the same for every radar process. */
const MIGRATION_LOCK_KEY = 4_242_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  applied_at: Date;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  const seen = new Set<number>();
  return files.map((file) => {
    const match = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!match) throw new Error(`migration file ${file} must be named NNNN_name.sql`);
    const version = Number(match[1]);
    if (seen.has(version)) throw new Error(`two migrations share version ${version}`);
    seen.add(version);
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return { version, name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

async function ensureMigrationsTable(tx: Queryable): Promise<void> {
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so any number of workers
 * may start at once: the first applies, the rest wait and then find nothing to do.
 * Refuses to run when an applied migration's file was edited (migrations are forward-only).
 */
export async function migrate(db: Db, migrations = readMigrations()): Promise<Migration[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await ensureMigrationsTable(tx);
    const { rows } = await tx.query<AppliedMigration>('SELECT version, name, checksum, applied_at FROM schema_migrations');
    const applied = new Map(rows.map((row) => [row.version, row]));
    const pending: Migration[] = [];
    for (const migration of migrations) {
      const done = applied.get(migration.version);
      if (!done) {
        pending.push(migration);
      } else if (done.checksum !== migration.checksum) {
        throw new UserError(
          `migration ${migration.version}_${migration.name} was edited after it was applied; migrations are forward-only, so add a new numbered file instead`,
          1,
        );
      }
    }
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
    }
    return pending;
  });
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: Migration[];
}

export async function migrationStatus(db: Db, migrations = readMigrations()): Promise<MigrationStatus> {
  const { rows: exists } = await db.query<{ present: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS present");
  const applied = exists[0]?.present
    ? (await db.query<AppliedMigration>('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).rows
    : [];
  const appliedVersions = new Set(applied.map((row) => row.version));
  return { applied, pending: migrations.filter((migration) => !appliedVersions.has(migration.version)) };
}
