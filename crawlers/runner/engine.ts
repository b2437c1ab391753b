import { ProxyConfiguration } from 'crawlee';
import { randomUUID } from 'node:crypto';
import type { CrawlRequest, MarketplaceAdapter } from '../adapter.ts';
import type { Config } from '../../src/core/config/schema.ts';
import type { Db } from '../../src/core/db/types.ts';
import type { Logger } from '../../src/core/log/logger.ts';
import { browserRoutes } from './browser-routes.ts';
import { createBrowserTransport, freshContextPages, lanePages, ownBrowser } from './browser-transport.ts';
import { createCrawleeBrowser } from './crawlee-browser.ts';
import { CrawlState, type StopReason } from './crawl-state.ts';
import { runDirect } from './direct.ts';
import { BlockedPageError } from './errors.ts';
import { createEvidenceStep } from './evidence-step.ts';
import { createHttpFetcher } from './http-fetch.ts';
import { createHttpTransport } from './http-transport.ts';
import { createPipeline, type Pipeline } from './pipeline.ts';
import { DomainRateLimiter } from './rate-limit.ts';
import type { RunnerResources, RunnerSession } from './resources.ts';
import { retryDelay, sleep } from './retry.ts';
import { loadRobots, RobotsPolicy } from './robots.ts';
import { RecordSink } from './sink.ts';
import type { CrawlStats, CrawlStatsSnapshot } from './stats.ts';
import type { Transport } from './transport.ts';
import { createUrlGuard } from './url-guard.ts';

export { BlockedPageError, PageParseError } from './errors.ts';
export type { StopReason } from './crawl-state.ts';

/** What the runner needs from the outside world. */
export interface RunnerDeps {
  db: Db;
  config: Config;
  log: Logger;
}

export interface EngineOptions {
  adapter: MarketplaceAdapter;
  /** The `crawl_runs` row observations are recorded against. */
  runId: number;
  /** Root the adapter's URLs are built on; its origin's robots.txt is read from `<baseUrl>/robots.txt`. */
  baseUrl: string;
  /** Hosts the SSRF guard lets through (config.allowHosts plus an explicit sandbox host). */
  allowHosts: readonly string[];
  /** Capture each listing and shop page as evidence: one Chromium load (status, screenshot, raw and rendered page, WACZ) in every transport. */
  evidence: boolean;
  /** Parallel requests (pages, for a browser). */
  concurrency: number;
  /** Requests per minute per domain; ≤ 0 or Infinity = unlimited. */
  requestsPerMinute: number;
  /** Obey robots.txt (RFC 9309) on every origin the crawl touches. */
  respectRobots: boolean;
  /** Attempts after the first for transient failures (429, 5xx, network, unreadable page). */
  maxRetries: number;
  /** Fresh sessions tried on a blocked request before giving it up. */
  maxSessionRotations: number;
  /** Consecutive blocked attempts with no good page in between that end the crawl as blocked. */
  blockStreakLimit: number;
  /** Cancels the crawl; in-flight requests finish, the rest stay unfetched, the status is `aborted`. Without it, the crawl runs to the end. */
  signal?: AbortSignal;
  /**
   * Where follow-up requests go. Absent: the crawl's own queue (deduplicated by uniqueKey).
   * Present: handed to the callback (a BullMQ worker enqueues them as jobs) and not fetched here.
   */
  onDiscovered?: (requests: CrawlRequest[]) => void | Promise<void>;
  /** Called at most once a second with running counters, and once at the end. Without it, no progress is reported. */
  onProgress?: (stats: CrawlStatsSnapshot) => void;
  /**
   * Share one limiter across calls (a worker process) so politeness holds across jobs. Without it,
   * the crawl gets its own limiter at `requestsPerMinute` (none when that is unlimited).
   */
  limiter?: DomainRateLimiter;
  /**
   * Records buffered before a database write.
   * @default 500
   */
  batchSize?: number;
  /**
   * Upper bound on retry waits, Retry-After included (ms).
   * @default 60_000
   */
  maxRetryWaitMs?: number;
  /**
   * First backoff wait for retries without Retry-After (ms); doubles each attempt.
   * @default 500
   */
  retryBaseMs?: number;
  /**
   * Per-process caches (fetcher, robots.txt, DNS, proxies, sessions, browser) shared across calls.
   * With `onDiscovered` as well (a queue job), sessions come from the process's pool and a browser
   * page opens in a fresh context of the process's one Chromium. Absent: everything is built for
   * this crawl alone.
   */
  resources?: RunnerResources;
}

