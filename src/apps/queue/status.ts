import { failedDeliveries } from '../../core/db/stores/alerts.ts';
import { latestCrawlRuns, type CrawlRunRow } from '../../core/db/stores/crawl-runs.ts';
import type { Db } from '../../core/db/types.ts';
import { allQueueNames } from './names.ts';
import type { QueueSet } from './queues.ts';
import { listSchedules, type ScheduleInfo } from './schedules.ts';

export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  /** Most recent failure reasons, so a poison job is visible without the dashboard. */
  recentFailures: { jobId: string; reason: string; attempts: number }[];
}

export interface CrawlRunSummary {
  id: number;
  adapter: string;
  mode: string;
  target: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  pages: number;
  listings: number;
  blocked: number;
  errors: number;
  /** blocked / pages, 0 when no pages. */
  blockedRate: number;
  errorRate: number;
}

export interface QueueStatus {
  queues: QueueCounts[];
  workers: { name: string; queues: string[]; address: string | null }[];
  runs: CrawlRunSummary[];
  schedules: ScheduleInfo[];
  /** Alert deliveries that used up their retries, newest first. */
  alertFailures: { id: number; channel: string; target: string; attempts: number; error: string | null; at: string }[];
}

/** Everything `radar status` shows, as one JSON-friendly value. */
export async function getQueueStatus(queues: QueueSet, db: Db | null, options: { runs?: number } = {}): Promise<QueueStatus> {
  const counts: QueueCounts[] = [];
  const workers = new Map<string, { name: string; queues: Set<string>; address: string | null }>();
  for (const name of allQueueNames()) {
    const queue = queues.get(name);
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized');
    const failedJobs = c.failed ? await queue.getFailed(0, 2) : [];
    counts.push({
      queue: name,
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
      recentFailures: failedJobs.map((job) => ({ jobId: job.id ?? '', reason: job.failedReason ?? '', attempts: job.attemptsMade })),
    });
    for (const w of await queue.getWorkers()) {
      const key = w.name || w.id || w.addr || 'unknown';
      const entry = workers.get(key) ?? { name: key, queues: new Set<string>(), address: w.addr ?? null };
      entry.queues.add(name);
      workers.set(key, entry);
    }
  }
  const runs = db ? (await latestCrawlRuns(db, options.runs ?? 10)).map(summariseRun) : [];
  const alertFailures = db
    ? (await failedDeliveries(db, 5)).map((d) => ({
        id: d.id,
        channel: d.channel,
        target: d.target,
        attempts: d.attempts,
        error: d.last_error,
        at: d.updated_at.toISOString(),
      }))
    : [];
  return {
    queues: counts,
    workers: [...workers.values()].map((w) => ({ name: w.name, queues: [...w.queues], address: w.address })),
    runs,
    schedules: await listSchedules(queues),
    alertFailures,
  };
}

const rate = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : 0);

function summariseRun(r: CrawlRunRow): CrawlRunSummary {
  return {
    id: r.id,
    adapter: r.adapter,
    mode: r.mode,
    target: r.target,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
    pages: r.pages,
    listings: r.listings,
    blocked: r.blocked,
    errors: r.errors,
    blockedRate: rate(r.blocked, r.pages),
    errorRate: rate(r.errors, r.pages),
  };
}

/** The human view: one line per busy queue, worker, run and schedule. */
export function formatStatus(status: QueueStatus): string {
  const lines: string[] = ['queues (waiting / active / delayed / failed):'];
  for (const q of status.queues) {
    if (q.waiting + q.active + q.delayed + q.failed === 0) continue;
    lines.push(`  ${q.queue.padEnd(14)} ${q.waiting} / ${q.active} / ${q.delayed} / ${q.failed}`);
    for (const f of q.recentFailures) lines.push(`    failed ${f.jobId} after ${f.attempts} attempt(s): ${f.reason}`);
  }
  if (lines.length === 1) lines.push('  all empty');
  lines.push(`workers seen: ${status.workers.length}`);
  for (const w of status.workers) lines.push(`  ${w.name} (${w.queues.length} queues)`);
  lines.push('latest crawl runs:');
  if (status.runs.length === 0) lines.push('  none yet; start one with `radar enqueue crawl --adapter tiki --query "giày nike"`');
  for (const r of status.runs) {
    lines.push(
      `  #${r.id} ${r.status.padEnd(9)} ${r.adapter} ${r.mode}="${r.target}" pages=${r.pages} listings=${r.listings} blocked=${(r.blockedRate * 100).toFixed(1)}% errors=${(r.errorRate * 100).toFixed(1)}%`,
    );
  }
  lines.push('schedules:');
  if (status.schedules.length === 0) lines.push('  none; apply some with `radar schedule apply schedules.example.yaml`');
  for (const s of status.schedules) lines.push(`  ${s.id} ${s.cron ?? `every ${s.everyMs} ms`} next ${s.nextRunAt ?? '-'}`);
  if (status.alertFailures.length > 0) {
    lines.push('alert deliveries that failed:');
    for (const f of status.alertFailures)
      lines.push(`  #${f.id} ${f.channel} ${f.target} after ${f.attempts} attempt(s) at ${f.at}: ${f.error ?? ''}`);
  }
  return lines.join('\n');
}
