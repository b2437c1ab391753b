import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../core/config/schema.ts';
import type { Db } from '../../core/db/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import { MARKETPLACES } from '../../core/domain/records.ts';
import { workerConnection } from './connection.ts';
import type { CrawlExecutor, PipelineServices } from './executor.ts';
import { DEFAULT_PREFIX, fetchQueueName, resolveQueueNames } from './names.ts';
import { createProcessor, reconcileRuns, releaseMember, type ProcessorDeps } from './processors.ts';
import { QueueSet } from './queues.ts';
import { RunTracker, memberOf } from './tracking.ts';

export interface WorkerOptions {
  redisUrl: string;
  db: Db;
  log: Logger;
  executor: CrawlExecutor;
  /** Scoring, evidence and export steps the jobs call; a job whose step is missing fails unrecoverably. @default {} */
  services?: PipelineServices;
  /** SMTP and webhook settings for alert jobs. @default {} */
  alertTransport?: import('../../leads/alerts/deliver.ts').AlertTransportConfig;
  /** Queue names or stages (`fetch` = every fetch queue) this process consumes. @default every queue */
  queues?: string[];
  /** Jobs in flight per queue in this process. @default 2 */
  concurrency?: number;
  /** Recycle (exit cleanly) after this many finished jobs, so a slow leak cannot grow forever. Without it (or 0), never. */
  maxJobs?: number;
  /** Recycle when the resident set exceeds this many MB. Without it (or 0), never. */
  maxMemoryMb?: number;
  /** Redis key prefix, so several deployments can share one Redis. @default 'radar' */
  prefix?: string;
  /** Fetch dedup window (hours): a URL fetched within it is not fetched again. @default 24 */
  windowHours?: number;
  /** How long a shutdown may take (ms) before in-flight jobs are abandoned to the stall checker. @default 30_000 */
  shutdownTimeoutMs?: number;
  /**
   * Job lock duration (ms); a killed worker's jobs are retried this long after it died.
   * BullMQ renews the lock from this process's event loop every half duration. A job is one page:
   * network I/O plus one JSON/cheerio parse (milliseconds, ~100 ms for a multi-MB page); browser
   * pages render in Chromium's own process. So the loop is never blocked near 15 s and locks do not
   * lapse under parsing; sandboxed processors would add a crawlee import per child for no gain at
   * this job size. Revisit if a job ever parses many pages in one go.
   * @default 30_000
   */
  lockDurationMs?: number;
  /** How often (ms) this worker looks for stalled jobs of dead workers. @default 30_000 */
  stalledIntervalMs?: number;
  /**
   * Requests per minute per marketplace for the whole fleet (BullMQ global rate limit on its fetch queue).
   * Without it (or for a marketplace it leaves out), the fetch queue has no fleet-wide limit.
   */
  rateLimits?: Partial<Record<(typeof MARKETPLACES)[number], number>>;
  /** Worker name shown by `radar status`. @default `<hostname>:<pid>` */
  name?: string;
  /** How often (ms) to close runs left waiting on jobs that are already over; 0 = never. @default 60_000 */
  reconcileIntervalMs?: number;
}

export type StopReason = 'signal' | 'max-jobs' | 'max-memory' | 'closed';

export interface RunningWorker {
  /** Resolves once every queue worker has closed. */
  readonly done: Promise<StopReason>;
  readonly queues: string[];
  /** Finished jobs so far (completed + failed attempts). */
  processed(): number;
  stop(reason?: StopReason): Promise<StopReason>;
}

