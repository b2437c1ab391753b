import { Configuration, Log, LogLevel, PlaywrightCrawler, type ProxyConfiguration, type RequestOptions } from 'crawlee';
import type { Page } from 'playwright';
import type { CrawlRequest } from '../adapter.ts';
import { BROWSER_ARGS } from './browser-args.ts';
import { NAVIGATION_TIMEOUT_MS, readBrowserPage } from './browser-page.ts';
import type { RetryPolicy } from './direct.ts';
import type { Pipeline } from './pipeline.ts';
import { ResponseCapture } from './response-capture.ts';
import type { Attempt } from './transport.ts';

/** What a browser crawl behind proxies needs. */
export interface CrawleeBrowserContext extends RetryPolicy {
  pipeline: Pick<Pipeline, 'admit' | 'process'>;
  /** Sessions tied to proxies: crawlee's browser pool launches a browser per proxy. */
  proxies: ProxyConfiguration;
  chromiumPath: string;
  concurrency: number;
  /** The adapter's name, for crawlee's (silenced) log. */
  name: string;
  captureResponses?: RegExp;
  /** Installs the request routing (the URL guard) on a page before it navigates. */
  protect(page: Page): Promise<void>;
  /** Before a retry: count it and wait. */
  beforeRetry(error: Error, retryCount: number): Promise<void>;
  /** The request is given up. */
  failed(url: string, error: Error): void;
  /** Calls `stop` when the crawl stops. */
  onStop(stop: () => void): void;
}

/** The crawl's follow-up requests, in crawlee's form. */
export type AddRequests = (requests: CrawlRequest[]) => Promise<unknown>;

const toCrawlee = (request: CrawlRequest): RequestOptions => ({
  url: request.url,
  uniqueKey: request.uniqueKey ?? request.url,
  headers: request.headers,
  userData: { crawl: request },
});

/**
 * A browser crawl behind proxies in crawlee's PlaywrightCrawler, whose browser pool ties each
 * session to its proxy. crawlee drives the requests (queue, retries, session rotation) and
 * navigates; the pipeline's steps run around the navigation: the ones before it in a
 * pre-navigation hook, the ones after it in the request handler. Returns the function that adds
 * follow-up requests to the crawler's queue; `run` starts the crawl.
 */
export async function createCrawleeBrowser(context: CrawleeBrowserContext): Promise<{ add: AddRequests; run(start: readonly CrawlRequest[]): Promise<void> }> {
  const { pipeline } = context;
  const { chromium } = await import('playwright');
  const pending = new WeakMap<Page, { attempt: Attempt; capture: ResponseCapture }>();
  const crawler = new PlaywrightCrawler(
    {
      maxConcurrency: context.concurrency,
      // The operator chose the concurrency; crawlee's autoscaling would start at 1 and, on a busy host, stay there.
      minConcurrency: context.concurrency,
      maxRequestRetries: context.maxRetries,
      maxSessionRotations: context.maxSessionRotations,
      useSessionPool: true,
      sessionPoolOptions: { maxPoolSize: Math.max(4, context.concurrency * 2), blockedStatusCodes: [] },
      requestHandlerTimeoutSecs: 90,
      log: new Log({ level: LogLevel.OFF, prefix: `radar:${context.name}` }),
      statusMessageLoggingInterval: 3600,
      launchContext: {
        launcher: chromium,
        launchOptions: { executablePath: context.chromiumPath, args: BROWSER_ARGS, headless: true },
        useIncognitoPages: false,
      },
      headless: true,
      browserPoolOptions: { useFingerprints: false },
      proxyConfiguration: context.proxies,
      navigationTimeoutSecs: NAVIGATION_TIMEOUT_MS / 1000,
      preNavigationHooks: [
        async ({ page, request, session }, gotoOptions) => {
          const attempt = await pipeline.admit(request.userData.crawl as CrawlRequest, session, 0);
          if (!attempt) {
            request.skipNavigation = true;
            return;
          }
          if (gotoOptions) gotoOptions.waitUntil = 'domcontentloaded';
          await context.protect(page);
          pending.set(page, { attempt, capture: new ResponseCapture(page, context.captureResponses) });
        },
      ],
      async requestHandler({ page, request, response }) {
        const navigated = pending.get(page);
        if (request.skipNavigation || !navigated) return;
        pending.delete(page);
        const { attempt, capture } = navigated;
        try {
          await pipeline.process(attempt, await readBrowserPage(page, response ?? null, capture, attempt.url.host));
        } finally {
          capture.dispose();
        }
      },
      async errorHandler({ request }, error) {
        await context.beforeRetry(error, request.retryCount);
      },
      async failedRequestHandler({ request }, error) {
        context.failed(request.url, error);
      },
    },
    new Configuration({ persistStorage: false, purgeOnStart: true }),
  );
  context.onStop(() => crawler.stop());
  const add: AddRequests = (requests) => crawler.addRequests(requests.map(toCrawlee));
  return {
    add,
    async run(start) {
      await crawler.run(start.map(toCrawlee));
    },
  };
}
