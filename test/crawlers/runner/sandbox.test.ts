import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, reachableListings, type RunningSandbox, type Skin } from '../../../src/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import { PgliteDb } from '../../../src/db/pglite.ts';
import { migrate } from '../../../src/db/migrate.ts';
import type { Db } from '../../../src/db/types.ts';
import { testDeps } from './deps.ts';

/** The HTTP adapters and the skin each one reads; Shopee needs a browser and has its own file. */
const HTTP_ADAPTERS: { name: string; skin: Skin; siteFile?: string }[] = [
  { name: 'tiki', skin: 'tiki' },
  { name: 'sendo', skin: 'sendo' },
  { name: 'lazada', skin: 'lazada' },
  { name: 'tiktok', skin: 'tiktok' },
  { name: 'schemaorg', skin: 'shop' },
  { name: 'selectors', skin: 'shop', siteFile: 'crawlers/sites/sandbox-shop.yaml' },
];
const QUERY = 'son';
const MAX_PAGES = 3;

/** Web shops key listings by URL; the sandbox truth keys them by product id (`/shop/p/{id}-slug`). */
function collectedIds(rows: { external_id: string; url: string | null }[]): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(row.external_id);
    const web = /\/p\/(\d+)-/.exec(row.url ?? row.external_id);
    if (web) ids.add(web[1]!);
  }
  return ids;
}

async function crawlSkin(db: Db, sandbox: RunningSandbox, adapterName: string, skin: Skin, siteFile?: string) {
  const adapter = getAdapter(adapterName, siteFile ? { siteFile } : {});
  return runCrawl(
    {
      adapter,
      target: { mode: 'query', query: QUERY },
      maxPages: MAX_PAGES,
      baseUrl: `${sandbox.url}/${skin}`,
      allowHosts: [new URL(sandbox.url).host],
      requestsPerMinute: 0,
      retryBaseMs: 50,
    },
    testDeps(db),
  );
}

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
    expect(found / reachable.length, `${name}: ${found}/${reachable.length}, summary ${JSON.stringify(summary)}`).toBeGreaterThanOrEqual(0.99);
    expect(summary.status).toBe('completed');
    expect(summary.errors).toBe(0);
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
