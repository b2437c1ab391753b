import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import type { Db } from '../../core/db/types.ts';
import { MarketplaceSchema } from '../../core/domain/records.ts';
import { KEYWORD_MARKETPLACES, watchCrawlPlans } from '../../leads/watch-crawl.ts';
import { CrawlTargetSchema, DEFAULT_JOB_OPTIONS, JOB, type StartCrawlJob } from './jobs.ts';
import type { QueueSet } from './queues.ts';

/** `watch-crawl`: a watch schedule fired; the worker turns the active watch items into crawls. */
export const WatchCrawlJobSchema = z
  .object({
    /** Where keywords watched without a marketplace are searched. @default shopee, lazada, tiki, sendo, tiktok */
    marketplaces: z
      .array(MarketplaceSchema)
      .min(1)
      .default([...KEYWORD_MARKETPLACES]),
    /** Adapter per marketplace, over the default (the marketplace's own; `web` needs one named here). @default {} */
    adapters: z.partialRecord(MarketplaceSchema, z.string().min(1)).default({}),
    /** Base URL per marketplace (the sandbox, a mirror). @default {} */
    baseUrls: z.partialRecord(MarketplaceSchema, z.string().url()).default({}),
    /** Result pages to follow per shop or keyword. @default 2 */
    maxPages: z.number().int().positive().max(100).default(2),
    /** Known listings of each watched shop whose own page is fetched again. @default 100 */
    listingsPerShop: z.number().int().positive().max(10_000).default(100),
    /** Capture evidence for flagged listings. @default false */
    evidence: z.boolean().default(false),
    scheduleId: z.string().optional(),
  })
  .strict();
export type WatchCrawlJob = z.infer<typeof WatchCrawlJobSchema>;

/** One start job per tick and marketplace: a retried tick adds nothing twice. */
export function watchStartJobId(tickJobId: string, adapter: string): string {
  return `w_${tickJobId.replace(/[^A-Za-z0-9_-]/g, '-')}_${adapter.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * Reads the active watch items now (the database is the only list of them, so a removed item is simply
 * not in the next tick) and adds one `start-crawl` per marketplace, which the existing crawl path runs
 * and scores. Watch changes are recorded by the alerts schedule and `radar watch check`.
 */
export async function processWatchCrawl(
  ctx: { db: Db; queues: QueueSet },
  job: Pick<Job, 'id' | 'data' | 'repeatJobKey'>,
): Promise<{ crawls: { adapter: string; targets: number; jobId: string }[] }> {
  const parsed = WatchCrawlJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`invalid watch-crawl job: ${parsed.error.issues[0]?.message ?? 'bad data'}`);
  const data = parsed.data;
  const plans = await watchCrawlPlans(ctx.db, {
    keywordMarketplaces: data.marketplaces,
    adapters: data.adapters,
    listingsPerShop: data.listingsPerShop,
  });
  const scheduleId = data.scheduleId ?? job.repeatJobKey ?? undefined;
  const crawls = [];
  for (const plan of plans) {
    const baseUrl = data.baseUrls[plan.marketplace];
    const start: StartCrawlJob = {
      adapter: plan.adapter,
      maxPages: data.maxPages,
      evidence: data.evidence,
      runIds: {},
      targets: plan.targets.map((target) => CrawlTargetSchema.parse(target)),
      ...(scheduleId ? { scheduleId } : {}),
      ...(baseUrl ? { baseUrl } : {}),
    };
    const jobId = watchStartJobId(job.id ?? 'manual', plan.adapter);
    await ctx.queues.get('discover').add(JOB.startCrawl, start, { ...DEFAULT_JOB_OPTIONS, jobId });
    crawls.push({ adapter: plan.adapter, targets: start.targets.length, jobId });
  }
  return { crawls };
}
