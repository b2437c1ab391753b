import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, reachableListings, type RunningSandbox } from '../../../src/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import { captureEvidence, evidenceDir, sha256 } from '../../../crawlers/runner/evidence.ts';
import { PgliteDb } from '../../../src/db/pglite.ts';
import { migrate } from '../../../src/db/migrate.ts';
import type { Db } from '../../../src/db/types.ts';
import { chromiumPath } from '../../helpers/services.ts';
import { testDeps } from './deps.ts';

const chromium = chromiumPath();

/** Index of a Shopee listing whose shop has several listings. */
function reachableIndex(sandbox: RunningSandbox): number {
  for (let i = 0; i < 600; i += 1) {
    const listing = sandbox.world.listing(i);
    if (listing.skin === 'shopee' && reachableListings(sandbox.world, { skin: 'shopee', shopId: listing.shopId }).length >= 3) return i;
  }
  throw new Error('no Shopee shop with 3 listings in this world');
}

describe.skipIf(!chromium)('browser crawl with real Chromium', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, listings: 600, faults: 'default' });
    db = await PgliteDb.open();
    await migrate(db);
  });
  afterAll(async () => {
    await sandbox?.close();
    await db?.close();
  });

  it('crawls the /shopee skin by intercepting the JSON the page fetches, collecting ≥ 99% of reachable listings', async () => {
    // One shop keeps the browser work small: a shop page and its listing pages.
    const shopId = sandbox.world.listing(reachableIndex(sandbox)).shopId;
    const summary = await runCrawl(
      {
        adapter: getAdapter('shopee'),
        target: { mode: 'shop', shopId },
        maxPages: 1,
        baseUrl: `${sandbox.url}/shopee`,
        allowHosts: [new URL(sandbox.url).host],
        requestsPerMinute: 0,
        retryBaseMs: 50,
        concurrency: 2,
      },
      testDeps(db, { chromiumPath: chromium! }),
    );
    const reachable = reachableListings(sandbox.world, { skin: 'shopee', shopId, maxPages: 1 });
    expect(reachable.length).toBeGreaterThan(0);
    const got = new Set((await db.query<{ external_id: string }>(`SELECT external_id FROM listings WHERE marketplace = 'shopee'`)).rows.map((row) => row.external_id));
    const found = reachable.filter((id) => got.has(id)).length;
    expect(found / reachable.length, JSON.stringify(summary)).toBeGreaterThanOrEqual(0.99);
    expect(summary.status).toBe('completed');
  });

  it('captureEvidence stores a full-page screenshot and the raw page with their SHA-256', async () => {
    const listing = reachableListings(sandbox.world, { skin: 'tiktok', query: 'son', maxPages: 1 })[0]!;
    const deps = testDeps(db, { chromiumPath: chromium! });
    const url = `${sandbox.url}/tiktok/view/product/${listing}`;
    const record = await captureEvidence({ url, allowHosts: [new URL(sandbox.url).host] }, deps);
    expect(record.files.map((file) => file.kind).sort()).toEqual(['meta', 'raw', 'screenshot']);
    for (const file of record.files) {
      const content = readFileSync(path.join(evidenceDir(deps.config.dataDir), file.path));
      expect(sha256(content)).toBe(file.sha256);
    }
    const png = readFileSync(path.join(evidenceDir(deps.config.dataDir), record.files.find((file) => file.kind === 'screenshot')!.path));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(record.capturedAtLocal).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    const row = await db.query<{ url: string; crawler_version: string }>(`SELECT url, crawler_version FROM evidence WHERE id = $1`, [record.id]);
    expect(row.rows[0]).toMatchObject({ url, crawler_version: record.crawlerVersion });
  });

  it('captureEvidence refuses a private address that is not allowlisted', async () => {
    const deps = testDeps(db, { chromiumPath: chromium! });
    await expect(captureEvidence({ url: `${sandbox.url}/tiktok/` }, deps)).rejects.toThrow(/refused to fetch.*loopback/);
  });
});
