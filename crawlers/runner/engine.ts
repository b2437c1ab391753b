import {
  Configuration,
  Log,
  LogLevel,
  NonRetryableError,
  PlaywrightCrawler,
  ProxyConfiguration,
  SessionError,
  type RequestOptions,
} from 'crawlee';
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page, Request as PlaywrightRequest, Response as PlaywrightResponse } from 'playwright';
import type { CapturedResponse, CrawlRequest, FetchedPage, MarketplaceAdapter, ParseResult } from '../adapter.ts';
import type { Config } from '../../src/core/config/schema.ts';
import type { Db } from '../../src/core/db/types.ts';
import type { Logger } from '../../src/core/log/logger.ts';
import { BROWSER_ARGS } from './browser-args.ts';
import { BrowserLanes } from './browser-lanes.ts';
import { rawFileName, writeEvidence, type EvidenceFileInput } from './evidence.ts';
import { createHttpFetcher, ResponseTooLargeError, type FetchCallOptions, type PageFetcher } from './http-fetch.ts';
import { DomainRateLimiter } from './rate-limit.ts';
import { RetryableFetchError, parseRetryAfter, retryDelay, sleep } from './retry.ts';
import { loadRobots, type RobotsGate } from './robots.ts';
import { RecordSink } from './sink.ts';
import { runDirect } from './direct.ts';
import type { RunnerResources, RunnerSession } from './resources.ts';
import { SsrfError, checkUrl } from './ssrf.ts';
import { guardBrowserTarget, launchGuardedChromium } from './browser-guard.ts';
import { CrawlStats, ThrottledReporter, type CrawlStatsSnapshot } from './stats.ts';

/** What the runner needs from the outside world. */
export interface RunnerDeps {
  db: Db;
  config: Config;
  log: Logger;
}

/** A page the adapter recognised as a block or gate; crawlee retires the session and retries on a new one. */
export class BlockedPageError extends SessionError {
  constructor(reason: string) {
    super(`blocked: ${reason}`);
    this.name = 'BlockedPageError';
  }
}

/** The adapter could not read the page (truncated, malformed); another attempt may get a whole one. */
export class PageParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PageParseError';
  }
}

export interface EngineOptions {
  adapter: MarketplaceAdapter;
  /** The `crawl_runs` row observations are recorded against. */
  runId: number;
  /** Root the adapter's URLs are built on; robots.txt is read from `<baseUrl>/robots.txt`. */
  baseUrl: string;
  /** Hosts the SSRF guard lets through (config.allowHosts plus an explicit sandbox host). */
  allowHosts: readonly string[];
  /** Save raw pages (and screenshots, in a browser) of listing and shop pages as evidence. */
  evidence: boolean;
  /** Parallel requests (pages, for a browser). */
  concurrency: number;
  /** Requests per minute per domain; ≤ 0 or Infinity = unlimited. */
  requestsPerMinute: number;
  /** Obey robots.txt. */
  respectRobots: boolean;
  /** Attempts after the first for transient failures (429, 5xx, network, unreadable page). */
  maxRetries: number;
  /** Fresh sessions tried on a blocked request before giving it up. */
  maxSessionRotations: number;
  /** Consecutive blocked attempts with no good page in between that end the crawl as blocked. */
  blockStreakLimit: number;
  /** Cancels the crawl; in-flight requests finish, the rest stay unfetched, the status is `aborted`. */
  signal?: AbortSignal;
  /**
   * Where follow-up requests go. Absent: crawlee's own request queue (in-process crawl).
   * Present: handed to the callback (a BullMQ worker enqueues them as jobs) and not fetched here.
   */
  onDiscovered?: (requests: CrawlRequest[]) => void | Promise<void>;
  /** Called at most once a second with running counters, and once at the end. */
  onProgress?: (stats: CrawlStatsSnapshot) => void;
  /** Share one limiter across calls (a worker process) so politeness holds across jobs. */
  limiter?: DomainRateLimiter;
  /** Records buffered before a database write. */
  batchSize?: number;
  /** Upper bound on retry waits, Retry-After included (ms). Default 60 s. */
  maxRetryWaitMs?: number;
  /** First backoff wait for retries without Retry-After (ms); doubles each attempt. Default 500. */
  retryBaseMs?: number;
  /**
   * Per-process caches (fetcher, robots.txt, DNS, proxies, sessions, browser) shared across calls.
   * With `onDiscovered` as well (a queue job), requests run on the direct path (`runDirect`)
   * instead of a crawler built for this call; browser adapters then reuse the cached Chromium
   * unless proxies are configured. Absent: everything is built for this crawl alone.
   */
  resources?: RunnerResources;
}

