import { NonRetryableError, SessionError } from 'crawlee';
import type { CrawlRequest } from '../adapter.ts';
import type { RunnerSession } from './resources.ts';

/** Retry limits, the same knobs crawlee's BasicCrawler takes. */
export interface RetryPolicy {
  /** Attempts after the first, for any retryable error (blocks included, as in crawlee). */
  maxRetries: number;
  /** Fresh sessions tried on a blocked request before giving it up. */
  maxSessionRotations: number;
}

/** What the direct loop calls; the engine supplies the same handlers its crawlee crawler uses. */
export interface DirectHooks {
  /** One attempt at one request: fetch, parse, persist. Throws to ask for a retry or to fail. */
  attempt(request: CrawlRequest, session: RunnerSession): Promise<void>;
  /** Before a retry (crawlee's `errorHandler`): count it and wait the backoff or Retry-After. */
  beforeRetry(error: Error, retryCount: number): Promise<void>;
  /** The request is given up (crawlee's `failedRequestHandler`). */
  failed(request: CrawlRequest, error: Error): Promise<void>;
  /** The session the next attempt uses. */
  session(): RunnerSession;
  /** True once the crawl is stopped (blocked out, aborted): no new attempt starts. */
  stopped(): boolean;
}

/**
 * crawlee's retry rule (BasicCrawler `_canRequestBeRetried`): never after a NonRetryableError,
 * not after a block once the session rotations are used up, else while retries remain.
 */
export function canRetry(error: Error, retryCount: number, sessionRotations: number, policy: RetryPolicy): boolean {
  if (error instanceof NonRetryableError) return false;
  if (error instanceof SessionError && policy.maxSessionRotations <= sessionRotations) return false;
  return retryCount < policy.maxRetries;
}

/**
 * Runs `queue` (which the hooks may append to) with up to `concurrency` requests in flight, each
 * with crawlee's retry and session-rotation semantics, but without a crawler: no Configuration,
 * request queue, session pool, autoscaled pool or statistics to build and tear down.
 *
 * Why not crawlee here: a queue worker calls the runner once per job with one request, and
 * building and stopping a BasicCrawler for that cost about a second of wall time (autoscaled-pool
 * ticks, storage setup, teardown) and most of the job's CPU. A long-lived crawler fed through its
 * request queue would keep crawlee's bookkeeping but tangle per-job results (stats, stop reasons,
 * the job's abort signal) across jobs sharing one crawler. The loop is small, and `attempt` is the
 * very function the crawlee path's request handler runs, so fetch, parse and persist stay one code path.
 */
export async function runDirect(queue: CrawlRequest[], concurrency: number, policy: RetryPolicy, hooks: DirectHooks): Promise<void> {
  async function one(request: CrawlRequest): Promise<void> {
    let retryCount = 0;
    let rotations = 0;
    for (;;) {
      const session = hooks.session();
      try {
        await hooks.attempt(request, session);
        return;
      } catch (thrown) {
        const error = thrown instanceof Error ? thrown : new Error(String(thrown));
        if (!canRetry(error, retryCount, rotations, policy)) {
          await hooks.failed(request, error);
          return;
        }
        await hooks.beforeRetry(error, retryCount);
        if (error instanceof SessionError) {
          rotations += 1;
          session.retire();
        }
        retryCount += 1;
        // crawlee drops reclaimed requests once stopped; so do we.
        if (hooks.stopped()) return;
      }
    }
  }
  async function lane(): Promise<void> {
    while (!hooks.stopped()) {
      const request = queue.shift();
      if (!request) return;
      await one(request);
    }
  }
  // Lanes that find the queue empty end; discoveries appended later are picked up by busy lanes.
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queue.length)) }, lane));
}
