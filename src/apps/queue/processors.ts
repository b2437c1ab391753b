import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import type { Db } from '../../core/db/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import {
  closeRunningCrawlRun,
  completeRunningCrawlRun,
  crawlRunListingIds,
  finishCrawlRun,
  runningCrawlRuns,
  startCrawlRun,
} from '../../core/db/stores/crawl-runs.ts';
import { crawlTargetValue } from '../../../crawlers/adapter.ts';
import type { CrawlExecutor, PipelineServices } from './executor.ts';
import {
  CrawlSpecSchema,
  DEFAULT_JOB_OPTIONS,
  EvidenceJobSchema,
  ExportJobSchema,
  JOB,
  PageJobSchema,
  ScoreJobSchema,
  StartCrawlJobSchema,
  evidenceJobId,
  scoreJobId,
  type CrawlSpecInput,
} from './jobs.ts';
import { processAlertDelivery, processAlertDigest } from './alerts.ts';
import { processWatchCrawl } from './watch-jobs.ts';
import type { AlertTransportConfig } from '../../leads/alerts/deliver.ts';
import { enqueueRequests, type QueueSet } from './queues.ts';
import { crawlAllowHosts } from './services.ts';
import { memberOf, type RunTracker } from './tracking.ts';

/** Version recorded on crawl runs started through the queues. */
export const QUEUE_CRAWLER_VERSION = 'queue-1';

export interface ProcessorDeps {
  db: Db;
  queues: QueueSet;
  tracker: RunTracker;
  executor: CrawlExecutor;
  services: PipelineServices;
  log: Logger;
  /** Fetch dedup window, hours. */
  windowHours: number;
  /** True once the worker is shutting down: aborted jobs go back to the queue, not to failed. */
  isShuttingDown: () => boolean;
  /** SMTP and webhook settings for the alert jobs. @default {} (webhooks only) */
  alertTransport?: AlertTransportConfig;
}

export interface StartedCrawl {
  runId: number;
  marketplace: string;
  requests: number;
}

/** Creates the crawl run row and its first discover/fetch jobs. Used by `radar enqueue crawl` and schedules. */
export async function startQueuedCrawl(
  deps: Pick<ProcessorDeps, 'db' | 'queues' | 'tracker' | 'executor' | 'windowHours'>,
  input: CrawlSpecInput,
  existingRunId?: number,
): Promise<StartedCrawl> {
  const spec = CrawlSpecSchema.parse(input);
  const marketplace = deps.executor.marketplaceOf(spec.adapter);
  const requests = deps.executor.startRequests(spec.adapter, spec.target, { baseUrl: spec.baseUrl, maxPages: spec.maxPages });
  const runId =
    existingRunId ??
    (await startCrawlRun(deps.db, {
      adapter: spec.adapter,
      marketplace,
      mode: spec.target.mode,
      target: crawlTargetValue(spec.target),
      params: {
        maxPages: spec.maxPages,
        baseUrl: spec.baseUrl ?? null,
        evidence: spec.evidence,
        scheduleId: spec.scheduleId ?? null,
        queued: true,
      },
      crawlerVersion: QUEUE_CRAWLER_VERSION,
    }));
  const count = await enqueueRequests(deps.queues, deps.tracker, requests, {
    runId,
    marketplace,
    adapter: spec.adapter,
    baseUrl: spec.baseUrl,
    maxPages: spec.maxPages,
    evidence: spec.evidence,
    windowHours: deps.windowHours,
  });
  if (count === 0) await finishCrawlRun(deps.db, runId, 'completed', 'no start requests');
  return { runId, marketplace, requests: count };
}

/**
 * Marks a page job's member finished, closes the runs that have nothing left, and sends each
 * finished run's listings on to scoring.
 */
export async function releaseMember(
  deps: Pick<ProcessorDeps, 'db' | 'tracker' | 'log' | 'queues' | 'services'>,
  member: string,
): Promise<void> {
  const finishedRuns = await deps.tracker.finish(member);
  for (const runId of finishedRuns) {
    const completed = await completeRunningCrawlRun(deps.db, runId);
    if (completed === null) continue;
    deps.log.info({ runId }, 'crawl run finished: no jobs left');
    if (deps.services.scoreListings) {
      await deps.queues
        .get('score')
        .add(JOB.score, { runId, evidence: completed.evidence ?? false }, { ...DEFAULT_JOB_OPTIONS, jobId: scoreJobId(runId, []) });
    }
  }
}

