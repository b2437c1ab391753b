import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, reachableListings, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { HTTP_ADAPTERS, MAX_PAGES, QUERY, collectedIds, crawlSkin } from './sandbox-helpers.ts';

/** One embedded database for the file: opening PGlite is the slowest part of these tests. */
let db: Db;
beforeAll(async () => {
  db = await PgliteDb.open();
  await migrate(db);
});
afterAll(async () => db?.close());
const truncate = () => db.exec('TRUNCATE evidence, listing_observations, listings, shops, crawl_runs RESTART IDENTITY CASCADE');

describe('every HTTP adapter against the sandbox (default faults)', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, listings: 600, faults: 'default' });
  });
  afterAll(async () => sandbox?.close());

  it.each(HTTP_ADAPTERS)('$name collects ≥ 99% of the listings the truth says are reachable', async ({ name, skin, siteFile }) => {
    await truncate();
    const summary = await crawlSkin(db, sandbox, name, skin, siteFile);
    const reachable = reachableListings(sandbox.world, { skin, query: QUERY, maxPages: MAX_PAGES });
    expect(reachable.length).toBeGreaterThan(3);
    const { rows } = await db.query<{ external_id: string; url: string | null }>(`SELECT external_id, url FROM listings`);
    const got = collectedIds(rows);
    const found = reachable.filter((id) => got.has(id)).length;
    expect(found / reachable.length, `${name}: ${found}/${reachable.length}, summary ${JSON.stringify(summary)}`).toBeGreaterThanOrEqual(
      0.99,
    );
    expect(summary.status).toBe('completed');
    expect(summary.errors).toBe(0);
  });
});
