// A browser crawl behind proxies runs in crawlee's PlaywrightCrawler, with the same pipeline steps
// (robots.txt, URL guard, parse, sink) in its hooks.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, reachableListings, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { chromiumPath } from '../../helpers/services.ts';
import { testDeps } from './deps.ts';

const chromium = chromiumPath();

describe.skipIf(!chromium)('browser crawl behind a proxy (crawlee PlaywrightCrawler)', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let proxy: http.Server;
  let proxyUrl: string;
  const proxied: string[] = [];
  // A loopback canary the crawl is not allowed to reach (not allowlisted).
  let canary: http.Server;
  let canaryUrl: string;
  let canaryHits = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, listings: 300, faults: 'none' });
    db = await PgliteDb.open();
    await migrate(db);
    // A minimal forward proxy on loopback: absolute-form http requests only.
    proxy = http.createServer((req, res) => {
      proxied.push(req.url ?? '');
      const upstream = http.request(new URL(req.url ?? ''), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    canary = http.createServer((_req, res) => void ((canaryHits += 1), res.end('canary')));
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.2', resolve));
    canaryUrl = `http://127.0.0.2:${(canary.address() as AddressInfo).port}/canary`;
  }, 180_000);
  afterAll(async () => {
    canary?.closeAllConnections();
    await new Promise((resolve) => canary?.close(resolve));
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await sandbox?.close();
    await db?.close();
  });

  it(
    'crawls a Shopee shop through the proxy, skipping what robots.txt disallows and never touching a refused host',
    { timeout: 180_000 },
    async () => {
      const listing = Array.from({ length: sandbox.world.listingCount }, (_, i) => sandbox.world.listing(i)).find(
        (item) => item.skin === 'shopee',
      )!;
      const shopee = getAdapter('shopee');
      const baseUrl = `${sandbox.url}/shopee`;
      const host = new URL(sandbox.url).host;
      // The skin's robots.txt disallows /cart/ (from the origin's root), and the canary's host is not
      // allowlisted: both start requests are skipped before any navigation. The old engine's
      // pre-navigation hook set skipNavigation too late, and crawlee navigated to the canary anyway.
      const extra = [
        { url: `${sandbox.url}/cart/1`, kind: 'search' as const },
        { url: canaryUrl, kind: 'search' as const },
      ];
      const adapter = {
        ...shopee,
        startRequests: (...args: Parameters<typeof shopee.startRequests>) => [...shopee.startRequests(...args), ...extra],
      };
      const summary = await runCrawl(
        {
          adapter,
          target: { mode: 'shop', shopId: listing.shopId },
          maxPages: 1,
          baseUrl,
          allowHosts: [host],
          requestsPerMinute: 0,
          retryBaseMs: 50,
          concurrency: 2,
        },
        testDeps(db, { chromiumPath: chromium!, proxyUrls: [proxyUrl], allowHosts: [host] }),
      );
      const reachable = reachableListings(sandbox.world, { skin: 'shopee', shopId: listing.shopId, maxPages: 1 });
      const got = new Set(
        (await db.query<{ external_id: string }>(`SELECT external_id FROM listings WHERE marketplace = 'shopee'`)).rows.map(
          (row) => row.external_id,
        ),
      );
      expect(summary.status, JSON.stringify(summary)).toBe('completed');
      expect(reachable.filter((id) => got.has(id)).length / reachable.length).toBeGreaterThanOrEqual(0.99);
      // The pages went through the proxy (Playwright sends loopback through a configured proxy too).
      expect(proxied.some((url) => url.includes('/shopee/'))).toBe(true);
      expect(proxied.some((url) => url.includes('/cart/1'))).toBe(false);
      expect(canaryHits).toBe(0);
      expect(proxied.some((url) => url.includes('127.0.0.2'))).toBe(false);
      const stats = (
        await db.query<{ stats: { robotsSkipped: number; ssrfRefused: number } }>(`SELECT stats FROM crawl_runs WHERE id = $1`, [
          summary.runId,
        ])
      ).rows[0]!.stats;
      expect(stats).toMatchObject({ robotsSkipped: 1, ssrfRefused: 1 });
    },
  );
});