/** One processor for every queue; the job name picks the step. */
export function createProcessor(deps: ProcessorDeps) {
  return async function processJob(job: Job, token?: string, signal?: AbortSignal): Promise<unknown> {
    const abort = signal ?? new AbortController().signal;
    try {
      return await dispatch(deps, job, abort);
    } catch (error) {
      if (abort.aborted && deps.isShuttingDown() && token) {
        // Shutdown, not failure: hand the job back untouched so another worker takes it now.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if ((job.name === JOB.discover || job.name === JOB.fetch) && isFinalAttempt(job, error)) {
        // Released before BullMQ records the failure: a worker dying in between must not leave the
        // run open. Releasing twice is harmless (the worker's `failed` handler does it again).
        await releaseMember(deps, memberOf(job.queueName, job.id ?? '')).catch((releaseError: Error) =>
          deps.log.warn({ err: releaseError.message }, 'could not release a failing job from its run'),
        );
      }
      throw error;
    }
  };
}

/** True when this failure sends the job to the failed set for good. */
export function isFinalAttempt(job: Pick<Job, 'attemptsMade' | 'opts'>, error: unknown): boolean {
  return error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Closes crawl runs that wait on jobs which are already over: a member whose job is completed,
 * failed or gone is released. Covers a worker killed between a job's end and its release, and
 * a member tracked by a second run just as the first run's job ended. Workers call it periodically.
 */
export async function reconcileRuns(
  deps: Pick<ProcessorDeps, 'db' | 'tracker' | 'log' | 'queues' | 'services'>,
  /**
   * Members seen without a job on the previous pass. A member is tracked a moment before its job
   * is added, so "no such job" only counts when it is seen twice; keep one set per caller.
   */
  missingBefore: Set<string> = new Set(),
): Promise<number> {
  const rows = await runningCrawlRuns(deps.db, QUEUE_CRAWLER_VERSION);
  const missingNow = new Set<string>();
  let released = 0;
  for (const row of rows) {
    const runId = Number(row.id);
    const members = await deps.tracker.pendingMembers(runId);
    for (const member of members) {
      const slash = member.indexOf('/');
      const state = await deps.queues.get(member.slice(0, slash)).getJobState(member.slice(slash + 1));
      if (state === 'unknown' && !missingBefore.has(member)) {
        missingNow.add(member);
        continue;
      }
      if (state === 'completed' || state === 'failed' || state === 'unknown') {
        await releaseMember(deps, member);
        released += 1;
      }
    }
    if (members.length === 0 && row.idle) {
      // Nothing pending but still running: the finishing release was lost.
      if (await closeRunningCrawlRun(deps.db, runId)) deps.log.info({ runId }, 'crawl run closed by reconciliation');
    }
  }
  missingBefore.clear();
  for (const member of missingNow) missingBefore.add(member);
  if (released > 0) deps.log.info({ released }, 'released finished jobs that runs were still waiting on');
  return released;
}

async function dispatch(deps: ProcessorDeps, job: Job, signal: AbortSignal): Promise<unknown> {
  switch (job.name) {
    case JOB.startCrawl: {
      const data = parseOrFail(StartCrawlJobSchema, job.data, 'start-crawl');
      const { targets, runIds, ...spec } = data;
      const scheduleId = spec.scheduleId ?? job.repeatJobKey ?? undefined;
      const started: StartedCrawl[] = [];
      for (const [index, target] of targets.entries()) {
        if (signal.aborted) throw new Error('aborted before every target was started');
        const run = await startQueuedCrawl(deps, { ...spec, target, scheduleId }, runIds[String(index)]);
        runIds[String(index)] = run.runId;
        // Written back at once, so a retry after a crash reuses the run instead of adding one.
        await job.updateData({ ...data, runIds });
        started.push(run);
      }
      return { runs: started };
    }
    case JOB.discover:
    case JOB.fetch:
      return processPage(deps, job, signal);
    case JOB.score: {
      const data = parseOrFail(ScoreJobSchema, job.data, 'score');
      if (!deps.services.scoreListings)
        throw new UnrecoverableError('scoring is not available in this build (scoring/ has no scoreListings)');
      const listingIds = data.listingIds ?? (await crawlRunListingIds(deps.db, data.runId!));
      if (listingIds.length === 0) return { scored: 0, flagged: 0 };
      const { flaggedListingIds } = await deps.services.scoreListings(listingIds, signal);
      if (data.evidence && flaggedListingIds.length > 0 && deps.services.captureEvidence) {
        await deps.queues
          .get('evidence')
          .add(
            JOB.evidence,
            { runId: data.runId, listingIds: flaggedListingIds },
            { ...DEFAULT_JOB_OPTIONS, jobId: evidenceJobId(flaggedListingIds) },
          );
      }
      return { scored: listingIds.length, flagged: flaggedListingIds.length };
    }
    case JOB.evidence: {
      const data = parseOrFail(EvidenceJobSchema, job.data, 'evidence');
      if (!deps.services.captureEvidence) throw new UnrecoverableError('evidence capture is not available in this build');
      const capture = {
        operator: data.operator,
        allowHosts: data.allowHosts.length > 0 ? data.allowHosts : await crawlAllowHosts(deps.db, data.runId),
      };
      if (data.listingIds.length > 0) await deps.services.captureEvidence(data.listingIds, signal, capture);
      const leads =
        data.leadIds.length > 0 && deps.services.captureLeads ? await deps.services.captureLeads(data.leadIds, signal, capture) : null;
      return {
        captured: data.listingIds.length,
        ...(leads ? { leads: data.leadIds.length, leadCaptures: leads.captured, leadFailures: leads.failed } : {}),
      };
    }
    case JOB.exportLeads: {
      const data = parseOrFail(ExportJobSchema, job.data, 'export');
      if (!deps.services.exportWeeklyLeads) throw new UnrecoverableError('the weekly lead export is not available in this build');
      return deps.services.exportWeeklyLeads(data, signal);
    }
    case JOB.alertDigest:
      return processAlertDigest({ db: deps.db, queues: deps.queues, transport: deps.alertTransport ?? {} });
    case JOB.alertDelivery:
      return processAlertDelivery({ db: deps.db, queues: deps.queues, transport: deps.alertTransport ?? {} }, job);
    case JOB.watchCrawl:
      return processWatchCrawl(deps, job);
    default:
      throw new UnrecoverableError(`unknown job name "${job.name}" on queue ${job.queueName}`);
  }
}

function parseOrFail<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } },
  value: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UnrecoverableError(`invalid ${what} job: ${parsed.error.issues[0]?.message ?? 'bad data'}`);
  return parsed.data;
}

