import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRemoved, startSandbox, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { processRequests } from '../../../crawlers/runner/process-requests.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { testDeps } from './deps.ts';
import { HTTP_ADAPTERS, crawlSkin } from './sandbox-helpers.ts';

/** One embedded database for the file: opening PGlite is the slowest part of these tests. */
let db: Db;
beforeAll(async () => {
  db = await PgliteDb.open();
  await migrate(db);
});
afterAll(async () => db?.close());
const truncate = () => db.exec('TRUNCATE evidence, listing_observations, listings, shops, crawl_runs RESTART IDENTITY CASCADE');

describe('a re-crawl at a later epoch', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, listings: 600, faults: 'none' });
  });
  afterAll(async () => sandbox?.close());

  it('marks removed exactly the listings whose own page now says "not found"', async () => {
    await truncate();
    const first = await crawlSkin(db, sandbox, 'tiki', 'tiki');
    const { rows } = await db.query<{ external_id: string }>(`SELECT external_id FROM listings WHERE marketplace = 'tiki'`);
    const indexById = new Map<string, number>();
    for (let i = 0; i < sandbox.world.generatedListings; i += 1) indexById.set(sandbox.world.listing(i).id, i);
    // Epoch 3 removes ~3% per epoch step; pick the first epoch that removes at least one of ours.
    const epoch = [1, 2, 3, 4, 5, 6].find((e) => rows.some((row) => isRemoved(sandbox.world, indexById.get(row.external_id)!, e))) ?? 1;
    const gone = rows
      .filter((row) => isRemoved(sandbox.world, indexById.get(row.external_id)!, epoch))
      .map((row) => row.external_id)
      .sort();
    expect(gone.length, 'the world removes none of the crawled listings; pick another seed').toBeGreaterThan(0);
    const adapter = getAdapter('tiki');
    const details = rows.map((row) => ({
      url: `${sandbox.url}/tiki/api/v2/products/${row.external_id}`,
      kind: 'listing' as const,
      context: { baseUrl: `${sandbox.url}/tiki` },
      headers: { 'x-sandbox-epoch': String(epoch) },
    }));
    const result = await processRequests(
      details,
      { adapter, runId: first.runId, onDiscovered: () => undefined, allowHosts: [new URL(sandbox.url).host], requestsPerMinute: 0 },
      testDeps(db),
    );
    expect(result.removed).toBe(gone.length);
    const removed = await db.query<{ external_id: string }>(
      `SELECT external_id FROM listings WHERE status = 'removed' ORDER BY external_id`,
    );
    expect(removed.rows.map((row) => row.external_id)).toEqual(gone);
  });
});

describe('hostile faults', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 11, listings: 600, faults: 'hostile' });
  });
  afterAll(async () => sandbox?.close());

  it('no crash, no listing twice, blocks counted, nothing wrongly removed', async () => {
    await truncate();
    for (const { name, skin, siteFile } of HTTP_ADAPTERS.slice(0, 5)) {
      const summary = await crawlSkin(db, sandbox, name, skin, siteFile);
      expect(['completed', 'blocked']).toContain(summary.status);
      // One observation per listing per run: a listing recorded twice would show up here.
      const { rows } = await db.query<{ n: number; distinct_listings: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT listing_id)::int AS distinct_listings FROM listing_observations WHERE crawl_run_id = $1`,
        [summary.runId],
      );
      expect(rows[0]!.n).toBe(rows[0]!.distinct_listings);
    }
    const dupes = await db.query(`SELECT marketplace, external_id FROM listings GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dupes.rows).toEqual([]);
    // Epoch 0 has every listing: anything marked removed was marked wrongly (a block or a broken page).
    const removed = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE status = 'removed'`);
    expect(removed.rows[0]!.n).toBe(0);
    const served = sandbox.stats().faults;
    const blocksServed = (served.block ?? 0) + (served.gate ?? 0);
    const runs = await db.query<{ blocked: number }>(`SELECT coalesce(sum(blocked), 0)::int AS blocked FROM crawl_runs`);
    if (blocksServed > 0) expect(runs.rows[0]!.blocked).toBeGreaterThan(0);
    expect(runs.rows[0]!.blocked).toBeLessThanOrEqual(blocksServed);
  });
});