export type StopReason = 'done' | 'blocked' | 'aborted';

export interface EngineResult {
  stats: CrawlStats;
  stopReason: StopReason;
  /** The last block reason the adapter gave. */
  lastBlockReason?: string;
  /** Requests that were still blocked after every session rotation. */
  blockedRequests: number;
  /** The last error a request finally failed with, for the run's message. */
  lastError?: string;
}

const unlimited = new DomainRateLimiter(0);

/** Longest wait for a browser page's DOM. */
const NAVIGATION_TIMEOUT_SECS = 45;

/**
 * The one fetch → parse → persist loop, shared by the in-process crawl and the queue workers.
 * Every path runs the same per-request handlers through `runDirect` (crawlee's retry and
 * session-rotation rules without a crawler per call). An in-process crawl feeds discoveries back
 * into its own queue, deduplicated by uniqueKey: HTTP goes through a keep-alive fetcher owned by
 * the crawl, a browser adapter through one reused page per lane of a Chromium launched for the
 * crawl. A queue job (`onDiscovered` and `resources` given) hands discoveries to the caller: HTTP
 * uses the process's fetcher and a browser page opens in a fresh context of the process's one
 * Chromium. Browser crawls behind proxies keep crawlee's PlaywrightCrawler and its browser pool.
 */
