import { crawlTargetValue, type CrawlRequest, type CrawlTarget, type MarketplaceAdapter } from '../adapter.ts';
import { addCrawlRunStats, finishCrawlRun, startCrawlRun, type CrawlRunStatus } from '../../src/core/db/stores/crawl-runs.ts';
import { crawlRequests, type EngineResult, type RunnerDeps } from './engine.ts';
import type { DomainRateLimiter } from './rate-limit.ts';
import type { CrawlStatsSnapshot } from './stats.ts';
import { CRAWLER_VERSION } from './version.ts';

export type { RunnerDeps } from './engine.ts';

/** Politeness and robustness knobs shared by `runCrawl` and `processRequests`. */
export interface CrawlTuning {
  /**
   * Override the adapter's base URL (the sandbox skins).
   * @default config.adapters[name].baseUrl, else the adapter's real host
   */
  baseUrl?: string;
  /**
   * Save evidence (raw page, and a screenshot in a browser) for every listing and shop page.
   * @default false
   */
  evidence?: boolean;
  /**
   * Parallel requests.
   * @default 8 over HTTP, 2 pages in a browser
   */
  concurrency?: number;
  /**
   * Requests per minute per domain; 0 = unlimited.
   * @default config.adapters[name].requestsPerMinute, else 120
   */
  requestsPerMinute?: number;
  /**
   * Obey robots.txt on every origin the crawl fetches from (`<baseUrl>/robots.txt` for the base
   * URL's origin, `<origin>/robots.txt` elsewhere), by RFC 9309: a 4xx allows everything, an
   * unreachable file (5xx, 429, network error) disallows everything.
   * @default true
   */
  respectRobots?: boolean;
  /** Extra hosts (`host` or `host:port`) the SSRF guard lets through, e.g. the sandbox; added to config.allowHosts. Without it, only config.allowHosts. */
  allowHosts?: string[];
  /**
   * Retries for transient failures.
   * @default 3
   */
  maxRetries?: number;
  /**
   * Fresh sessions tried on a blocked request.
   * @default 2
   */
  maxSessionRotations?: number;
  /**
   * Consecutive blocked attempts (no good page between) that end the crawl as blocked.
   * @default 12
   */
  blockStreakLimit?: number;
  /** Cancels the crawl: in-flight pages finish, the run is recorded as `aborted`. Without it, the crawl runs to the end. */
  signal?: AbortSignal;
  /** Running counters, at most once a second and once at the end. Without it, no progress is reported. */
  onProgress?: (stats: CrawlStatsSnapshot) => void;
  /** A limiter shared across calls, so politeness holds across queue jobs in one process. Without it, each crawl limits itself alone. */
  limiter?: DomainRateLimiter;
  /**
   * Records per database write.
   * @default 500
   */
  batchSize?: number;
  /**
   * First backoff wait (ms) for retries the server gave no Retry-After for; doubles per attempt.
   * @default 500
   */
  retryBaseMs?: number;
}

export interface RunCrawlOptions extends CrawlTuning {
  adapter: MarketplaceAdapter;
  target: CrawlTarget;
  /** Result pages to follow per target. */
  maxPages: number;
}

/** The run's counters (see {@link CrawlStatsSnapshot} for what each counts) and how it ended. */
export interface CrawlSummary extends Pick<
  CrawlStatsSnapshot,
  'pages' | 'listings' | 'shops' | 'blocked' | 'errors' | 'removed' | 'rejected'
> {
  runId: number;
  status: CrawlRunStatus;
  durationMs: number;
  /** Why the crawl ended the way it did, when that is not a plain success. */
  message?: string;
}

/** Resolves the tuning defaults for one adapter. */
export function resolveTuning(adapter: MarketplaceAdapter, tuning: CrawlTuning, deps: RunnerDeps) {
  const override = deps.config.adapters[adapter.name];
  return {
    baseUrl: (tuning.baseUrl ?? override?.baseUrl ?? adapter.defaultBaseUrl).replace(/\/+$/, ''),
    evidence: tuning.evidence ?? false,
    concurrency: Math.max(1, tuning.concurrency ?? (adapter.needsBrowser ? 2 : 8)),
    requestsPerMinute: tuning.requestsPerMinute ?? override?.requestsPerMinute ?? 120,
    respectRobots: tuning.respectRobots ?? true,
    allowHosts: [...deps.config.allowHosts, ...(tuning.allowHosts ?? [])],
    maxRetries: tuning.maxRetries ?? 3,
    maxSessionRotations: tuning.maxSessionRotations ?? 2,
    blockStreakLimit: tuning.blockStreakLimit ?? 12,
    signal: tuning.signal,
    onProgress: tuning.onProgress,
    limiter: tuning.limiter,
    batchSize: tuning.batchSize,
    retryBaseMs: tuning.retryBaseMs,
  };
}

