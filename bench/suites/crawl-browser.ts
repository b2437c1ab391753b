import type { CrawlTarget } from '../../crawlers/adapter.ts';
import { resolveTuning } from '../../crawlers/runner/index.ts';
import { ConfigSchema } from '../../src/core/config/schema.ts';
import { createLogger } from '../../src/core/log/logger.ts';
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
      // The baseline visits the pages our crawl visits. The full run lists them with an untimed first
      // crawl that also warms Chromium's disk cache for both sides; --quick (3 minutes for every suite)
      // records them during our first timed trial instead, which always runs before the baseline's
      // first: that trial runs cold, a handicap to ours only.
      const urls: string[] = [];
      const recordPages = { onPage: (url: string) => urls.push(url) };
      let unique: string[] = [];
      const listPages = (listings: number) => {
        unique = [...new Set(urls)];
        progress(
          `crawl-browser: ${unique.length} pages (${listings} listings) on /shopee, ${JSON.stringify(target)}, concurrency ${concurrency}`,
        );
      };
      if (!ctx.quick) listPages((await ourCrawl({ ...options, ...recordPages })).listings);
      const result = await measurePair(
        ctx.repeats,
        async (repetition) => {
          if (!ctx.quick || repetition > 0) return ourCrawl(options);
          const first = await ourCrawl({ ...options, ...recordPages });
          listPages(first.listings);
          return first;
        },
        () => barePlaywrightCrawl(unique, concurrency, ctx.chromiumPath, adapter.captureResponses),
        progress,
        { ours: 'runCrawl (shopee adapter)', baseline: 'bare PlaywrightCrawler' },
      );
      report({
        name: 'crawl-browser',
        unit: 'pages/s',
        value: round(result.ours.median, 2),
        samples: result.ours.samples.map((sample) => round(sample, 2)),
        baselineName:
          'bare crawlee PlaywrightCrawler, default settings, same pages and (pinned) concurrency, waits for the first data response',
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
