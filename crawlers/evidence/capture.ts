/**
 * One browser load of one page, and everything kept from it: the document as served and as rendered,
 * its status and headers, the URL after redirects, a full-page screenshot, and every response the page
 * fetched (for the web archive), with the data calls (a marketplace's API JSON) picked out.
 */
import type { Browser, Response as PlaywrightResponse } from 'playwright';
import { BROWSER_ARGS } from '../runner/browser-args.ts';
import { guardBrowserTarget, launchGuardedChromium } from '../runner/browser-guard.ts';
import type { ArchivedExchange } from './wacz.ts';

export interface DataResponse {
  url: string;
  status: number;
  contentType: string | null;
  body: string;
}

export interface PageLoad {
  requestedUrl: string;
  finalUrl: string;
  status: number;
  statusText: string;
  /** The document response's headers (lower-case names). */
  headers: Record<string, string>;
  /** The document as the server sent it (after redirects). */
  rawDocument: Buffer;
  /** The rendered DOM after scripts ran. */
  dom: string;
  title: string;
  visibleText: string;
  screenshot: Buffer | null;
  redirects: { url: string; status: number; location: string | null }[];
  data: DataResponse[];
  exchanges: ArchivedExchange[];
  /** Requests the guard refused. */
  refused: string[];
  browserVersion: string;
  userAgent: string;
  startedAt: Date;
  finishedAt: Date;
}

export interface LoadPageOptions {
  /** The SSRF gate for the navigation and every request (see guard.ts). */
  allow: (url: string) => Promise<boolean>;
  /** A running Chromium; see {@link CaptureBrowser}. */
  browser: Browser;
  /**
   * Hosts the browser's connect-time SSRF proxy lets through while this load's context lives
   * (config and operator hosts only, as for `allow`).
   * @default []
   */
  allowHosts?: readonly string[];
  /** @default 45000 */
  timeoutMs?: number;
  /** Larger bodies are not archived (their exchange is kept with an empty body). @default 15 MiB */
  maxBodyBytes?: number;
  /** Archived bytes of one load; later bodies are dropped. @default 100 MiB */
  maxTotalBytes?: number;
}

export class NavigationRefused extends Error {
  constructor(readonly url: string) {
    super(`the SSRF guard refused ${url}`);
  }
}

const DATA_TYPES = new Set(['xhr', 'fetch']);

/**
 * A Chromium for a batch of captures, behind the crawls' connect-time SSRF proxy
 * (`launchGuardedChromium`), started on first use and closed by `close()`; or, with
 * {@link CaptureBrowser.shared}, a worker process's Chromium that outlives the batch.
 */
export class CaptureBrowser {
  private browser: Promise<Browser> | null = null;
  private sharedBrowser: (() => Promise<Browser>) | null = null;

  /** Launches its own guarded Chromium from `chromiumPath` on first use. */
  constructor(private readonly chromiumPath: string) {}

  /** Uses a browser someone else owns (a queue worker's, already behind the guard); `close()` leaves it running. */
  static shared(get: () => Promise<Browser>): CaptureBrowser {
    const browser = new CaptureBrowser('');
    browser.sharedBrowser = get;
    return browser;
  }

  get(): Promise<Browser> {
    if (this.sharedBrowser) return this.sharedBrowser();
    if (!this.browser) {
      this.browser = import('playwright').then(({ chromium }) =>
        launchGuardedChromium(chromium, { executablePath: this.chromiumPath, args: BROWSER_ARGS, headless: true }),
      );
      this.browser.catch(() => (this.browser = null));
    }
    // A Chromium that crashed is launched again rather than handed out dead.
    const current = this.browser;
    return current.then((browser) => {
      if (browser.isConnected() || this.browser !== current) return browser;
      this.browser = null;
      return this.get();
    });
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    if (browser) await (await browser.catch(() => null))?.close().catch(() => undefined);
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

export async function loadPage(url: string, options: LoadPageOptions): Promise<PageLoad> {
  if (!(await options.allow(url))) throw new NavigationRefused(url);
  const maxBody = options.maxBodyBytes ?? 15 * 1024 * 1024;
  let budget = options.maxTotalBytes ?? 100 * 1024 * 1024;
  const startedAt = new Date();
  const context = await options.browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const refused: string[] = [];
  const exchanges: ArchivedExchange[] = [];
  const data: DataResponse[] = [];
  const pending: Promise<void>[] = [];
  try {
    // The proxy checks every connection where Chromium makes it (redirect hops included); the route below refuses earlier and records what it refused.
    await guardBrowserTarget(context, options.allowHosts ?? []);
    await context.route('**/*', async (route) => {
      const requestUrl = route.request().url();
      if (await options.allow(requestUrl)) return route.continue();
      refused.push(requestUrl);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    const record = async (response: PlaywrightResponse) => {
      const request = response.request();
      const at = new Date();
      const [headers, requestHeaders] = await Promise.all([
        response.allHeaders().catch(() => ({})),
        request.allHeaders().catch(() => ({})),
      ]);
      const status = response.status();
      let body: Buffer = Buffer.alloc(0);
      if (status < 300 || status >= 400) {
        const length = Number(lower(headers)['content-length'] ?? 0);
        if (length <= maxBody) body = await response.body().catch(() => Buffer.alloc(0));
        if (body.length > maxBody || body.length > budget) body = Buffer.alloc(0);
        budget -= body.length;
      }
      exchanges.push({
        url: response.url(),
        method: request.method(),
        requestHeaders,
        status,
        statusText: response.statusText(),
        headers,
        body,
        at,
      });
      const contentType = lower(headers)['content-type'] ?? null;
      if (DATA_TYPES.has(request.resourceType()) || /json/i.test(contentType ?? '')) {
        if (request.resourceType() !== 'document') data.push({ url: response.url(), status, contentType, body: body.toString('utf8') });
      }
    };
    page.on('response', (response) => pending.push(record(response)));
    const timeout = options.timeoutMs ?? 45_000;
    const response = await page.goto(url, { waitUntil: 'load', timeout });
    await page.waitForLoadState('networkidle', { timeout: 8_000 }).catch(() => undefined);
    const finalUrl = page.url();
    const redirects: PageLoad['redirects'] = [];
    for (let hop = response?.request().redirectedFrom() ?? null; hop; hop = hop.redirectedFrom()) {
      const r = await hop.response();
      redirects.unshift({ url: hop.url(), status: r?.status() ?? 0, location: r ? ((await r.allHeaders())['location'] ?? null) : null });
    }
    const [dom, title, visibleText, screenshot] = await Promise.all([
      page.content(),
      page.title(),
      page.evaluate(() => document.body?.innerText ?? ''),
      page.screenshot({ fullPage: true, type: 'png', timeout }).catch(() => null),
    ]);
    await Promise.allSettled(pending);
    const headers = response ? lower(await response.allHeaders()) : {};
    const rawDocument = response ? await response.body().catch(() => Buffer.from(dom)) : Buffer.alloc(0);
    return {
      requestedUrl: url,
      finalUrl,
      status: response?.status() ?? 0,
      statusText: response?.statusText() ?? '',
      headers,
      rawDocument,
      dom,
      title,
      visibleText,
      screenshot,
      redirects,
      data,
      exchanges: exchanges.sort((a, b) => a.at.getTime() - b.at.getTime()),
      refused,
      browserVersion: options.browser.version(),
      userAgent: await page.evaluate(() => navigator.userAgent),
      startedAt,
      finishedAt: new Date(),
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}