/** Maps how the engine stopped to the run status and its message. */
export function outcomeOf(adapter: MarketplaceAdapter, result: EngineResult): { status: CrawlRunStatus; message?: string } {
  const { stats } = result;
  if (result.stopReason === 'aborted') return { status: 'aborted', message: `aborted after ${stats.pages} pages` };
  if (result.stopReason === 'blocked') {
    return {
      status: 'blocked',
      message:
        `${adapter.name} blocked the crawl: ${stats.blocked} block/gate page(s)` +
        (stats.pages > 0 ? ` in a row after ${stats.pages} good page(s)` : ' and no page got through') +
        (result.lastBlockReason ? ` (last: ${result.lastBlockReason})` : '') +
        '; wait and retry later, lower --requests-per-minute, or set PROXY_URLS',
    };
  }
  if (stats.pages === 0 && stats.errors > 0) {
    return {
      status: 'failed',
      message: `every request failed (${stats.errors} error(s)${result.lastError ? `, last: ${result.lastError}` : ''}); check --base-url and that the site is reachable`,
    };
  }
  if (stats.pages === 0 && stats.ssrfRefused > 0) {
    return {
      status: 'failed',
      message: `the SSRF guard refused ${stats.ssrfRefused} request(s) to private, loopback or link-local addresses; if that host is yours, allowlist it with RADAR_ALLOW_HOSTS (or use a loopback --base-url for the sandbox)`,
    };
  }
  if (stats.pages === 0 && stats.robotsSkipped > 0) {
    const unreachable =
      result.robotsUnreachable.length > 0
        ? `; ${result.robotsUnreachable.join(', ')} could not be read, and RFC 9309 treats an unreachable robots.txt as disallowing everything`
        : '';
    return { status: 'completed', message: `robots.txt disallows every start URL (${stats.robotsSkipped} skipped)${unreachable}` };
  }
  return { status: 'completed' };
}

/**
 * Crawls one target in-process: records a `crawl_runs` row, runs the shared engine with follow-up
 * requests fed back into crawlee's own queue, writes the run's stats, and returns a summary.
 * Never reports an empty success for a blocked marketplace: that ends with status `blocked`.
 */
export async function runCrawl(options: RunCrawlOptions, deps: RunnerDeps): Promise<CrawlSummary> {
  const { adapter, target } = options;
  const tuning = resolveTuning(adapter, options, deps);
  const startRequests: CrawlRequest[] = adapter.startRequests(target, { baseUrl: tuning.baseUrl, maxPages: options.maxPages });
  const runId = await startCrawlRun(deps.db, {
    adapter: adapter.name,
    marketplace: adapter.marketplace,
    mode: target.mode,
    target: crawlTargetValue(target),
    params: { maxPages: options.maxPages, baseUrl: tuning.baseUrl, evidence: tuning.evidence, concurrency: tuning.concurrency },
    crawlerVersion: CRAWLER_VERSION,
  });
  const started = Date.now();
  let result: EngineResult;
  try {
    result = await crawlRequests(startRequests, { adapter, runId, ...tuning }, deps);
  } catch (error) {
    await finishCrawlRun(deps.db, runId, 'failed', (error as Error).message).catch(() => undefined);
    throw error;
  }
  const snapshot = result.stats.snapshot();
  const { status, message } = outcomeOf(adapter, result);
  await recordRunStats(deps.db, runId, snapshot, result, Date.now() - started);
  await finishCrawlRun(deps.db, runId, status, message);
  return {
    runId,
    status,
    pages: snapshot.pages,
    listings: snapshot.listings,
    shops: snapshot.shops,
    blocked: snapshot.blocked,
    errors: snapshot.errors,
    removed: snapshot.removed,
    rejected: snapshot.rejected,
    durationMs: Date.now() - started,
    ...(message ? { message } : {}),
  };
}

/** Adds one crawl's (or one queue job's) counters to its `crawl_runs` row. */
export async function recordRunStats(
  db: RunnerDeps['db'],
  runId: number,
  snapshot: CrawlStatsSnapshot,
  result: EngineResult,
  durationMs: number,
): Promise<void> {
  await addCrawlRunStats(db, runId, {
    pages: snapshot.pages,
    listings: snapshot.listings,
    shops: snapshot.shops,
    blocked: snapshot.blocked,
    errors: snapshot.errors,
    extra: statsExtra(snapshot, result, durationMs),
  });
}

function statsExtra(snapshot: CrawlStatsSnapshot, result: EngineResult, durationMs: number): Record<string, unknown> {
  return {
    removed: snapshot.removed,
    rejected: snapshot.rejected,
    retries: snapshot.retries,
    robotsSkipped: snapshot.robotsSkipped,
    ssrfRefused: snapshot.ssrfRefused,
    evidence: snapshot.evidence,
    blockedRequests: result.blockedRequests,
    ...(result.robotsUnreachable.length > 0 ? { robotsUnreachable: result.robotsUnreachable } : {}),
    durationMs,
    pagesPerSecond: durationMs > 0 ? Number(((snapshot.pages * 1000) / durationMs).toFixed(2)) : null,
  };
}
