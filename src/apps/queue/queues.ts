import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CrawlRequest } from '../../../crawlers/adapter.ts';
import type { Marketplace } from '../../core/domain/records.ts';
import { DEFAULT_JOB_OPTIONS, JOB, discoverJobId, fetchJobId, fetchJobOptions, windowKey, type PageJob } from './jobs.ts';
import { fetchQueueName } from './names.ts';
import { memberOf, type RunTracker } from './tracking.ts';

/** Lazily opened BullMQ queues sharing one Redis connection. */
export class QueueSet {
  private readonly queues = new Map<string, Queue>();

  constructor(
    readonly connection: Redis,
    /** Redis key prefix for every queue. */
    readonly prefix: string,
  ) {}

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}

/** Where a request of a crawl goes: details to the marketplace's fetch queue, pages to discover. */
export function routeRequest(marketplace: Marketplace, request: CrawlRequest): { queue: string; name: string } {
  return request.kind === 'listing' ? { queue: fetchQueueName(marketplace), name: JOB.fetch } : { queue: 'discover', name: JOB.discover };
}

export interface EnqueueRequestsOptions {
  runId: number;
  marketplace: Marketplace;
  adapter: string;
  /** The run's base URL override, carried on every job. Without it, jobs use the adapter's configured or real host. */
  baseUrl?: string;
  maxPages: number;
  evidence: boolean;
  /** Fetch dedup window in hours (job ids carry the window). */
  windowHours: number;
  /** Clock for the dedup window, injectable for tests. @default new Date() */
  now?: Date;
}

/**
 * Fans requests out into discover and fetch jobs with natural-key job ids, tracking each in the
 * run first so the run cannot look finished while a job is being added.
 */
export async function enqueueRequests(
  queues: QueueSet,
  tracker: RunTracker,
  requests: readonly CrawlRequest[],
  options: EnqueueRequestsOptions,
): Promise<number> {
  if (requests.length === 0) return 0;
  const window = windowKey(options.now ?? new Date(), options.windowHours);
  const planned = requests.map((request) => {
    const route = routeRequest(options.marketplace, request);
    const jobId = route.name === JOB.fetch ? fetchJobId(options.marketplace, request, window) : discoverJobId(options.runId, request);
    const data: PageJob = {
      runId: options.runId,
      adapter: options.adapter,
      maxPages: options.maxPages,
      evidence: options.evidence,
      request,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    };
    const opts = route.name === JOB.fetch ? fetchJobOptions(jobId, options.windowHours) : { ...DEFAULT_JOB_OPTIONS, jobId };
    return { route, jobId, data, opts };
  });
  await tracker.track(
    options.runId,
    planned.map((p) => memberOf(p.route.queue, p.jobId)),
  );
  const byQueue = new Map<string, typeof planned>();
  for (const p of planned) byQueue.set(p.route.queue, [...(byQueue.get(p.route.queue) ?? []), p]);
  for (const [queueName, items] of byQueue) {
    await queues.get(queueName).addBulk(items.map((p) => ({ name: p.route.name, data: p.data, opts: p.opts })));
  }
  return planned.length;
}