export interface EngineResult {
  stats: CrawlStats;
  stopReason: StopReason;
  /** The last block reason the adapter gave. */
  lastBlockReason?: string;
  /** Requests that were still blocked after every session rotation. */
  blockedRequests: number;
  /** The last error a request finally failed with, for the run's message. */
  lastError?: string;
  /** robots.txt files that were unreachable, so RFC 9309 disallowed their whole origin. */
  robotsUnreachable: string[];
}

const unlimited = new DomainRateLimiter(0);

/**
 * Crawls `startRequests` with the one per-request pipeline (see `createPipeline`), shared by the
 * in-process crawl and the queue workers. This function only composes it: the crawl's state,
 * its robots.txt, URL guard, limiter, sink and evidence; then a transport and a driver:
 * - plain HTTP, or a browser lane (one reused page per lane in-process; a fresh context per
 *   attempt in a queue job), driven by `runDirect` (crawlee's retry and session rules without a
 *   crawler per call); an in-process crawl feeds discoveries back into its own queue;
 * - a browser behind proxies: crawlee's PlaywrightCrawler drives and opens the session's page; its
 *   request handler runs the pipeline, whose browser transport navigates that page.
 */
export async function crawlRequests(
  startRequests: readonly CrawlRequest[],
  options: EngineOptions,
  deps: RunnerDeps,
): Promise<EngineResult> {
  const { adapter, resources, signal } = options;
  const { config, log } = deps;
  const sink = new RecordSink(deps.db, { runId: options.runId, batchSize: options.batchSize });
  const state = new CrawlState({
    blockStreakLimit: options.blockStreakLimit,
    onProgress: options.onProgress,
    removed: () => sink.removedCount,
    log,
  });
  // Without shared resources the fetcher (and its keep-alive sockets) is this crawl's own and is
  // destroyed at the end: an idle socket left open keeps its AsyncLocalStorage store, which is
  // crawlee's crawling context, so every finished crawl's crawler and request queue stayed alive.
  const ownFetcher = resources ? undefined : createHttpFetcher({ allowHosts: options.allowHosts });
  const fetchPage = resources ? resources.fetcher(options.allowHosts) : ownFetcher!;
  const robotsLog = { warn: (message: string) => log.warn(message), info: (message: string) => log.info(message) };
  const robots = options.respectRobots
    ? new RobotsPolicy({
        baseUrl: options.baseUrl,
        load: (url) => (resources ? resources.robots(url, fetchPage, robotsLog) : loadRobots(url, fetchPage, robotsLog)),
      })
    : null;
  const guard = createUrlGuard({ allowHosts: options.allowHosts, resolve: resources?.resolve });
  const limited = options.requestsPerMinute > 0 && Number.isFinite(options.requestsPerMinute);
  const proxies = resources
    ? resources.proxies(config.proxyUrls)
    : config.proxyUrls.length > 0
      ? new ProxyConfiguration({ proxyUrls: config.proxyUrls })
      : undefined;
  // Bound once the driver is chosen: the crawl's own queue, or the caller's.
  let discover: (requests: CrawlRequest[]) => unknown = options.onDiscovered ?? (() => undefined);
  const limiter = options.limiter ?? (limited ? new DomainRateLimiter(options.requestsPerMinute) : unlimited);
  // Evidence is the one-load browser capture in every transport; a queue job borrows the worker's Chromium.
  const evidence = options.evidence
    ? createEvidenceStep({
        deps,
        sink,
        written: () => state.evidenceWritten(),
        allowHosts: options.allowHosts,
        limiter,
        robots,
        signal,
        browser: resources ? () => resources.browser(config.chromiumPath) : undefined,
      })
    : null;
  const pipeline = createPipeline({
    adapter,
    robots,
    guard,
    limiter,
    sink,
    evidence: evidence?.step ?? null,
    state,
    discover: (requests) => discover(requests),
    signal,
  });
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
  const retries = {
    /** Before another attempt: count it and wait (no wait after a block: the next session goes at once). */
    beforeRetry: async (error: Error, retryCount: number): Promise<void> => {
      state.retried();
      if (error instanceof BlockedPageError) return;
      await sleep(Math.min(retryDelay(error, retryCount + 1, { baseMs: options.retryBaseMs }), maxRetryWaitMs), signal);
    },
    failed: (url: string, error: Error) => state.failed(url, error),
  };

  const onAbort = () => state.stop('aborted');
  signal?.addEventListener('abort', onAbort, { once: true });
  const protect = browserRoutes({ guard, evidence: options.evidence, allowHosts: options.allowHosts });
  const browser = adapter.needsBrowser && !resources ? ownBrowser(config.chromiumPath, options.allowHosts) : undefined;
  const chromium = () => (resources ? resources.browser(config.chromiumPath) : browser!.get());
  let transport: Transport | undefined;
  try {
    if (signal?.aborted) state.stop('aborted');
    else if (adapter.needsBrowser && proxies) {
      const crawler = await createCrawleeBrowser({
        ...retries,
        concurrency: options.concurrency,
        maxRetries: options.maxRetries,
        maxSessionRotations: options.maxSessionRotations,
        pipeline,
        proxies,
        chromiumPath: config.chromiumPath,
        name: adapter.name,
        captureResponses: adapter.captureResponses,
        protect,
        onStop: (stop) => state.onStop(stop),
      });
      if (!options.onDiscovered) discover = crawler.add;
      await crawler.run(startRequests);
    } else {
      const job = resources && options.onDiscovered ? resources : undefined;
      transport = adapter.needsBrowser
        ? createBrowserTransport({
            pages: job ? freshContextPages(chromium, protect) : lanePages(chromium, protect),
            captureResponses: adapter.captureResponses,
          })
        : createHttpTransport({ fetchPage, proxies, signal });
      const queue = options.onDiscovered ? [...startRequests] : frontier(startRequests, (add) => (discover = add));
      const laneSessions: RunnerSession[] = [];
      const sessionPoolSize = Math.max(4, options.concurrency * 2);
      await runDirect(queue, options.concurrency, options, {
        attempt: attemptWith(pipeline, transport),
        beforeRetry: (error, retryCount) => retries.beforeRetry(error, retryCount),
        failed: async (request, error) => retries.failed(request.url, error),
        // A queue job's sessions rotate across jobs; an in-process crawl keeps one per lane.
        session: job ? () => job.session(sessionPoolSize) : (lane) => (laneSessions[lane] ??= laneSession()),
        stopped: () => state.stopped || (signal?.aborted ?? false),
      });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await transport?.close();
    await browser?.close();
    await evidence?.close();
    ownFetcher?.destroy();
    await sink.flush();
  }
  state.finish();
  return {
    stats: state.stats,
    stopReason: state.stopReason,
    lastBlockReason: state.lastBlockReason,
    blockedRequests: state.blockedRequests,
    lastError: state.lastError,
    robotsUnreachable: robots ? [...robots.unreachable] : [],
  };
}

/** The direct loop's attempt: the whole pipeline with this transport fetching. */
function attemptWith(pipeline: Pipeline, transport: Transport) {
  return (request: CrawlRequest, session: RunnerSession, lane: number) => pipeline.run(request, session, lane, transport);
}

/**
 * An in-process crawl's queue: crawlee's request queue replaced by the same uniqueKey dedup (a
 * Set), which skips a request queue whose dedup cache alone allocates 16 MB per crawl.
 */
function frontier(start: readonly CrawlRequest[], bind: (add: (requests: readonly CrawlRequest[]) => void) => void): CrawlRequest[] {
  const queue: CrawlRequest[] = [];
  const seen = new Set<string>();
  const add = (requests: readonly CrawlRequest[]) => {
    for (const request of requests) {
      const key = request.uniqueKey ?? request.url;
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push(request);
    }
  };
  add(start);
  bind(add);
  return queue;
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