export async function runEngine(startRequests: readonly CrawlRequest[], options: EngineOptions, deps: RunnerDeps): Promise<EngineResult> {
  const { adapter } = options;
  const log = deps.log;
  const stats = new CrawlStats();
  const sink = new RecordSink(deps.db, { runId: options.runId, batchSize: options.batchSize });
  const limiter = options.limiter ?? (options.requestsPerMinute > 0 && Number.isFinite(options.requestsPerMinute) ? new DomainRateLimiter(options.requestsPerMinute) : unlimited);
  const resources = options.resources;
  // Without shared resources the fetcher (and its keep-alive sockets) is this crawl's own and is
  // destroyed at the end: an idle socket left open keeps its AsyncLocalStorage store, which is
  // crawlee's crawling context, so every finished crawl's crawler and request queue stayed alive.
  const ownFetcher = resources ? undefined : createHttpFetcher({ allowHosts: options.allowHosts });
  const fetchPage = resources ? resources.fetcher(options.allowHosts) : ownFetcher!;
  const reporter = new ThrottledReporter((snapshot) => options.onProgress?.(snapshot));
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
  const signal = options.signal;
  const warn = (message: string) => log.warn(message);
  const robots: RobotsGate = options.respectRobots
    ? await (resources ? resources.robots(options.baseUrl, fetchPage, warn) : loadRobots(options.baseUrl, fetchPage, warn))
    : { isAllowed: () => true, source: 'robots.txt ignored (--no-robots)' };

  let stopReason: StopReason = 'done';
  let lastBlockReason: string | undefined;
  let blockedRequests = 0;
  let lastError: string | undefined;
  let stopCrawler: () => void = () => undefined;
  const snapshot = () => ({ ...stats.snapshot(), removed: sink.removedCount });

  const onAbort = () => {
    if (stopReason === 'done') stopReason = 'aborted';
    stopCrawler();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  async function discovered(requests: CrawlRequest[], enqueue: (requests: CrawlRequest[]) => Promise<unknown>): Promise<void> {
    const allowed = requests.filter((request) => {
      if (robots.isAllowed(request.url)) return true;
      stats.robotsSkipped += 1;
      return false;
    });
    if (allowed.length === 0) return;
    if (options.onDiscovered) await options.onDiscovered(allowed);
    else await enqueue(allowed);
  }

  /** Parse and persist one fetched page: the shared core of both crawler kinds. */
  async function handlePage(
    page: FetchedPage,
    request: CrawlRequest,
    session: { retire(): void } | undefined,
    enqueue: (requests: CrawlRequest[]) => Promise<unknown>,
    extraEvidence: () => Promise<EvidenceFileInput[]>,
  ): Promise<void> {
    const result = safeParse(adapter, page, request);
    if (result.outcome === 'blocked') {
      stats.blocked += 1;
      stats.blockStreak += 1;
      lastBlockReason = result.reason;
      session?.retire();
      reporter.maybeReport(snapshot);
      if (stats.blockStreak >= options.blockStreakLimit && stopReason === 'done') {
        stopReason = 'blocked';
        stopCrawler();
        return;
      }
      throw new BlockedPageError(result.reason);
    }
    if (result.outcome === 'error') throw new PageParseError(result.message);
    stats.pages += 1;
    stats.blockStreak = 0;
    stats.rejected += result.rejected.length;
    for (const listing of result.listings) stats.listingKeys.add(`${listing.marketplace}:${listing.externalId}`);
    for (const shop of result.shops) stats.shopKeys.add(`${shop.marketplace}:${shop.externalId}`);
    await sink.add(result);
    if (options.evidence && (request.kind === 'listing' || request.kind === 'shop')) {
      await recordEvidence(page, request, result, await extraEvidence());
    }
    if (result.requests.length > 0) await discovered(result.requests, enqueue);
    reporter.maybeReport(snapshot);
  }

  async function recordEvidence(page: FetchedPage, request: CrawlRequest, result: Extract<ParseResult, { outcome: 'ok' }>, extra: EvidenceFileInput[]) {
    // Evidence rows point at listing/shop ids, so the records must be written first.
    await sink.flush();
    const listing = result.listings[0];
    const shop = result.shops[0];
    const listingId = listing ? await idOf('listings', listing.marketplace, listing.externalId) : null;
    const shopId = shop ? await idOf('shops', shop.marketplace, shop.externalId) : null;
    const files: EvidenceFileInput[] = [
      { kind: 'raw', name: rawFileName(page.contentType), content: page.body, contentType: page.contentType ?? 'application/octet-stream' },
      ...extra,
    ];
    await writeEvidence({ url: page.url, listingId: request.kind === 'listing' ? listingId : null, shopId, files }, deps);
    stats.evidence += 1;
  }

  async function idOf(table: 'listings' | 'shops', marketplace: string, externalId: string): Promise<number | null> {
    const { rows } = await deps.db.query<{ id: number }>(`SELECT id FROM ${table} WHERE marketplace = $1 AND external_id = $2`, [marketplace, externalId]);
    return rows[0] ? Number(rows[0].id) : null;
  }

  /** Before another attempt: count it and wait (no wait after a block: the next session goes at once). */
  async function beforeRetry(error: Error, retryCount: number): Promise<void> {
    stats.retries += 1;
    if (error instanceof BlockedPageError) return;
    await sleep(Math.min(retryDelay(error, retryCount + 1, { baseMs: options.retryBaseMs }), maxRetryWaitMs), signal);
  }

  /** A request given up after its retries (or at once, for a non-retryable error). */
  function requestFailed(url: string, error: Error): void {
    if (error instanceof BlockedPageError) blockedRequests += 1;
    else {
      stats.errors += 1;
      lastError = error.message;
      log.debug({ url, err: error.message }, 'request failed after retries');
    }
    reporter.maybeReport(snapshot);
  }

  const proxies = resources
    ? resources.proxies(deps.config.proxyUrls)
    : deps.config.proxyUrls.length > 0
      ? new ProxyConfiguration({ proxyUrls: deps.config.proxyUrls })
      : undefined;

  /** One HTTP attempt at one request: the request handler of both the crawlee and the direct path. */
  async function fetchAndHandle(
    crawlRequest: CrawlRequest,
    session: { id?: string; retire(): void } | undefined,
    enqueue: (requests: CrawlRequest[]) => Promise<unknown>,
  ): Promise<void> {
    if (!robots.isAllowed(crawlRequest.url)) {
      stats.robotsSkipped += 1;
      return;
    }
    await limiter.wait(hostOf(crawlRequest.url), signal);
    // One proxy per session, so a retired (blocked) session also moves to another proxy.
    const proxyUrl = proxies ? await proxies.newUrl(session?.id) : undefined;
    const page = await guardedFetch(fetchPage, crawlRequest, { signal, proxyUrl });
    if (!page) {
      stats.ssrfRefused += 1;
      log.warn(`SSRF guard refused ${crawlRequest.url}`);
      return;
    }
    await handlePage(page, crawlRequest, session, enqueue, async () => []);
  }

  const sessionPoolSize = Math.max(4, options.concurrency * 2);
  const configuration = new Configuration({ persistStorage: false, purgeOnStart: true });
  const quietLog = new Log({ level: LogLevel.OFF, prefix: `radar:${adapter.name}` });
  const common = {
    maxConcurrency: options.concurrency,
    // The operator chose the concurrency; crawlee's autoscaling would start at 1 and, on a busy host, stay there.
    minConcurrency: options.concurrency,
    maxRequestRetries: options.maxRetries,
    maxSessionRotations: options.maxSessionRotations,
    useSessionPool: true,
    sessionPoolOptions: { maxPoolSize: sessionPoolSize, blockedStatusCodes: [] as number[] },
    requestHandlerTimeoutSecs: 90,
    log: quietLog,
    statusMessageLoggingInterval: 3600,
    async errorHandler({ request }: { request: { retryCount: number } }, error: Error) {
      await beforeRetry(error, request.retryCount);
    },
    async failedRequestHandler({ request }: { request: { url: string } }, error: Error) {
      requestFailed(request.url, error);
    },
  };

  const toCrawlee = (request: CrawlRequest): RequestOptions => ({
    url: request.url,
    uniqueKey: request.uniqueKey ?? request.url,
    headers: request.headers,
    userData: { crawl: request },
  });

  const guardCache = new Map<string, Promise<boolean>>();
  /** The SSRF verdict per origin, for the browser's navigations and sub-requests. */
  const hostAllowed = (url: string): Promise<boolean> => {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      return Promise.resolve(false);
    }
    let verdict = guardCache.get(origin);
    if (!verdict) {
      verdict = checkUrl(url, { allowHosts: options.allowHosts }).then((result) => result.ok);
      guardCache.set(origin, verdict);
    }
    return verdict;
  };

  /**
   * Every request a browser page (or every page of a context) makes passes the SSRF guard; without
   * evidence, images, fonts and media are skipped. Stylesheets load: a single-page app's chunk
   * loader can fail its whole render on an aborted CSS chunk.
   */
  async function guardRoutes(target: Page | BrowserContext): Promise<void> {
    await guardBrowserTarget(target, options.allowHosts);
    const route: Page['route'] = target.route.bind(target);
    await route('**/*', async (route) => {
      const req = route.request();
      const type = req.resourceType();
      if (!options.evidence && (type === 'image' || type === 'font' || type === 'media')) return route.abort('blockedbyclient');
      if (req.url().startsWith('data:') || (await hostAllowed(req.url()))) return route.continue();
      return route.abort('blockedbyclient');
    });
  }

  /** A navigated browser page: status checks, captured JSON, then the shared parse-and-persist. */
  async function handleBrowserPage(
    page: Page,
    response: PlaywrightResponse | null,
    capture: ResponseCapture | undefined,
    crawlRequest: CrawlRequest,
    session: { retire(): void } | undefined,
    enqueue: (requests: CrawlRequest[]) => Promise<unknown>,
  ): Promise<void> {
    const status = response?.status() ?? 0;
    if (status === 429 || status >= 500) {
      const headers = response ? lowerCaseKeys(await response.allHeaders()) : {};
      throw new RetryableFetchError(`HTTP ${status} from ${hostOf(crawlRequest.url)}`, status, parseRetryAfter(headers['retry-after']));
    }
    // The document's headers and body, the redirect check and the data capture are independent
    // round trips to the browser: wait for them together rather than one after another.
    const [headers, body, allowed, captured] = await Promise.all([
      response ? response.allHeaders().then(lowerCaseKeys) : Promise.resolve({} as Record<string, string>),
      response ? response.text().catch(() => '') : Promise.resolve(''),
      hostAllowed(page.url()),
      capture ? capture.settle() : Promise.resolve([] as CapturedResponse[]),
    ]);
    // A redirect may have left the allowed hosts; nothing from there is parsed.
    if (!allowed) {
      stats.ssrfRefused += 1;
      return;
    }
    // A data call that failed transiently or never finished (the shop detail of a shop page, say)
    // would leave the page half read; the whole page is tried again, as for a failed navigation.
    if (capture && !capture.quiet) throw new RetryableFetchError(`data calls of ${hostOf(crawlRequest.url)} still in flight after the capture timeout`, null);
    const failedCall = captured.find((item) => item.status === 429 || item.status >= 500);
    if (failedCall) throw new RetryableFetchError(`HTTP ${failedCall.status} from ${hostOf(failedCall.url)} (a data call of the page)`, failedCall.status);
    const fetched: FetchedPage = { url: page.url(), status, contentType: headers['content-type'] ?? null, body, headers, captured };
    await handlePage(fetched, crawlRequest, session, enqueue, async () => {
      const files: EvidenceFileInput[] = captured.map((item, index) => ({
        kind: 'captured',
        name: `captured-${index + 1}.json`,
        content: JSON.stringify({ url: item.url, status: item.status, body: item.body }),
        contentType: 'application/json',
      }));
      const shot = await page.screenshot({ fullPage: true, type: 'png' }).catch(() => null);
      if (shot) files.push({ kind: 'screenshot', name: 'page.png', content: shot, contentType: 'image/png' });
      return files;
    });
  }

  /** robots.txt and the SSRF guard allow a browser to open this request; each refusal is counted. */
  async function browserMayVisit(crawlRequest: CrawlRequest): Promise<boolean> {
    if (!robots.isAllowed(crawlRequest.url)) {
      stats.robotsSkipped += 1;
      return false;
    }
    if (!(await hostAllowed(crawlRequest.url))) {
      stats.ssrfRefused += 1;
      return false;
    }
    return true;
  }

  /**
   * One browser attempt on the direct path: a fresh context (its own cookies: a new session) in
   * the process's one Chromium, the same guards and handler as the PlaywrightCrawler path.
   */
  async function browserAttempt(
    resources: RunnerResources,
    crawlRequest: CrawlRequest,
    session: { retire(): void },
    enqueue: (requests: CrawlRequest[]) => Promise<unknown>,
  ): Promise<void> {
    if (!(await browserMayVisit(crawlRequest))) return;
    const chromium = await resources.browser(deps.config.chromiumPath);
    const context = await chromium.newContext();
    try {
      const page = await context.newPage();
      await guardRoutes(page);
      const capture = new ResponseCapture(page, adapter.captureResponses);
      await limiter.wait(hostOf(crawlRequest.url), signal);
      const response = await page.goto(crawlRequest.url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_SECS * 1000 });
      await handleBrowserPage(page, response, capture, crawlRequest, session, enqueue);
    } finally {
      await context.close().catch(() => undefined);
    }
  }

  /**
   * One browser attempt of an in-process crawl: the lane's reused page (its context is the lane's
   * session) navigates to the request; the same guards and handler as every other path. A page
   * left in doubt (the attempt failed, or data requests were still in flight when the capture
   * gave up) is dropped with its context, so nothing from it leaks into the lane's next request.
   */
  async function laneAttempt(
    lanes: BrowserLanes,
    lane: number,
    crawlRequest: CrawlRequest,
    session: RunnerSession,
    enqueue: (requests: CrawlRequest[]) => Promise<unknown>,
  ): Promise<void> {
    if (!(await browserMayVisit(crawlRequest))) return;
    const page = await lanes.page(lane, session.id);
    const capture = new ResponseCapture(page, adapter.captureResponses);
    let clean = false;
    try {
      await limiter.wait(hostOf(crawlRequest.url), signal);
      const response = await page.goto(crawlRequest.url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_SECS * 1000 });
      await handleBrowserPage(page, response, capture, crawlRequest, session, enqueue);
      clean = capture.quiet;
    } finally {
      capture.dispose();
      if (!clean) await lanes.discard(lane);
    }
  }

  let crawler: { run(requests: RequestOptions[]): Promise<unknown>; stop(): void };
  // Queue jobs: no crawler per call. Browser adapters behind proxies keep crawlee's proxy-aware browser pool.
  const direct = resources && options.onDiscovered && (!adapter.needsBrowser || !proxies) ? resources : undefined;
  if (direct) {
    let stopped = false;
    const queue: CrawlRequest[] = [];
    const attempt = adapter.needsBrowser
      ? (request: CrawlRequest, session: RunnerSession) => browserAttempt(direct, request, session, async (more) => queue.push(...more))
      : (request: CrawlRequest, session: RunnerSession) => fetchAndHandle(request, session, async (more) => queue.push(...more));
    crawler = {
      async run(requests) {
        queue.push(...requests.map((request) => request.userData!.crawl as CrawlRequest));
        await runDirect(queue, options.concurrency, options, {
          attempt,
          beforeRetry,
          failed: async (request, error) => requestFailed(request.url, error),
          session: () => direct.session(sessionPoolSize),
          stopped: () => stopped || (signal?.aborted ?? false),
        });
      },
      stop() {
        stopped = true;
      },
    };
  } else if (!adapter.needsBrowser || !proxies) {
    // An in-process crawl: the direct loop with crawlee's request queue replaced by the same
    // uniqueKey dedup (a Set), and one session per lane. Over HTTP this skips a crawler, its
    // autoscaled pool and a request queue whose dedup cache alone allocates 16 MB per crawl; in a
    // browser each lane reuses one page (see BrowserLanes). Behind proxies a browser crawl keeps
    // crawlee's browser pool, which ties each session to its proxy.
    let stopped = false;
    let launched: Promise<Browser> | undefined;
    const launchOwn = async (): Promise<Browser> => {
      const current = launched ? await launched.catch(() => undefined) : undefined;
      if (current?.isConnected()) return current;
      launched = import('playwright').then(({ chromium }) => launchGuardedChromium(chromium, { executablePath: deps.config.chromiumPath, args: BROWSER_ARGS, headless: true }, { allowHosts: options.allowHosts }));
      return launched;
    };
    const lanes = adapter.needsBrowser
      ? new BrowserLanes({ browser: resources ? () => resources.browser(deps.config.chromiumPath) : launchOwn, setupContext: guardRoutes })
      : undefined;
    const queue: CrawlRequest[] = [];
    const seen = new Set<string>();
    const add = async (requests: readonly CrawlRequest[]) => {
      for (const request of requests) {
        const key = request.uniqueKey ?? request.url;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push(request);
      }
    };
    const laneSessions: RunnerSession[] = [];
    crawler = {
      async run(requests) {
        await add(requests.map((request) => request.userData!.crawl as CrawlRequest));
        try {
          await runDirect(queue, options.concurrency, options, {
            attempt: lanes
              ? (request, session, lane) => laneAttempt(lanes, lane, request, session, add)
              : (request, session) => fetchAndHandle(request, session, add),
            beforeRetry,
            failed: async (request, error) => requestFailed(request.url, error),
            session: (lane) => (laneSessions[lane] ??= laneSession()),
            stopped: () => stopped || (signal?.aborted ?? false),
          });
        } finally {
          await lanes?.close();
          if (launched) await launched.then((browser) => browser.close()).catch(() => undefined);
        }
      },
      stop() {
        stopped = true;
      },
    };
  } else {
    const { chromium } = await import('playwright');
    const captures = new WeakMap<Page, ResponseCapture>();
    const browser = new PlaywrightCrawler(
      {
        ...common,
        launchContext: {
          launcher: chromium,
          launchOptions: { executablePath: deps.config.chromiumPath, args: BROWSER_ARGS, headless: true },
          useIncognitoPages: false,
        },
        headless: true,
        browserPoolOptions: { useFingerprints: false },
        proxyConfiguration: proxies,
        navigationTimeoutSecs: NAVIGATION_TIMEOUT_SECS,
        preNavigationHooks: [
          async ({ page, request }, gotoOptions) => {
            const crawlRequest = request.userData.crawl as CrawlRequest;
            if (!robots.isAllowed(crawlRequest.url) || !(await hostAllowed(crawlRequest.url))) {
              request.skipNavigation = true;
              return;
            }
            if (gotoOptions) gotoOptions.waitUntil = 'domcontentloaded';
            await guardRoutes(page);
            captures.set(page, new ResponseCapture(page, adapter.captureResponses));
            await limiter.wait(hostOf(crawlRequest.url), signal);
          },
        ],
        async requestHandler({ page, request, response, session }) {
          const crawlRequest = request.userData.crawl as CrawlRequest;
          if (request.skipNavigation) {
            if (!robots.isAllowed(crawlRequest.url)) stats.robotsSkipped += 1;
            else stats.ssrfRefused += 1;
            return;
          }
          await handleBrowserPage(page, response ?? null, captures.get(page), crawlRequest, session, (requests) => browser.addRequests(requests.map(toCrawlee)));
        },
      },
      configuration,
    );
    crawler = browser;
  }
  stopCrawler = () => crawler.stop();

  try {
    if (signal?.aborted) stopReason = 'aborted';
    else {
      const allowedStart = startRequests.filter((request) => {
        if (!options.respectRobots || robots.isAllowed(request.url)) return true;
        stats.robotsSkipped += 1;
        return false;
      });
      if (allowedStart.length > 0) await crawler.run(allowedStart.map(toCrawlee));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    ownFetcher?.destroy();
    await sink.flush();
    stats.removed = sink.removedCount;
  }
  reporter.flush(snapshot());
  if (stopReason === 'done' && stats.pages === 0 && (stats.blocked > 0 || blockedRequests > 0)) stopReason = 'blocked';
  return { stats, stopReason, lastBlockReason, blockedRequests, lastError };
}

