import { sleep } from './retry.ts';

/**
 * Per-domain politeness: requests to one host are spaced at least `60_000 / requestsPerMinute` ms
 * apart, across every crawl sharing the limiter. Other hosts are not slowed.
 */
export class DomainRateLimiter {
  private readonly nextSlot = new Map<string, number>();
  private readonly intervalMs: number;

  /** `requestsPerMinute` ≤ 0 or Infinity disables limiting. */
  constructor(
    requestsPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = requestsPerMinute > 0 && Number.isFinite(requestsPerMinute) ? 60_000 / requestsPerMinute : 0;
  }

  /** Reserves the next slot for `host` and returns how long the caller must wait for it. */
  reserve(host: string): number {
    if (this.intervalMs === 0) return 0;
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(host) ?? now);
    this.nextSlot.set(host, slot + this.intervalMs);
    return slot - now;
  }

  /** Waits for this host's next slot. */
  async wait(host: string, signal?: AbortSignal): Promise<void> {
    await sleep(this.reserve(host), signal);
  }
}
