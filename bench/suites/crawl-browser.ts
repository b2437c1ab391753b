import type { CrawlTarget } from '../../crawlers/adapter.ts';
import { resolveTuning } from '../../crawlers/runner/index.ts';
import { ConfigSchema } from '../../src/config/schema.ts';
import { createLogger } from '../../src/log/logger.ts';
import { barePlaywrightCrawl } from '../lib/bare-crawlers.ts';
import { measurePair } from '../lib/measure.ts';
import { ourCrawl } from '../lib/our-crawl.ts';
import { loadAdapter, startSandbox } from '../lib/repo.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';

const suite: Suite = {
  name: 'crawl-browser',
  async run(ctx, { progress, report }) {
    // A crawl of tens to hundreds of pages (search result pages plus the shop page of every shop
    // on them), so a trial measures crawling rather than one Chromium start-up.
    // Quick: 1 search page + ~49 shop pages; full: 2 search pages + ~112 shop pages (more would
    // not fit the full run's 20 minutes: the baseline crawls 2–3 pages/s on this machine).
    const listings = ctx.quick ? 6_000 : 20_000;
    const maxPages = ctx.quick ? 1 : 2;
    const target: CrawlTarget = { mode: 'category', category: 'fashion' };
    const adapter = await loadAdapter('shopee');
    const config = ConfigSchema.parse({ chromiumPath: ctx.chromiumPath });
    // The bare crawler gets the concurrency our runner uses for a browser adapter.
    const concurrency = resolveTuning(adapter, {}, { config, log: createLogger({ level: 'silent' }), db: undefined as never }).concurrency;
    const sandbox = await startSandbox({ seed: 8, listings, faults: 'none', port: 0 });
    try {
      const baseUrl = `${sandbox.url}/shopee`;
      const options = { adapter, target, baseUrl, maxPages, postgresAdminUrl: ctx.postgresAdminUrl, chromiumPath: ctx.chromiumPath };
      // An untimed first crawl lists the pages (the baseline visits the same ones) and warms Chromium's disk cache for both.
      const urls: string[] = [];
      const warm = await ourCrawl({ ...options, onPage: (url) => urls.push(url) });
      const unique = [...new Set(urls)];
      progress(`crawl-browser: ${unique.length} pages (${warm.listings} listings) on /shopee, ${JSON.stringify(target)}, concurrency ${concurrency}`);
      const result = await measurePair(
        ctx.repeats,
        () => ourCrawl(options),
        () => barePlaywrightCrawl(unique, concurrency, ctx.chromiumPath, adapter.captureResponses),
        progress,
        { ours: 'runCrawl (shopee adapter)', baseline: 'bare PlaywrightCrawler' },
      );
      report({
        name: 'crawl-browser',
        unit: 'pages/s',
        value: round(result.ours.median, 2),
        samples: result.ours.samples.map((sample) => round(sample, 2)),
        baselineName: 'bare crawlee PlaywrightCrawler, default settings, same pages and (pinned) concurrency, waits for the first data response',
        baselineValue: round(result.baseline.median, 2),
        baselineSamples: result.baseline.samples.map((sample) => round(sample, 2)),
        params: {
          skin: 'shopee',
          adapter: 'shopee',
          target,
          max_pages: maxPages,
          pages: unique.length,
          sandbox_listings: listings,
          concurrency,
          baseline_concurrency: `crawlee defaults except maxConcurrency = minConcurrency = ${concurrency} (pinned like ours, so autoscaling's slow start does not handicap it)`,
          storage: 'local Postgres, fresh scratch database per trial (ours only)',
          chromium: ctx.chromiumPath,
          repeats: ctx.repeats,
          quick: ctx.quick,
        },
        target: { on: 'ratio', op: '>=', threshold: 1.2 },
      });
    } finally {
      await sandbox.close();
    }
  },
};

export default suite;
