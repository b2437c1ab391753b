/** Counters for one crawl (or one batch of requests in a queue worker). */
export interface CrawlStatsSnapshot {
  /** Pages fetched and parsed successfully. */
  pages: number;
  /** Distinct listings recorded. */
  listings: number;
  /** Distinct shops recorded. */
  shops: number;
  /** Block or gate responses seen (every attempt counts: the running block count). */
  blocked: number;
  /** Requests that finally failed (after retries), blocks excluded. */
  errors: number;
  /** Listings marked removed because their own page said so. */
  removed: number;
  /** Items the adapter dropped as invalid (poisoned prices, failed validation). */
  rejected: number;
  /** Attempts retried after a transient failure (429, 5xx, network, unparseable page). */
  retries: number;
  /** Requests skipped because robots.txt disallows them. */
  robotsSkipped: number;
  /** Requests refused by the SSRF guard. */
  ssrfRefused: number;
  /** Evidence bundles written. */
  evidence: number;
  /** Milliseconds since the crawl started. */
  elapsedMs: number;
}

export class CrawlStats {
  pages = 0;
  blocked = 0;
  errors = 0;
  removed = 0;
  rejected = 0;
  retries = 0;
  robotsSkipped = 0;
  ssrfRefused = 0;
  evidence = 0;
  /** Consecutive blocked attempts since the last good page; drives the "blocked everything" stop. */
  blockStreak = 0;
  readonly listingKeys = new Set<string>();
  readonly shopKeys = new Set<string>();
  readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  snapshot(): CrawlStatsSnapshot {
    return {
      pages: this.pages,
      listings: this.listingKeys.size,
      shops: this.shopKeys.size,
      blocked: this.blocked,
      errors: this.errors,
      removed: this.removed,
      rejected: this.rejected,
      retries: this.retries,
      robotsSkipped: this.robotsSkipped,
      ssrfRefused: this.ssrfRefused,
      evidence: this.evidence,
      elapsedMs: this.now() - this.startedAt,
    };
  }
}

/** One progress line: what an operator watching stderr needs. */
export function formatProgress(stats: CrawlStatsSnapshot): string {
  const seconds = Math.max(stats.elapsedMs / 1000, 0.001);
  const rate = (stats.pages / seconds).toFixed(1);
  return `pages ${stats.pages}  listings ${stats.listings}  shops ${stats.shops}  blocked ${stats.blocked}  errors ${stats.errors}  ${rate} pages/s`;
}

/** Calls `emit` at most once per `intervalMs`, plus once more on `flush`. */
export class ThrottledReporter {
  private last = 0;
  constructor(
    private readonly emit: (stats: CrawlStatsSnapshot) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private lastLine = '';

  maybeReport(stats: () => CrawlStatsSnapshot): void {
    const at = this.now();
    if (at - this.last < this.intervalMs) return;
    this.last = at;
    this.send(stats());
  }

  /** The final report; skipped when nothing changed since the last one. */
  flush(stats: CrawlStatsSnapshot): void {
    this.last = this.now();
    this.send(stats);
  }

  private send(stats: CrawlStatsSnapshot): void {
    const line = JSON.stringify({ ...stats, elapsedMs: 0 });
    if (line === this.lastLine) return;
    this.lastLine = line;
    this.emit(stats);
  }
}
