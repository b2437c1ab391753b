import { launchGuardedChromium } from './browser-guard.ts';
import type { Browser, BrowserContext, Page } from 'playwright';
import { BROWSER_ARGS } from './browser-args.ts';
import { BrowserLanes } from './browser-lanes.ts';
import { NAVIGATION_TIMEOUT_MS, readBrowserPage } from './browser-page.ts';
import { ResponseCapture } from './response-capture.ts';
import type { Attempt, Transport } from './transport.ts';

/** A browser page to navigate for one attempt, and how to give it back. */
export interface LeasedPage {
  page: Page;
  /** `clean`: the attempt succeeded and no data call is still in flight, so the page may serve again. */
  release: (clean: boolean) => Promise<void>;
}

/** Where a browser transport gets its pages from. */
export interface BrowserPageSource {
  lease(attempt: Attempt): Promise<LeasedPage>;
  close(): Promise<void>;
}

/** What the browser transport needs. */
export interface BrowserTransportContext {
  pages: BrowserPageSource;
  /** Which responses the page fetches that carry the data (the adapter's `captureResponses`). */
  captureResponses?: RegExp;
}

/**
 * One browser attempt: a page from the source navigates to the request, its document and
 * captured JSON go to the pipeline while the page is still open (for the evidence screenshot),
 * then the page goes back, or is dropped when it is left in doubt.
 */
export function createBrowserTransport(context: BrowserTransportContext): Transport {
  const { pages, captureResponses } = context;
  return {
    async attempt(attempt, handle) {
      const { page, release } = await pages.lease(attempt);
      const capture = new ResponseCapture(page, captureResponses);
      let clean = false;
      try {
        const response = await page.goto(attempt.request.url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS });
        await handle(attempt, await readBrowserPage(page, response, capture, attempt.url.host));
        clean = capture.quiet;
      } finally {
        capture.dispose();
        await release(clean);
      }
    },
    close: () => pages.close(),
  };
}

/**
 * An in-process crawl's pages: one reused page per lane, its context being the lane's session
 * (see `BrowserLanes`). A page left in doubt (the attempt failed, or data requests were still in
 * flight when the capture gave up) is dropped with its context, so nothing from it leaks into the
 * lane's next request.
 */
export function lanePages(browser: () => Promise<Browser>, protect: (context: BrowserContext) => Promise<void>): BrowserPageSource {
  const lanes = new BrowserLanes({ browser, setupContext: protect });
  return {
    async lease(attempt) {
      const page = await lanes.page(attempt.lane, attempt.session?.id ?? '');
      return { page, release: async (clean) => (clean ? undefined : lanes.discard(attempt.lane)) };
    },
    close: () => lanes.close(),
  };
}

/** A queue job's pages: a fresh context (its own cookies: a new session) per attempt in the process's one Chromium. */
export function freshContextPages(browser: () => Promise<Browser>, protect: (page: Page) => Promise<void>): BrowserPageSource {
  return {
    async lease() {
      const context = await (await browser()).newContext();
      const release = () => context.close().catch(() => undefined);
      try {
        const page = await context.newPage();
        await protect(page);
        return { page, release };
      } catch (error) {
        await release();
        throw error;
      }
    },
    async close() {},
  };
}

/** A Chromium of this crawl's own, launched on first use (again if it died) and closed with the crawl. */
export function ownBrowser(chromiumPath: string, allowHosts: readonly string[] = []): { get(): Promise<Browser>; close(): Promise<void> } {
  let launched: Promise<Browser> | undefined;
  return {
    async get() {
      const current = launched ? await launched.catch(() => undefined) : undefined;
      if (current?.isConnected()) return current;
      // Behind the SSRF guard's proxy: every connection and redirect hop is checked where Chromium makes it.
      launched = import('playwright').then(({ chromium }) =>
        launchGuardedChromium(chromium, { executablePath: chromiumPath, args: BROWSER_ARGS, headless: true }, { allowHosts }),
      );
      return launched;
    },
    async close() {
      if (launched) await launched.then((browser) => browser.close()).catch(() => undefined);
    },
  };
}