function safeParse(adapter: MarketplaceAdapter, page: FetchedPage, request: CrawlRequest): ParseResult {
  try {
    return adapter.parse(page, request);
  } catch (error) {
    // Adapters must not throw; if one does, the page counts as unreadable rather than crashing the crawl.
    return { outcome: 'error', message: `adapter ${adapter.name} threw: ${(error as Error).message}` };
  }
}

async function guardedFetch(fetchPage: PageFetcher, request: CrawlRequest, call: FetchCallOptions): Promise<FetchedPage | null> {
  try {
    return await fetchPage(request, call);
  } catch (error) {
    if (error instanceof SsrfError || (error as NodeJS.ErrnoException).code === 'ESSRF') return null;
    // The same oversized page would come back on every retry.
    if (error instanceof ResponseTooLargeError) throw new NonRetryableError(error.message);
    throw error;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

/** A session of its own for one lane: a block retires it and the lane's next attempt gets a new context. */
function laneSession(): RunnerSession {
  let id = randomUUID();
  return {
    get id() {
      return id;
    },
    retire() {
      id = randomUUID();
    },
  };
}

/** How long a loaded page that fetched no data must stay quiet before the capture gives up on it. */
const QUIET_MS = 1_500;

/**
 * Collects the JSON a browser page fetches for itself. Settles once at least one matching
 * response has arrived and none is still in flight, or when the page is loaded and quiet without
 * any, or after a timeout: a gate page that never fetches data must not stall the crawl.
 * Event-driven (no polling), and `dispose()` detaches it, so a reused page can take a new one.
 */
class ResponseCapture {
  private pending = 0;
  private readonly bodies: Promise<CapturedResponse | null>[] = [];
  private loaded = false;
  private wake: (() => void) | undefined;
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly page: Page,
    private readonly pattern: RegExp | undefined,
    private readonly timeoutMs = 10_000,
  ) {
    if (!pattern) return;
    const onRequest = (request: PlaywrightRequest) => {
      if (this.matches(request.url())) this.pending += 1;
    };
    const onDone = (request: PlaywrightRequest) => {
      if (!this.matches(request.url())) return;
      this.pending = Math.max(0, this.pending - 1);
      this.wake?.();
    };
    const onResponse = (response: PlaywrightResponse) => {
      if (!this.matches(response.url())) return;
      this.bodies.push(
        response
          .text()
          .then((body) => ({ url: response.url(), status: response.status(), body }))
          .catch(() => null),
      );
      this.wake?.();
    };
    const onLoad = () => {
      this.loaded = true;
      this.wake?.();
    };
    page.on('request', onRequest);
    page.on('requestfinished', onDone);
    page.on('requestfailed', onDone);
    page.on('response', onResponse);
    page.on('load', onLoad);
    this.detach.push(
      () => page.off('request', onRequest),
      () => page.off('requestfinished', onDone),
      () => page.off('requestfailed', onDone),
      () => page.off('response', onResponse),
      () => page.off('load', onLoad),
    );
  }

  /** No matching request is still in flight (the page can be reused without leftovers). */
  get quiet(): boolean {
    return this.pending === 0;
  }

  private matches(url: string): boolean {
    if (!this.pattern) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(url);
  }

  async settle(): Promise<CapturedResponse[]> {
    if (!this.pattern) return [];
    const deadline = Date.now() + this.timeoutMs;
    let quietSince: number | null = null;
    for (;;) {
      const now = Date.now();
      if (this.bodies.length > 0 && this.pending === 0) break;
      if (this.loaded && this.pending === 0) {
        quietSince ??= now;
        if (now - quietSince >= QUIET_MS) break;
      } else quietSince = null;
      if (now >= deadline) break;
      const until = quietSince === null ? deadline : Math.min(deadline, quietSince + QUIET_MS);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, until - now));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const bodies = await Promise.all(this.bodies);
    return bodies.filter((body): body is CapturedResponse => body !== null);
  }

  /** Stops listening to the page. */
  dispose(): void {
    for (const off of this.detach.splice(0)) off();
    this.wake?.();
  }
}
