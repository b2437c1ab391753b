import type { CrawlTarget } from '../../crawlers/adapter.ts';
import { bareCheerioCrawl } from '../lib/bare-crawlers.ts';
import { DependencyMissingError } from '../lib/deps.ts';
import { discoverPages } from '../lib/discover.ts';
import { measurePair } from '../lib/measure.ts';
import { ourCrawl } from '../lib/our-crawl.ts';
import { loadAdapter, startSandbox } from '../lib/repo.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';

/** The runner's default HTTP concurrency; the baseline gets the same. */
const CONCURRENCY = 8;

const SKINS: readonly { skin: string; adapter: string; target: CrawlTarget }[] = [
  { skin: 'shop', adapter: 'schemaorg', target: { mode: 'category', category: 'fashion' } },
  { skin: 'tiki', adapter: 'tiki', target: { mode: 'category', category: 'fashion' } },
];

const suite: Suite = {
  name: 'crawl-static',
  async run(ctx, { progress, report, fail }) {
    const listings = ctx.quick ? 2_000 : 20_000;
    const maxPages = ctx.quick ? 3 : 30;
    const sandbox = await startSandbox({ seed: 8, listings, faults: 'none', port: 0 });
    try {
      for (const { skin, adapter: adapterName, target } of SKINS) {
        const name = `crawl-static.${skin}`;
        try {
          const adapter = await loadAdapter(adapterName);
          const baseUrl = `${sandbox.url}/${skin}`;
          const pages = await discoverPages(adapter, target, { baseUrl, maxPages, concurrency: CONCURRENCY });
          if (pages.length === 0) throw new Error(`the ${adapterName} adapter found no pages for ${JSON.stringify(target)} on ${baseUrl}`);
          progress(
            `${name}: ${pages.length} pages (${adapterName} adapter, ${JSON.stringify(target)}, maxPages ${maxPages}), concurrency ${CONCURRENCY}`,
          );
          const result = await measurePair(
            ctx.repeats,
            () =>
              ourCrawl({
                adapter,
                target,
                baseUrl,
                maxPages,
                concurrency: CONCURRENCY,
                postgresAdminUrl: ctx.postgresAdminUrl,
                chromiumPath: ctx.chromiumPath,
              }),
            () => bareCheerioCrawl(pages, CONCURRENCY),
            progress,
            { ours: 'runCrawl', baseline: 'bare CheerioCrawler' },
          );
          report({
            name,
            unit: 'pages/s',
            value: round(result.ours.median, 1),
            samples: result.ours.samples.map((sample) => round(sample, 1)),
            baselineName: 'bare crawlee CheerioCrawler, same pages and concurrency, no storage',
            baselineValue: round(result.baseline.median, 1),
            baselineSamples: result.baseline.samples.map((sample) => round(sample, 1)),
            params: {
              skin,
              adapter: adapterName,
              target,
              max_pages: maxPages,
              pages: pages.length,
              sandbox_listings: listings,
              concurrency: CONCURRENCY,
              storage: 'local Postgres, fresh scratch database per trial',
              repeats: ctx.repeats,
              quick: ctx.quick,
            },
            target: { on: 'ratio', op: '>=', threshold: 0.9 },
          });
        } catch (error) {
          const prefix = error instanceof DependencyMissingError ? 'dependency missing: ' : '';
          fail(name, `${prefix}${(error as Error).message}`, { skin, adapter: adapterName });
        }
      }
    } finally {
      await sandbox.close();
    }
  },
};

export default suite;