async function processPage(deps: ProcessorDeps, job: Job, signal: AbortSignal): Promise<unknown> {
  const data = parseOrFail(PageJobSchema, job.data, job.name);
  const marketplace = deps.executor.marketplaceOf(data.adapter);
  let discovered = 0;
  const outcome = await deps.executor.process([data.request], {
    adapter: data.adapter,
    runId: data.runId,
    baseUrl: data.baseUrl,
    maxPages: data.maxPages,
    evidence: data.evidence,
    signal,
    onDiscovered: async (requests) => {
      discovered += await enqueueRequests(deps.queues, deps.tracker, requests, {
        runId: data.runId,
        marketplace,
        adapter: data.adapter,
        baseUrl: data.baseUrl,
        maxPages: data.maxPages,
        evidence: data.evidence,
        windowHours: deps.windowHours,
      });
    },
  });
  if (signal.aborted) throw new Error(`aborted: ${String(signal.reason ?? 'cancelled')}`);
  if (outcome.listingIds.length > 0 && deps.services.scoreListings) {
    await deps.queues
      .get('score')
      .add(
        JOB.score,
        { runId: data.runId, listingIds: outcome.listingIds, evidence: data.evidence },
        { ...DEFAULT_JOB_OPTIONS, jobId: scoreJobId(data.runId, outcome.listingIds) },
      );
  }
  // Last step: once this returns the job is done, and the run may be too.
  await releaseMember(deps, memberOf(job.queueName, job.id ?? ''));
  return { stored: outcome.listingIds.length, discovered };
}
