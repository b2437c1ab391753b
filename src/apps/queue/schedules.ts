import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import { CrawlTargetSchema, DEFAULT_JOB_OPTIONS, ExportJobSchema, JOB, type StartCrawlJob } from './jobs.ts';
import type { QueueSet } from './queues.ts';
import { WatchCrawlJobSchema } from './watch-jobs.ts';

/** Every cron runs in Vietnam time, whatever the server's zone. */
export const SCHEDULE_TIMEZONE = 'Asia/Ho_Chi_Minh';

const CrawlEntrySchema = z
  .object({
    /** Adapter name: shopee | lazada | tiki | sendo | tiktok | schemaorg | selectors. */
    adapter: z.string().min(1),
    queries: z.array(z.string().min(1)).default([]),
    categories: z.array(z.string().min(1)).default([]),
    shops: z.array(z.string().min(1)).default([]),
    urls: z.array(z.string().min(1)).default([]),
    /** Result pages to follow per target. */
    maxPages: z.number().int().positive().max(100).default(3),
    /** Capture evidence (screenshots, raw pages) for flagged listings. */
    evidence: z.boolean().default(false),
    /** Point the adapter elsewhere (the sandbox, a mirror). */
    baseUrl: z.string().url().optional(),
  })
  .strict()
  .refine((c) => c.queries.length + c.categories.length + c.shops.length + c.urls.length > 0, {
    message: 'a crawl needs at least one of queries, categories, shops or urls',
  });

export const ScheduleEntrySchema = z
  .object({
    /** Stable id: the job scheduler id, used by `radar schedule remove ID`. */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,80}$/, 'use letters, digits, "-", "_" or "."'),
    /** Cron pattern (5 or 6 fields), evaluated in Asia/Ho_Chi_Minh. */
    cron: z.string().min(9).optional(),
    /** Fixed interval in milliseconds instead of cron (tests, demos). */
    every: z.number().int().min(1_000).optional(),
    crawl: CrawlEntrySchema.optional(),
    export: ExportJobSchema.omit({ scheduleId: true }).strict().optional(),
    /** Check the watchlists for changes, then send every subscription's alert digest. */
    alerts: z.object({}).strict().optional(),
    /** Re-crawl every active watch item (shops, listings, phones, tax codes; keywords as searches on each marketplace). */
    watch: WatchCrawlJobSchema.omit({ scheduleId: true }).optional(),
  })
  .strict()
  .refine((e) => (e.cron === undefined) !== (e.every === undefined), { message: 'give exactly one of cron or every' })
  .refine((e) => [e.crawl, e.export, e.alerts, e.watch].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of crawl, export, alerts or watch',
  });

export const ScheduleFileSchema = z
  .object({
    schedules: z.array(ScheduleEntrySchema).min(1),
  })
  .strict()
  .refine((f) => new Set(f.schedules.map((s) => s.id)).size === f.schedules.length, { message: 'schedule ids must be unique' });

export type ScheduleEntry = z.infer<typeof ScheduleEntrySchema>;
export type ScheduleFile = z.infer<typeof ScheduleFileSchema>;

/** Reads and validates a schedule file; problems become one-line UserErrors naming the entry. */
export function loadScheduleFile(filePath: string): ScheduleFile {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch {
    throw new UserError(`schedule file ${filePath} cannot be read; check the path`);
  }
  return parseScheduleText(text, filePath);
}

