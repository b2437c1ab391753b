import type { ParseResult } from '../adapter.ts';
import { BlockedPageError } from './errors.ts';
import { CrawlStats, ThrottledReporter, type CrawlStatsSnapshot } from './stats.ts';

export type StopReason = 'done' | 'blocked' | 'aborted';

/** Options of {@link CrawlState}. */
export interface CrawlStateOptions {
  /** Consecutive blocked attempts with no good page in between that end the crawl as blocked. */
  blockStreakLimit: number;
  /** Called at most once a second with running counters, and once at the end. */
  onProgress?: (stats: CrawlStatsSnapshot) => void;
  /** Listings the sink switched to removed so far (part of every snapshot). */
  removed: () => number;
  /** Where a request that finally failed is logged. */
  log: { debug(details: object, message: string): void; warn(message: string): void };
}

/**
 * What one crawl (or one queue job) has seen so far and whether it should go on: the counters,
 * the block streak, how it stopped. Every step of the pipeline and every driver reports here, so
 * none of them needs the others.
 */
export class CrawlState {
  readonly stats = new CrawlStats();
  stopReason: StopReason = 'done';
  /** The last block reason the adapter gave. */
  lastBlockReason: string | undefined;
  /** Requests that were still blocked after every session rotation. */
  blockedRequests = 0;
  /** The last error a request finally failed with, for the run's message. */
  lastError: string | undefined;
  private readonly reporter: ThrottledReporter;
  private readonly stoppers: (() => void)[] = [];
  private halted = false;
  readonly snapshot = (): CrawlStatsSnapshot => ({ ...this.stats.snapshot(), removed: this.options.removed() });

  constructor(private readonly options: CrawlStateOptions) {
    this.reporter = new ThrottledReporter((snapshot) => options.onProgress?.(snapshot));
  }

  /** True once the crawl is stopped (blocked out, aborted): no new attempt starts. */
  get stopped(): boolean {
    return this.halted;
  }

  /** Runs `stopper` when the crawl stops (a crawler's own `stop`). */
  onStop(stopper: () => void): void {
    this.stoppers.push(stopper);
  }

  /** Ends the crawl: in-flight attempts finish, nothing new starts. The first reason wins. */
  stop(reason: Exclude<StopReason, 'done'>): void {
    if (this.stopReason === 'done') this.stopReason = reason;
    this.halted = true;
    for (const stopper of this.stoppers) stopper();
  }

  robotsSkipped(): void {
    this.stats.robotsSkipped += 1;
  }

  ssrfRefused(url: string): void {
    this.stats.ssrfRefused += 1;
    this.options.log.warn(`SSRF guard refused ${url}`);
  }

  /** A block or gate page: false when the streak limit ended the crawl, else the error to retry with. */
  blocked(reason: string): BlockedPageError | false {
    this.stats.blocked += 1;
    this.stats.blockStreak += 1;
    this.lastBlockReason = reason;
    this.report();
    if (this.stats.blockStreak >= this.options.blockStreakLimit && this.stopReason === 'done') {
      this.stop('blocked');
      return false;
    }
    return new BlockedPageError(reason);
  }

  /** A page that parsed: counts it and its records, and ends the block streak. */
  parsed(result: Extract<ParseResult, { outcome: 'ok' }>): void {
    const stats = this.stats;
    stats.pages += 1;
    stats.blockStreak = 0;
    stats.rejected += result.rejected.length;
    for (const listing of result.listings) stats.listingKeys.add(`${listing.marketplace}:${listing.externalId}`);
    for (const shop of result.shops) stats.shopKeys.add(`${shop.marketplace}:${shop.externalId}`);
  }

  evidenceWritten(): void {
    this.stats.evidence += 1;
  }

  retried(): void {
    this.stats.retries += 1;
  }

  /** A request given up after its retries (or at once, for a non-retryable error). */
  failed(url: string, error: Error): void {
    if (error instanceof BlockedPageError) this.blockedRequests += 1;
    else {
      this.stats.errors += 1;
      this.lastError = error.message;
      this.options.log.debug({ url, err: error.message }, 'request failed after retries');
    }
    this.report();
  }

  /** A progress report, at most once a second. */
  report(): void {
    this.reporter.maybeReport(this.snapshot);
  }

  /** The final counters and report; a crawl that got no page through and saw blocks ended blocked. */
  finish(): CrawlStatsSnapshot {
    this.stats.removed = this.options.removed();
    const snapshot = this.snapshot();
    this.reporter.flush(snapshot);
    if (this.stopReason === 'done' && this.stats.pages === 0 && (this.stats.blocked > 0 || this.blockedRequests > 0))
      this.stopReason = 'blocked';
    return snapshot;
  }
}
