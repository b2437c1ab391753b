import {
  Configuration,
  Log,
  LogLevel,
  PlaywrightCrawler,
  type PlaywrightCrawlingContext,
  type ProxyConfiguration,
  type RequestOptions,
} from 'crawlee';
import type { Page } from 'playwright';
import type { CrawlRequest } from '../adapter.ts';
import { BROWSER_ARGS } from './browser-args.ts';
import { createBrowserTransport, type BrowserPageSource } from './browser-transport.ts';
import type { RetryPolicy } from './direct.ts';
import type { Pipeline } from './pipeline.ts';

/** What a browser crawl behind proxies needs. */
export interface CrawleeBrowserContext extends RetryPolicy {
  pipeline: Pick<Pipeline, 'run'>;
  /** Sessions tied to proxies: crawlee's browser pool launches a browser per proxy. */
  proxies: ProxyConfiguration;
  chromiumPath: string;
  concurrency: number;
  /** The adapter's name, for crawlee's (silenced) log. */
  name: string;
  /** Data responses (the adapter's API URLs) kept for parsing and evidence; without it, only the document. */
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

// crawlee never navigates by itself: a pre-navigation hook cannot stop its navigation, and the
// pipeline's robots.txt and guard steps must run before anything is fetched.
const toCrawlee = (request: CrawlRequest): RequestOptions => ({
  url: request.url,
  uniqueKey: request.uniqueKey ?? request.url,
  headers: request.headers,
  skipNavigation: true,
  userData: { crawl: request },
});

/**
 * A browser crawl behind proxies in crawlee's PlaywrightCrawler, whose browser pool ties each
 * session to its proxy. crawlee drives the requests (queue, retries, session rotation) and opens
 * a page in the session's browser; the request handler runs the whole pipeline, whose fetch is
 * the browser transport navigating that page. Session cookies are applied before and kept after,
 * as crawlee's own navigation does.
 */
export async function createCrawleeBrowser(
  context: CrawleeBrowserContext,
): Promise<{ add: AddRequests; run(start: readonly CrawlRequest[]): Promise<void> }> {
  const { pipeline } = context;
  const { chromium } = await import('playwright');
  const opened = new WeakMap<CrawlRequest, PlaywrightCrawlingContext>();
  const pages: BrowserPageSource = {
    async lease(attempt) {
      const crawling = opened.get(attempt.request)!;
      const { page, session, browserController } = crawling;
      await context.protect(page);
      const cookies = session?.getCookies(attempt.request.url) ?? [];
      if (cookies.length > 0)
        await browserController.setCookies(
          page,
          cookies.map((cookie) => ({ ...cookie, url: cookie.domain ? undefined : attempt.request.url })),
        );
      return {
        page,
        async release() {
          if (session) session.setCookies(await browserController.getCookies(page), page.url());
        },
      };
    },
    async close() {},
  };
  const transport = createBrowserTransport({ pages, captureResponses: context.captureResponses });
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
      async requestHandler(crawling) {
        const request = crawling.request.userData.crawl as CrawlRequest;
        opened.set(request, crawling);
        try {
          await pipeline.run(request, crawling.session, 0, transport);
        } finally {
          opened.delete(request);
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
  return {
    add: (requests) => crawler.addRequests(requests.map(toCrawlee)),
    async run(start) {
      await crawler.run(start.map(toCrawlee));
    },
  };
}
