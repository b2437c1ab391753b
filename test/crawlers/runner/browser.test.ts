import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, reachableListings, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import { BrowserLanes } from '../../../crawlers/runner/browser-lanes.ts';
import { BROWSER_ARGS } from '../../../crawlers/runner/browser-args.ts';
import { captureEvidence, evidenceDir, sha256 } from '../../../crawlers/runner/evidence.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import type { Db } from '../../../src/core/db/types.ts';
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
    const got = new Set(
      (await db.query<{ external_id: string }>(`SELECT external_id FROM listings WHERE marketplace = 'shopee'`)).rows.map(
        (row) => row.external_id,
      ),
    );
    const found = reachable.filter((id) => got.has(id)).length;
    expect(found / reachable.length, JSON.stringify(summary)).toBeGreaterThanOrEqual(0.99);
    expect(summary.status).toBe('completed');
  });

  it('captureEvidence keeps one load: screenshot, raw page, DOM, WACZ and metadata, each with its SHA-256', async () => {
    const listing = reachableListings(sandbox.world, { skin: 'tiktok', query: 'son', maxPages: 1 })[0]!;
    const deps = testDeps(db, { chromiumPath: chromium! });
    const url = `${sandbox.url}/tiktok/view/product/${listing}`;
    const result = await captureEvidence({ url, allowHosts: [new URL(sandbox.url).host] }, deps);
    if (!result.ok) throw new Error(result.reason);
    const record = result.evidence;
    expect(result.httpStatus).toBe(200);
    expect(record.files.map((file) => file.kind).sort()).toEqual(['dom', 'meta', 'raw', 'screenshot', 'wacz']);
    for (const file of record.files) {
      const content = readFileSync(path.join(evidenceDir(deps.config.dataDir), file.path));
      expect(sha256(content)).toBe(file.sha256);
    }
    const png = readFileSync(path.join(evidenceDir(deps.config.dataDir), record.files.find((file) => file.kind === 'screenshot')!.path));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(record.capturedAtLocal).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    const row = await db.query<{ url: string; crawler_version: string; http_status: number }>(
      `SELECT url, crawler_version, http_status FROM evidence WHERE id = $1`,
      [record.id],
    );
    expect(row.rows[0]).toMatchObject({ url, crawler_version: record.crawlerVersion, http_status: 200 });
  });

  it('captureEvidence refuses a private address that is not allowlisted, as a failed capture', async () => {
    const deps = testDeps(db, { chromiumPath: chromium! });
    const result = await captureEvidence({ url: `${sandbox.url}/tiktok/` }, deps);
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/SSRF guard/) });
  });
});

describe.skipIf(!chromium)('in-process browser crawl on reused pages', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  beforeAll(async () => {
    // Transient faults (429, 5xx, slow) on the pages and their API calls exercise retries on reused pages.
    sandbox = await startSandbox({ seed: 8, listings: 6_000, faults: 'default' });
    db = await PgliteDb.open();
    await migrate(db);
  });
  afterAll(async () => {
    await sandbox?.close();
    await db?.close();
  });

  it('crawls two search pages and every shop on them once, recovering from a block on a fresh session', { timeout: 180_000 }, async () => {
    const shopee = getAdapter('shopee');
    let blockedOnce = false;
    const adapter = {
      ...shopee,
      parse: (...args: Parameters<typeof shopee.parse>) => {
        const [, request] = args;
        // The second search page answers like Shopee's anti-bot wall once.
        if (!blockedOnce && request.kind === 'search' && request.page === 2) {
          blockedOnce = true;
          return { outcome: 'blocked' as const, reason: 'test block' };
        }
        return shopee.parse(...args);
      },
    };
    const summary = await runCrawl(
      {
        adapter,
        target: { mode: 'category', category: 'fashion' },
        maxPages: 2,
        baseUrl: `${sandbox.url}/shopee`,
        allowHosts: [new URL(sandbox.url).host],
        requestsPerMinute: 0,
        retryBaseMs: 50,
        concurrency: 2,
      },
      testDeps(db, { chromiumPath: chromium! }),
    );
    const reachable = reachableListings(sandbox.world, { skin: 'shopee', category: 'fashion', maxPages: 2 });
    const shops = new Set(reachable.map((id) => sandbox.world.findListing('shopee', id)!.shopId));
    expect(summary.status, JSON.stringify(summary)).toBe('completed');
    expect(summary.blocked).toBe(1);
    // Each shop page is fetched once however many search results point at it (dedup by uniqueKey).
    expect(summary.pages).toBe(2 + shops.size);
    const got = new Set(
      (await db.query<{ external_id: string }>(`SELECT external_id FROM listings WHERE marketplace = 'shopee'`)).rows.map(
        (row) => row.external_id,
      ),
    );
    expect(reachable.filter((id) => got.has(id)).length / reachable.length).toBeGreaterThanOrEqual(0.99);
    // Every shop's own page was read and its detail kept (a failed data call of a shop page is retried,
    // not half read; a detail answering after the item list is not dropped).
    const detailed = new Set(
      (
        await db.query<{ external_id: string }>(`SELECT external_id FROM shops WHERE marketplace = 'shopee' AND follower_count IS NOT NULL`)
      ).rows.map((row) => row.external_id),
    );
    const missed = reachable.filter((id) => !got.has(id));
    expect(
      [...shops].filter((id) => !detailed.has(id)),
      JSON.stringify({ summary, missedListings: missed }),
    ).toEqual([]);
  });

  it('BrowserLanes keeps one page per lane and session, recycles it after its navigations, and closes every context', async () => {
    const { chromium: launcher } = await import('playwright');
    const browser = await launcher.launch({ executablePath: chromium!, args: BROWSER_ARGS, headless: true });
    try {
      let setups = 0;
      const lanes = new BrowserLanes({ browser: async () => browser, setupContext: async () => void (setups += 1), navigationsPerPage: 2 });
      const first = await lanes.page(0, 'a');
      expect(await lanes.page(0, 'a')).toBe(first);
      // Third navigation: a fresh page in the same context (cookies kept).
      const recycled = await lanes.page(0, 'a');
      expect(recycled).not.toBe(first);
      expect(first.isClosed()).toBe(true);
      expect(recycled.context()).toBe(first.context());
      const other = await lanes.page(1, 'b');
      expect(other.context()).not.toBe(recycled.context());
      // A retired session (new id) gets a new context.
      const rotated = await lanes.page(0, 'a2');
      expect(rotated.context()).not.toBe(recycled.context());
      expect(setups).toBe(3);
      expect(browser.contexts()).toHaveLength(2);
      await lanes.close();
      expect(browser.contexts()).toHaveLength(0);
      await expect(lanes.page(0, 'a2')).rejects.toThrow(/closed/);
    } finally {
      await browser.close();
    }
  });
});
