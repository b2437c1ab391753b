// Issue 16, critical: `radar sql` with a superuser DATABASE_URL ran shell commands and read server files.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import type { Db } from '../../src/core/db/types.ts';
import { runReadOnlySql, type SqlTarget } from '../../src/leads/sql.ts';
import { dbTargets } from '../helpers/db.ts';

describe.each(await dbTargets())('radar sql runs as radar_reader on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let sql: SqlTarget;
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-pwned-'));
  const pwned = path.join(dir, 'pwned.txt');

  beforeAll(async () => {
    let url: string | undefined;
    ({ db, url, cleanup } = await target.open());
    sql = db instanceof PgliteDb ? { kind: 'pglite', db } : { kind: 'postgres', url: url! };
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acts as radar_reader, not as the caller', async () => {
    const { rows } = await runReadOnlySql(sql, 'SELECT current_user::text');
    expect(rows[0]![0]).toBe('radar_reader');
  });

  it.each([
    ['COPY TO PROGRAM', `COPY (SELECT 1) TO PROGRAM 'touch ${pwned}'`],
    ['COPY TO a file', `COPY (SELECT 1) TO '${pwned}'`],
    ['pg_read_file', `SELECT pg_read_file('/etc/passwd')`],
    ['pg_ls_dir', `SELECT pg_ls_dir('/')`],
    ['lo_import', `SELECT lo_import('/etc/passwd')`],
    ['reading schema_migrations', 'SELECT * FROM schema_migrations'],
    ['RESET ROLE inside a DO block', `DO $$ BEGIN RESET ROLE; EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${pwned}'''; END $$`],
    ['set_config(role) in the same statement', `SELECT set_config('role', 'none', true), pg_ls_dir('/')`],
    [
      'set_config(role) then a nested query',
      `SELECT set_config('role', 'none', true), query_to_xml('SELECT pg_read_file(''/etc/passwd'')', true, true, '')`,
    ],
    [
      'set_config(session_authorization)',
      `SELECT set_config('session_authorization', 'postgres', true), query_to_xml('SELECT pg_read_file(''/etc/passwd'')', true, true, '')`,
    ],
  ])('refuses %s', async (_name, statement) => {
    await expect(runReadOnlySql(sql, statement)).rejects.toThrow();
    expect(existsSync(pwned)).toBe(false);
  });

  it('cannot terminate another backend', async () => {
    // Aim at one backend this test owns, never `every other pid`: on code without the fix that
    // statement would end every session on the shared server.
    const { rows } = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const outcome = await runReadOnlySql(sql, `SELECT pg_terminate_backend(${Number(rows[0]!.pid)})`).then(
      (result) => result.rows.map((row) => row[0]),
      (error: Error) => error.message,
    );
    // PGlite has one backend (its own, which a role may signal); PostgreSQL refuses the reader.
    if (target.name === 'postgres')
      expect(outcome).toMatch(/runs as the read-only role.*(permission denied|superuser|must be a member|privilege)/i);
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
  });

  it('still answers analyst queries', async () => {
    const { columns } = await runReadOnlySql(sql, 'SELECT lead_id, title FROM flagged_listings LIMIT 1');
    expect(columns).toEqual(['lead_id', 'title']);
  });

  it('leaves the caller privileges untouched for the application (lockdown rolled back)', async () => {
    const { rows } = await db.query<{ ok: boolean }>(
      `SELECT has_function_privilege('public', 'pg_catalog.set_config(text,text,boolean)', 'EXECUTE') AS ok`,
    );
    expect(rows[0]!.ok).toBe(true);
  });
});