export function parseScheduleText(text: string, label = 'schedule file'): ScheduleFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new UserError(`${label} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = ScheduleFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'top level';
    throw new UserError(`${label}: ${where}: ${issue.message} (see schedules.example.yaml)`);
  }
  return parsed.data;
}

/** Where an entry's jobs go and what they carry. */
export function schedulerJob(entry: ScheduleEntry): { queue: string; name: string; data: Record<string, unknown> } {
  if (entry.crawl) {
    const c = entry.crawl;
    const data: StartCrawlJob = {
      adapter: c.adapter,
      maxPages: c.maxPages,
      evidence: c.evidence,
      scheduleId: entry.id,
      runIds: {},
      targets: [
        ...c.queries.map((query) => CrawlTargetSchema.parse({ mode: 'query', query })),
        ...c.categories.map((category) => CrawlTargetSchema.parse({ mode: 'category', category })),
        ...c.shops.map((shopId) => CrawlTargetSchema.parse({ mode: 'shop', shopId })),
        ...c.urls.map((url) => CrawlTargetSchema.parse({ mode: 'url', url })),
      ],
      ...(c.baseUrl ? { baseUrl: c.baseUrl } : {}),
    };
    return { queue: 'discover', name: JOB.startCrawl, data };
  }
  if (entry.alerts) return { queue: 'alerts', name: JOB.alertDigest, data: { scheduleId: entry.id } };
  if (entry.watch) return { queue: 'discover', name: JOB.watchCrawl, data: { ...entry.watch, scheduleId: entry.id } };
  return { queue: 'export', name: JOB.exportLeads, data: { ...entry.export, scheduleId: entry.id } };
}

export const SCHEDULE_QUEUES = ['discover', 'export', 'alerts'] as const;

export interface AppliedSchedule {
  id: string;
  queue: string;
  next: number | null;
}

/**
 * Upserts one job scheduler per entry. Upserting is keyed on the id, so applying the same file
 * twice changes nothing; with `prune`, schedulers missing from the file are removed.
 */
export async function applySchedules(
  queues: QueueSet,
  file: ScheduleFile,
  options: { prune?: boolean } = {},
): Promise<{ applied: AppliedSchedule[]; removed: string[] }> {
  const applied: AppliedSchedule[] = [];
  for (const entry of file.schedules) {
    const job = schedulerJob(entry);
    const repeat = entry.cron ? { pattern: entry.cron, tz: SCHEDULE_TIMEZONE } : { every: entry.every! };
    await queues.get(job.queue).upsertJobScheduler(entry.id, repeat, {
      name: job.name,
      data: job.data,
      opts: { attempts: DEFAULT_JOB_OPTIONS.attempts, backoff: DEFAULT_JOB_OPTIONS.backoff, removeOnComplete: 200, removeOnFail: 500 },
    });
    const stored = await queues.get(job.queue).getJobScheduler(entry.id);
    applied.push({ id: entry.id, queue: job.queue, next: stored?.next ?? null });
  }
  const removed: string[] = [];
  if (options.prune) {
    const wanted = new Set(file.schedules.map((s) => s.id));
    for (const existing of await listSchedules(queues)) {
      if (!wanted.has(existing.id)) {
        await queues.get(existing.queue).removeJobScheduler(existing.id);
        removed.push(existing.id);
      }
    }
  }
  return { applied, removed };
}

export interface ScheduleInfo {
  id: string;
  queue: string;
  jobName: string;
  cron: string | null;
  everyMs: number | null;
  timezone: string | null;
  /** Next run, ISO 8601 UTC. */
  nextRunAt: string | null;
  iterations: number;
}

export async function listSchedules(queues: QueueSet): Promise<ScheduleInfo[]> {
  const out: ScheduleInfo[] = [];
  for (const queueName of SCHEDULE_QUEUES) {
    const schedulers = await queues.get(queueName).getJobSchedulers(0, -1, true);
    for (const s of schedulers) {
      out.push({
        id: s.id ?? s.key,
        queue: queueName,
        jobName: s.name,
        cron: s.pattern ?? null,
        everyMs: s.every ?? null,
        timezone: s.tz ?? null,
        nextRunAt: s.next ? new Date(s.next).toISOString() : null,
        iterations: s.iterationCount ?? 0,
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Removes a scheduler by id from whichever queue holds it; false when there is none. */
export async function removeSchedule(queues: QueueSet, id: string): Promise<boolean> {
  let removed = false;
  for (const queueName of SCHEDULE_QUEUES) {
    if (await queues.get(queueName).removeJobScheduler(id)) removed = true;
  }
  return removed;
}
