import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { PgliteDb } from '../../src/core/db/pglite.ts';

/** A throwaway database on the local server; `drop()` removes it even with connections still open. */
export interface ScratchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function checkPostgres(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * @param options.template copy this database (`CREATE DATABASE … TEMPLATE`): a migrated template
 *   makes a fresh schema per trial cost a file copy instead of running every migration again. The
 *   template must have no open connections.
 */
export async function createScratchDatabase(
  adminUrl: string,
  label: string,
  options: { template?: string } = {},
): Promise<ScratchDatabase> {
  const safeLabel = label
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 20);
  const name = `radar_bench_${safeLabel}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(options.template ? `CREATE DATABASE ${name} TEMPLATE ${options.template}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Drops the scratch databases a killed suite process left behind (their names carry its pid).
 * Returns the names dropped.
 */
export async function dropScratchDatabasesOf(adminUrl: string, pid: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ $1`, [
      `^radar_bench_[a-z0-9_]+_${pid}_[a-z0-9]+$`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    return rows.map((row) => row.datname);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A throwaway embedded database opened the way the product opens its own (`PgliteDb.open(dataDir)`,
 * a real data directory at `<dataDir>/pgdata`, as `radar demo` runs it), not PGlite's in-memory file
 * system, whose cost profile (growing in-memory files) production never has.
 */
export interface ScratchPglite {
  /** The directory handed to `PgliteDb.open`, under `os.tmpdir()`. */
  dataDir: string;
  db: PgliteDb;
  /** Closes the database (if still open) and deletes the directory. */
  remove(): Promise<void>;
}

/**
 * @param options.template the `dataDir` of a closed scratch database to copy (`<template>/pgdata`):
 *   a fresh data directory costs PGlite an initdb (~3 s here), a copy of a migrated one about a third.
 */
export async function openScratchPglite(label: string, options: { template?: string } = {}): Promise<ScratchPglite> {
  const safeLabel = label
    .replace(/[^a-z0-9_]/gi, '_')
    .toLowerCase()
    .slice(0, 20);
  const dataDir = await mkdtemp(path.join(tmpdir(), `radar-bench-${safeLabel}-${process.pid}-`));
  const removeDir = () => rm(dataDir, { recursive: true, force: true });
  try {
    if (options.template !== undefined) {
      await cp(path.join(options.template, 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
    }
    const db = await PgliteDb.open(dataDir);
    return {
      dataDir,
      db,
      async remove() {
        try {
          await db.close();
        } finally {
          await removeDir();
        }
      },
    };
  } catch (error) {
    await removeDir();
    throw error;
  }
}

/**
 * Deletes the scratch PGlite directories a killed suite process left behind (their names carry its
 * pid, ~40 MB each). Returns the paths removed.
 */
export async function removeScratchPglitesOf(pid: number, dir: string = tmpdir()): Promise<string[]> {
  const pattern = new RegExp(`^radar-bench-[a-z0-9_]+-${pid}-[A-Za-z0-9]+$`);
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    if (!pattern.test(name)) continue;
    await rm(path.join(dir, name), { recursive: true, force: true });
    removed.push(path.join(dir, name));
  }
  return removed;
}
