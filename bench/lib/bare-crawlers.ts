import { CheerioCrawler, Configuration, PlaywrightCrawler, log as crawleeLog, LogLevel } from 'crawlee';
import type { PagePlan } from './discover.ts';
import { stopwatch, type Trial } from './measure.ts';

/** The args the project launches Chromium with (see the house rules). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

crawleeLog.setLevel(LogLevel.ERROR);

/**
 * Baseline: a bare crawlee CheerioCrawler, defaults except the concurrency, that fetches the planned
 * pages and lets crawlee parse them (cheerio for HTML, JSON.parse for JSON), storing nothing.
 */
export async function bareCheerioCrawl(pages: readonly PagePlan[], concurrency: number): Promise<Trial> {
  let handled = 0;
  let failed = 0;
  const crawler = new CheerioCrawler(
    {
      maxConcurrency: concurrency,
      minConcurrency: concurrency,
      additionalMimeTypes: ['application/json'],
      maxRequestRetries: 0,
      async requestHandler({ $, json }) {
        // Touch the parsed document so the parse cannot be skipped lazily.
        if (json === undefined && $('title').length < 0) throw new Error('unreachable');
        handled++;
      },
      failedRequestHandler() {
        failed++;
      },
    },
    new Configuration({ persistStorage: false }),
  );
  const elapsed = stopwatch();
  await crawler.run(pages.map((page) => ({ url: page.url, uniqueKey: page.uniqueKey, headers: page.headers })));
  const seconds = elapsed();
  if (failed > 0) throw new Error(`bare CheerioCrawler: ${failed} of ${pages.length} pages failed; the baseline must fetch every page`);
  return { count: handled, seconds };
}

/**
 * Baseline: a bare crawlee PlaywrightCrawler with default settings (no resource blocking, default
 * fingerprints and navigation) that opens each page with the same concurrency and waits for the
 * data response the page fetches for itself (`capture`), which is the work our browser adapter needs.
 * The concurrency is pinned (min = max), as our runner pins its own: crawlee's autoscaled pool
 * would otherwise start at 1 and, in a crawl of a minute, barely scale up, which would make the
 * baseline look slower than PlaywrightCrawler at that concurrency is.
 */
export async function barePlaywrightCrawl(
  urls: readonly string[],
  concurrency: number,
  chromiumPath: string,
  capture?: RegExp,
): Promise<Trial> {
  let handled = 0;
  let failed = 0;
  const dataArrived = new WeakMap<object, Promise<unknown>>();
  const crawler = new PlaywrightCrawler(
    {
      maxConcurrency: concurrency,
      minConcurrency: concurrency,
      maxRequestRetries: 0,
      launchContext: { launchOptions: { executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true } },
      preNavigationHooks: [
        async ({ page }) => {
          if (capture)
            dataArrived.set(
              page,
              page.waitForResponse((response) => capture.test(response.url()), { timeout: 15_000 }).catch(() => null),
            );
        },
      ],
      async requestHandler({ page }) {
        await dataArrived.get(page);
        handled++;
      },
      failedRequestHandler() {
        failed++;
      },
    },
    new Configuration({ persistStorage: false }),
  );
  const elapsed = stopwatch();
  await crawler.run(urls.map((url) => ({ url })));
  const seconds = elapsed();
  await crawler.teardown().catch(() => undefined);
  if (failed > 0) throw new Error(`bare PlaywrightCrawler: ${failed} of ${urls.length} pages failed`);
  return { count: handled, seconds };
}
