import type { CrawlRequest, MarketplaceAdapter } from '../adapter.ts';
import { crawlRequests, type RunnerDeps } from './engine.ts';
import { recordRunStats, resolveTuning, type CrawlTuning } from './run-crawl.ts';
import { sharedRunnerResources, type RunnerResources } from './resources.ts';
import type { CrawlStatsSnapshot } from './stats.ts';

export interface ProcessRequestsOptions extends CrawlTuning {
  adapter: MarketplaceAdapter;
  /** The `crawl_runs` row (from `startCrawlRun`) this batch belongs to; its counters are incremented. */
  runId: number;
  /**
   * Receives the follow-up requests the pages point to (next result pages, listing details, shop
   * pages) instead of fetching them here. Not deduplicated across calls (key jobs on
   * `request.uniqueKey ?? request.url` for that), and not yet checked against robots.txt: the job
   * that processes one checks it first, so a disallowed request costs a job but no fetch.
   */
  onDiscovered: (requests: CrawlRequest[]) => void | Promise<void>;
  /**
   * Caches kept between calls: HTTP fetcher with keep-alive sockets, robots.txt per file (1 h;
   * 60 s after it was unreachable), DNS answers (30 s), proxy configuration, rotating sessions and
   * one Chromium. Pass `createRunnerResources()` for an isolated set.
   * @default this process's shared set (`sharedRunnerResources()`), which is what a queue worker wants
   */
  resources?: RunnerResources;
}

export interface ProcessRequestsResult extends CrawlStatsSnapshot {
  /** The marketplace blocked every attempt in a row (`blockStreakLimit`): back off this adapter. */
  blockedOut: boolean;
  /** Requests still blocked after every session rotation; re-enqueue them later if wanted. */
  blockedRequests: number;
  lastBlockReason?: string;
}

/**
 * The fan-out seam for queue workers: fetches, parses and persists exactly `requests` with the
 * same pipeline `runCrawl` uses (sessions, retries with backoff and Retry-After, robots.txt, SSRF
 * guard, batched upserts with observations for `runId`, evidence), hands discoveries to
 * `onDiscovered`, and adds this batch's counters to the run. It does not finish the run: the
 * caller knows when the last job of a run is done and calls `finishCrawlRun`.
 *
 * Built to be called once per queue job with a handful of requests: HTTP adapters run on the
 * direct path (no crawler per call, see `runDirect`) and the per-process `resources` are reused,
 * so a job costs about one fetch, one parse and one write.
 *
 * @example
 *   const runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'query', target: 'giày', crawlerVersion: CRAWLER_VERSION });
 *   await processRequests(adapter.startRequests(target, { baseUrl, maxPages: 3 }), {
 *     adapter, runId, onDiscovered: (next) => queue.addBulk(next.map((r) => ({ name: 'fetch', data: r, opts: { jobId: r.uniqueKey ?? r.url } }))),
 *   }, { db, config, log });
 */
export async function processRequests(
  requests: readonly CrawlRequest[],
  options: ProcessRequestsOptions,
  deps: RunnerDeps,
): Promise<ProcessRequestsResult> {
  const tuning = resolveTuning(options.adapter, options, deps);
  const started = Date.now();
  const result = await crawlRequests(
    requests,
    {
      adapter: options.adapter,
      runId: options.runId,
      ...tuning,
      onDiscovered: options.onDiscovered,
      resources: options.resources ?? sharedRunnerResources(),
    },
    deps,
  );
  const snapshot = result.stats.snapshot();
  await recordRunStats(deps.db, options.runId, snapshot, result, Date.now() - started);
  return {
    ...snapshot,
    blockedOut: result.stopReason === 'blocked',
    blockedRequests: result.blockedRequests,
    ...(result.lastBlockReason ? { lastBlockReason: result.lastBlockReason } : {}),
  };
}
