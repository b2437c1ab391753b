// Issue 16, medium: every command ran migrations; `radar leads list` against the maintenance
// database quietly created 15 tables, a view and trigger functions there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetContext } from '../../src/apps/cli/context.ts';
import { runRadar } from '../helpers/cli.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';

const adminUrl = await postgresAdminUrl();

async function relationCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`,
    );
    const fns = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'`,
    );
    return rows[0]!.n + fns.rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe.skipIf(!adminUrl)('read commands never migrate', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-nomigrate-'));
    process.env.DATABASE_URL = scratch.url;
    process.env.RADAR_DATA_DIR = dir;
    process.env.LOG_LEVEL = 'silent';
  });
  afterAll(async () => {
    process.env = saved;
    resetContext();
    await scratch?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['leads', 'list'],
    ['leads', 'stats'],
    ['sql', 'SELECT 1'],
    ['score', '--all'],
  ])('radar %s %s on an empty database creates nothing and says to run radar migrate', async (...args) => {
    const result = await runRadar(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/run `radar migrate`/);
    expect(await relationCount(scratch.url)).toBe(0);
  });

  it('radar migrate is what creates the schema, and then leads list works', async () => {
    expect((await runRadar('migrate')).code).toBe(0);
    expect(await relationCount(scratch.url)).toBeGreaterThan(10);
    expect((await runRadar('leads', 'list', '--json')).code).toBe(0);
  });
});