/**
 * Runs one BullMQ Worker per queue in this process. Stopping aborts in-flight jobs through their
 * AbortSignal (the runner calls crawler.stop()), hands them back to the queue, and closes within
 * `shutdownTimeoutMs`; jobs of a process that dies without stopping return after their lock expires.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const windowHours = options.windowHours ?? 24;
  const queueNames = resolveQueueNames(options.queues);
  const connection: Redis = workerConnection(options.redisUrl);
  connection.on('error', (error) => options.log.warn({ err: error.message }, 'redis connection error; retrying'));
  const queues = new QueueSet(connection, prefix);
  const tracker = new RunTracker(connection, prefix, Math.ceil(windowHours * 3600) + 3600);
  let stopping = false;
  const deps: ProcessorDeps = {
    db: options.db,
    queues,
    tracker,
    executor: options.executor,
    services: options.services ?? {},
    log: options.log,
    windowHours,
    isShuttingDown: () => stopping,
    alertTransport: options.alertTransport,
  };
  const processor = createProcessor(deps);
  await applyRateLimits(queues, options.rateLimits ?? {});
  // Incremental scoring reads "changed since the last scoring run": one scorer at a time, fleet-wide.
  await queues.get('score').setGlobalConcurrency(1);

  let finished = 0;
  let stopReason: StopReason = 'closed';
  let resolveDone!: (reason: StopReason) => void;
  const done = new Promise<StopReason>((resolve) => (resolveDone = resolve));
  const name = options.name ?? `${(await import('node:os')).hostname()}:${process.pid}`;

  const workers = queueNames.map((queueName) => {
    const worker = new Worker(queueName, processor, {
      connection,
      prefix,
      name,
      concurrency: options.concurrency ?? 2,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A job whose worker died twice is more likely the cause than the victim.
      maxStalledCount: 2,
    });
    worker.on('error', (error) => options.log.warn({ queue: queueName, err: error.message }, 'worker error'));
    worker.on('completed', () => afterJob());
    worker.on('failed', (job, error) => {
      afterJob();
      if (!job || error.name === 'WaitingError') return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
      options.log.warn({ queue: queueName, jobId: job.id, attempt: job.attemptsMade, final, err: error.message }, 'job failed');
      if (final && (job.name === 'discover' || job.name === 'fetch')) {
        releaseMember(deps, memberOf(queueName, job.id ?? '')).catch((releaseError: Error) =>
          options.log.warn({ err: releaseError.message }, 'could not release a failed job from its run'),
        );
      }
    });
    return worker;
  });

  function afterJob(): void {
    finished += 1;
    if (options.maxJobs && finished >= options.maxJobs) void stop('max-jobs');
  }

  const missing = new Set<string>();
  let reconciling = false;
  const reconcileTimer =
    (options.reconcileIntervalMs ?? 60_000) > 0
      ? setInterval(() => {
          if (reconciling || stopping) return;
          reconciling = true;
          reconcileRuns(deps, missing)
            .catch((error: Error) => options.log.warn({ err: error.message }, 'run reconciliation failed; retrying later'))
            .finally(() => (reconciling = false));
        }, options.reconcileIntervalMs ?? 60_000)
      : undefined;
  reconcileTimer?.unref();

  const memoryTimer = options.maxMemoryMb
    ? setInterval(() => {
        const rssMb = process.memoryUsage().rss / 1_048_576;
        if (rssMb > options.maxMemoryMb!) {
          options.log.info({ rssMb: Math.round(rssMb) }, 'memory limit reached; recycling');
          void stop('max-memory');
        }
      }, 2_000)
    : undefined;
  memoryTimer?.unref();

  let stopPromise: Promise<StopReason> | undefined;
  function stop(reason: StopReason = 'signal'): Promise<StopReason> {
    if (stopPromise) return stopPromise;
    stopping = true;
    stopReason = reason;
    if (memoryTimer) clearInterval(memoryTimer);
    if (reconcileTimer) clearInterval(reconcileTimer);
    options.log.info({ reason }, 'worker stopping');
    stopPromise = (async () => {
      // Stop taking jobs first, then abort the ones in flight so they go back to the queue.
      const closing = workers.map((worker) => worker.close());
      for (const worker of workers) worker.cancelAllJobs(`worker ${name} is shutting down (${reason})`);
      const timeout = options.shutdownTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.all(closing).then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeout))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        options.log.warn({ timeoutMs: timeout }, 'shutdown timed out; unfinished jobs return after their lock expires');
        await Promise.all(workers.map((worker) => worker.close(true).catch(() => undefined)));
      }
      await queues.close().catch(() => undefined);
      await options.executor.close?.().catch(() => undefined);
      connection.disconnect();
      resolveDone(stopReason);
      return stopReason;
    })();
    return stopPromise;
  }

  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  options.log.info({ queues: queueNames, concurrency: options.concurrency ?? 2, name }, 'worker ready');
  return { done, queues: queueNames, processed: () => finished, stop };
}

/**
 * A per-minute rate as BullMQ's (max jobs, per duration) window. The window is at most a second (or
 * one request's share of a minute), so "120 a minute" means 2 a second, not a burst of 120 at once.
 */
export function rateWindow(perMinute: number): { max: number; durationMs: number } {
  if (perMinute >= 60) return { max: Math.max(1, Math.round(perMinute / 60)), durationMs: 1_000 };
  return { max: 1, durationMs: Math.round(60_000 / perMinute) };
}

/** Sets the fleet-wide rate of each marketplace's fetch queue (stored in Redis, so idempotent). */
export async function applyRateLimits(queues: QueueSet, limits: Partial<Record<string, number>>): Promise<void> {
  for (const marketplace of MARKETPLACES) {
    const perMinute = limits[marketplace];
    if (!perMinute || perMinute <= 0) continue;
    const { max, durationMs } = rateWindow(perMinute);
    await queues.get(fetchQueueName(marketplace)).setGlobalRateLimit(max, durationMs);
  }
}

/** Rate limits from config: `adapters.<name>.requestsPerMinute` where the adapter is named after its marketplace. */
export function rateLimitsFromConfig(config: Pick<Config, 'adapters'>): Partial<Record<string, number>> {
  const out: Partial<Record<string, number>> = {};
  for (const [adapter, overrides] of Object.entries(config.adapters)) {
    if (overrides.requestsPerMinute && (MARKETPLACES as readonly string[]).includes(adapter)) out[adapter] = overrides.requestsPerMinute;
  }
  return out;
}

export type { Job };
