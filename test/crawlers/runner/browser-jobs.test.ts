// Browser adapters on the queue-job path: one Chromium per process, reused by every job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { listingPath, startSandbox, type RunningSandbox } from '../../../src/devtools/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { processRequests } from '../../../crawlers/runner/process-requests.ts';
import { createRunnerResources, type RunnerResources } from '../../../crawlers/runner/resources.ts';
import { startCrawlRun } from '../../../src/core/db/stores/crawl-runs.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import type { CrawlRequest } from '../../../crawlers/adapter.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { chromiumPath } from '../../helpers/services.ts';
import { testDeps } from './deps.ts';

const chromium = chromiumPath();

describe.skipIf(!chromium)('browser queue jobs with real Chromium', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let resources: RunnerResources;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, listings: 300, faults: 'none' });
    db = await PgliteDb.open();
    await migrate(db);
    resources = createRunnerResources();
    const launch = resources.browser.bind(resources);
    resources.browser = async (path) => {
      const browser = await launch(path);
      if (!browsers.includes(browser)) browsers.push(browser);
      return browser;
    };
  });
  afterAll(async () => {
    await resources?.close();
    await sandbox?.close();
    await db?.close();
  });

  it('stores each job’s listing through one shared browser, and closes it on shutdown', { timeout: 120_000 }, async () => {
    const baseUrl = `${sandbox.url}/shopee`;
    const requests: CrawlRequest[] = [];
    for (let i = 0; i < sandbox.world.listingCount && requests.length < 3; i++) {
      const listing = sandbox.world.listing(i);
      if (listing.skin === 'shopee')
        requests.push({ url: `${baseUrl}${listingPath(listing)}`, kind: 'listing', uniqueKey: `shopee:${listing.id}` });
    }
    const runId = await startCrawlRun(db, {
      adapter: 'shopee',
      marketplace: 'shopee',
      mode: 'url',
      target: 'jobs',
      crawlerVersion: 'test',
    });
    const deps = testDeps(db, { chromiumPath: chromium! });
    let pages = 0;
    for (const request of requests) {
      const result = await processRequests(
        [request],
        {
          adapter: getAdapter('shopee'),
          runId,
          onDiscovered: () => undefined,
          baseUrl,
          allowHosts: [new URL(sandbox.url).host],
          requestsPerMinute: 0,
          retryBaseMs: 50,
          resources,
        },
        deps,
      );
      expect(result.errors, JSON.stringify(result)).toBe(0);
      pages += result.pages;
    }
    expect(pages).toBe(requests.length);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings WHERE marketplace = 'shopee'`);
    expect(rows[0]!.n).toBe(requests.length);
    expect(browsers).toHaveLength(1);
    expect(browsers[0]!.isConnected()).toBe(true);
    // A job leaves no page or context open behind it.
    expect(browsers[0]!.contexts()).toHaveLength(0);
    await resources.close();
    expect(browsers[0]!.isConnected()).toBe(false);
  });
});
