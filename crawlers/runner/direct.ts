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

/** What the direct loop calls: the pipeline for an attempt, and the same retry hooks crawlee's crawler gets. */
export interface DirectHooks {
  /**
   * One attempt at one request: the pipeline's steps around a transport's fetch. Throws to ask for a retry or to fail.
   * `lane` (0 … concurrency − 1) says which of the parallel lanes runs it, so per-lane state (a
   * reused browser page) is never shared by two attempts at once.
   */
  attempt(request: CrawlRequest, session: RunnerSession, lane: number): Promise<void>;
  /** Before a retry (crawlee's `errorHandler`): count it and wait the backoff or Retry-After. */
  beforeRetry(error: Error, retryCount: number): Promise<void>;
  /** The request is given up (crawlee's `failedRequestHandler`). */
  failed(request: CrawlRequest, error: Error): Promise<void>;
  /** The session the next attempt on this lane uses. */
  session(lane: number): RunnerSession;
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
 * crawl's pipeline, which PlaywrightCrawler's request handler runs too, so fetch, parse and
 * persist stay one code path. In-process browser crawls run here too: each lane keeps its own
 * browser page between requests (see `BrowserLanes`), which PlaywrightCrawler's page-per-request
 * model does not allow.
 */
export async function runDirect(queue: CrawlRequest[], concurrency: number, policy: RetryPolicy, hooks: DirectHooks): Promise<void> {
  async function one(request: CrawlRequest, lane: number): Promise<void> {
    let retryCount = 0;
    let rotations = 0;
    for (;;) {
      const session = hooks.session(lane);
      try {
        await hooks.attempt(request, session, lane);
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

  // Idle lanes wait for requests that busy lanes discover (an in-process crawl starts from one
  // search page), and all end together once the queue is empty and no lane is busy.
  let busy = 0;
  let idle: (() => void)[] = [];
  const wakeIdle = () => {
    const waiting = idle;
    idle = [];
    for (const wake of waiting) wake();
  };
  async function lane(index: number): Promise<void> {
    while (!hooks.stopped()) {
      const request = queue.shift();
      if (request) {
        busy += 1;
        try {
          await one(request, index);
        } finally {
          busy -= 1;
          wakeIdle();
        }
        continue;
      }
      if (busy === 0) return;
      await new Promise<void>((resolve) => idle.push(resolve));
    }
    wakeIdle();
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, (_, index) => lane(index)));
}
