import type { Queryable } from '../types.ts';

export type CrawlRunStatus = 'running' | 'completed' | 'failed' | 'aborted' | 'blocked';

export interface CrawlRunStats {
  pages: number;
  listings: number;
  shops: number;
  blocked: number;
  errors: number;
  /** Anything else worth keeping (rates, retries, per-status counts). */
  extra?: Record<string, unknown>;
}

export interface StartCrawlRun {
  adapter: string;
  marketplace: string | null;
  mode: string;
  target: string;
  params?: Record<string, unknown>;
  crawlerVersion: string;
}

export async function startCrawlRun(db: Queryable, run: StartCrawlRun): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO crawl_runs (adapter, marketplace, mode, target, params, crawler_version)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id`,
    [run.adapter, run.marketplace, run.mode, run.target, JSON.stringify(run.params ?? {}), run.crawlerVersion],
  );
  return rows[0]!.id;
}

/** Adds to the counters; safe to call from many workers for the same run. */
export async function addCrawlRunStats(db: Queryable, runId: number, delta: CrawlRunStats): Promise<void> {
  await db.query(
    `UPDATE crawl_runs SET pages = pages + $2, listings = listings + $3, shops = shops + $4, blocked = blocked + $5,
        errors = errors + $6, stats = stats || $7::jsonb
     WHERE id = $1`,
    [runId, delta.pages, delta.listings, delta.shops, delta.blocked, delta.errors, JSON.stringify(delta.extra ?? {})],
  );
}

export async function finishCrawlRun(db: Queryable, runId: number, status: CrawlRunStatus, message?: string): Promise<void> {
  await db.query(`UPDATE crawl_runs SET status = $2, finished_at = now(), message = $3 WHERE id = $1`, [
    runId,
    status,
    message ?? null,
  ]);
}
