import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import type { CrawlRequest } from '../../../crawlers/adapter.ts';

/** Job names; the queue says the stage, the name says what to do there. */
export const JOB = {
  startCrawl: 'start-crawl',
  discover: 'discover',
  fetch: 'fetch',
  score: 'score',
  evidence: 'evidence',
  exportLeads: 'export-weekly-leads',
  alertDigest: 'alert-digest',
  alertDelivery: 'alert-delivery',
  watchCrawl: 'watch-crawl',
} as const;

export const CrawlTargetSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('query'), query: z.string().min(1) }),
  z.object({ mode: z.literal('category'), category: z.string().min(1) }),
  z.object({ mode: z.literal('shop'), shopId: z.string().min(1) }),
  z.object({ mode: z.literal('url'), url: z.string().min(1) }),
]);

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const CrawlRequestSchema = z.object({
  url: z.string().min(1),
  kind: z.enum(['search', 'listing', 'shop']),
  uniqueKey: z.string().optional(),
  page: z.number().int().optional(),
  maxPages: z.number().int().optional(),
  context: z.record(z.string(), scalar).optional(),
  headers: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<CrawlRequest>;

/** What a crawl needs to know, whether it comes from `radar enqueue crawl` or a schedule. */
export const CrawlSpecSchema = z.object({
  adapter: z.string().min(1),
  target: CrawlTargetSchema,
  maxPages: z.number().int().positive().default(3),
  baseUrl: z.string().url().optional(),
  evidence: z.boolean().default(false),
  /** Set when a schedule produced the crawl. */
  scheduleId: z.string().optional(),
});
export type CrawlSpec = z.infer<typeof CrawlSpecSchema>;
export type CrawlSpecInput = z.input<typeof CrawlSpecSchema>;

/** `start-crawl`: a schedule fired; the worker creates one crawl run per target and their first jobs. */
export const StartCrawlJobSchema = CrawlSpecSchema.omit({ target: true }).extend({
  targets: z.array(CrawlTargetSchema).min(1),
  /** Runs already started, by target index: written back so a retried start does not add runs. */
  runIds: z.record(z.string(), z.number().int().positive()).default({}),
});
export type StartCrawlJob = z.infer<typeof StartCrawlJobSchema>;

/** `discover` / `fetch`: one request of one crawl run. */
export const PageJobSchema = z.object({
  runId: z.number().int().positive(),
  adapter: z.string().min(1),
  baseUrl: z.string().optional(),
  maxPages: z.number().int().positive(),
  evidence: z.boolean(),
  request: CrawlRequestSchema,
});
export type PageJob = z.infer<typeof PageJobSchema>;

/** Scores the given listings, or (without ids) every listing the run observed. */
export const ScoreJobSchema = z
  .object({
    runId: z.number().int().positive().optional(),
    listingIds: z.array(z.number().int().positive()).optional(),
    evidence: z.boolean().default(false),
  })
  .refine((j) => j.runId !== undefined || (j.listingIds?.length ?? 0) > 0, { message: 'a score job needs runId or listingIds' });
export type ScoreJob = z.infer<typeof ScoreJobSchema>;

export const EvidenceJobSchema = z
  .object({
    runId: z.number().int().positive().optional(),
    listingIds: z.array(z.number().int().positive()).default([]),
    /** Leads whose listing and shop pages to capture (`radar leads capture --queue`). */
    leadIds: z.array(z.number().int().positive()).default([]),
    /** Who asked, for the custody log. */
    operator: z.string().min(1).optional(),
    /** Hosts the operator let past the SSRF guard for this job; never hosts read from crawled pages. */
    allowHosts: z.array(z.string().min(1)).default([]),
  })
  .refine((j) => j.listingIds.length + j.leadIds.length > 0, { message: 'an evidence job needs listingIds or leadIds' });
export type EvidenceJob = z.input<typeof EvidenceJobSchema>;

export const ExportJobSchema = z.object({
  /** Folder the weekly export writes into (per province files). */
  outDir: z.string().min(1).default('exports'),
  /** Restrict to these province codes; empty = one file per province, all of them. */
  provinces: z.array(z.number().int().positive()).default([]),
  /** ISO week like "2026-W48"; default the last finished week in Asia/Ho_Chi_Minh. */
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/, 'a week looks like 2026-W48')
    .optional(),
  /** xlsx for the committees' spreadsheets, or csv (UTF-8 with BOM). */
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
  scheduleId: z.string().optional(),
});
export type ExportJob = z.infer<typeof ExportJobSchema>;

export const AlertDeliveryJobSchema = z.object({ deliveryId: z.number().int().positive() });
export type AlertDeliveryJob = z.infer<typeof AlertDeliveryJobSchema>;

/** A receiver that is down gets five tries over about a minute; then the delivery shows as failed. */
export function alertDeliveryJobOptions(deliveryId: number): JobsOptions {
  return { ...DEFAULT_JOB_OPTIONS, attempts: 5, backoff: { type: 'exponential', delay: 4_000 }, jobId: `alert-delivery-${deliveryId}` };
}

/**
 * Retries with backoff, then the failed set with the reason. Bounded retention keeps Redis small;
 * completed fetch jobs are kept for the dedup window (see `fetchJobOptions`).
 */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
};

function shortHash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 20);
}

/** BullMQ job ids must not contain ':' and must not look like integers. */
function safe(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]/g, '-');
}

/**
 * The time window a fetch belongs to, as the Vietnam-local start hour `YYYYMMDDHH`.
 * Windows are aligned to local midnight so a 24 h window is one calendar day in Hà Nội.
 */
export function windowKey(at: Date, windowHours: number): string {
  const hourMs = 3_600_000;
  const localMs = at.getTime() + 7 * hourMs;
  const hours = Math.max(1, Math.floor(windowHours));
  const start = Math.floor(localMs / (hours * hourMs)) * hours * hourMs;
  return new Date(start).toISOString().slice(0, 13).replace(/[-T]/g, '');
}

export function requestKey(request: CrawlRequest): string {
  return request.uniqueKey ?? request.url;
}

/** Discover pages are crawled once per run: the same search page in the next run is new data. */
export function discoverJobId(runId: number, request: CrawlRequest): string {
  return `d_${runId}_${shortHash(requestKey(request))}`;
}

/**
 * Detail pages are fetched at most once per marketplace, natural key and window, however many
 * runs, schedules or workers ask for them.
 */
export function fetchJobId(marketplace: string, request: CrawlRequest, window: string): string {
  return `f_${safe(marketplace)}_${shortHash(requestKey(request))}_${window}`;
}

/** Per run and listing set: a later run rescoring the same listings is a new job. */
export function scoreJobId(runId: number | undefined, listingIds: readonly number[]): string {
  return `s_${runId ?? 0}_${shortHash([...listingIds].sort((a, b) => a - b).join(','))}`;
}

export function evidenceJobId(listingIds: readonly number[]): string {
  return `e_${shortHash([...listingIds].sort((a, b) => a - b).join(','))}`;
}

/** Keeps a completed fetch job (and so its id) for the whole dedup window. */
export function fetchJobOptions(jobId: string, windowHours: number): JobsOptions {
  return {
    ...DEFAULT_JOB_OPTIONS,
    jobId,
    removeOnComplete: { age: Math.ceil(windowHours * 3600), count: 200_000 },
  };
}
