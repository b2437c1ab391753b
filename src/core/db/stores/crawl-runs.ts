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
  await db.query(`UPDATE crawl_runs SET status = $2, finished_at = now(), message = $3 WHERE id = $1`, [runId, status, message ?? null]);
}

export interface CrawlRunRow {
  id: number;
  adapter: string;
  mode: string;
  target: string;
  status: CrawlRunStatus;
  started_at: Date;
  finished_at: Date | null;
  pages: number;
  listings: number;
  blocked: number;
  errors: number;
}

/** The newest runs first, for `radar status`. */
export async function latestCrawlRuns(db: Queryable, limit: number): Promise<CrawlRunRow[]> {
  const { rows } = await db.query<CrawlRunRow>(
    `SELECT id, adapter, mode, target, status, started_at, finished_at, pages, listings, blocked, errors
     FROM crawl_runs ORDER BY started_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    started_at: new Date(r.started_at),
    finished_at: r.finished_at === null ? null : new Date(r.finished_at),
  }));
}

/** Completes a run still marked running; null when it was not (already closed by another worker). */
export async function completeRunningCrawlRun(db: Queryable, runId: number): Promise<{ evidence: boolean | null } | null> {
  const { rows } = await db.query<{ evidence: boolean | null }>(
    `UPDATE crawl_runs SET status = 'completed', finished_at = now() WHERE id = $1 AND status = 'running'
       RETURNING (params->>'evidence')::boolean AS evidence`,
    [runId],
  );
  return rows[0] ?? null;
}

/** Closes a run still marked running without reading its params; true when this call closed it. */
export async function closeRunningCrawlRun(db: Queryable, runId: number): Promise<boolean> {
  const finished = await db.query(
    `UPDATE crawl_runs SET status = 'completed', finished_at = now() WHERE id = $1 AND status = 'running' RETURNING id`,
    [runId],
  );
  return finished.rows.length > 0;
}

/** Up to 200 running runs of one crawler version, oldest id first; `idle` once started over 10 minutes ago. */
export async function runningCrawlRuns(db: Queryable, crawlerVersion: string): Promise<{ id: string | number; idle: boolean }[]> {
  const { rows } = await db.query<{ id: string | number; idle: boolean }>(
    `SELECT id, started_at < now() - interval '10 minutes' AS idle FROM crawl_runs
     WHERE status = 'running' AND crawler_version = $1 ORDER BY id LIMIT 200`,
    [crawlerVersion],
  );
  return rows;
}

/** Ids of the listings a run observed, ascending. */
export async function crawlRunListingIds(db: Queryable, runId: number): Promise<number[]> {
  const { rows } = await db.query<{ listing_id: string | number }>(
    `SELECT listing_id FROM listing_observations WHERE crawl_run_id = $1 ORDER BY listing_id`,
    [runId],
  );
  return rows.map((r) => Number(r.listing_id));
}

/** Marks every running run aborted: on the embedded database only one process runs, so they were interrupted. */
export async function abortInterruptedCrawlRuns(db: Queryable): Promise<void> {
  await db.query(
    `UPDATE crawl_runs SET status = 'aborted', finished_at = now(), message = 'interrupted; resumed by the next demo run' WHERE status = 'running'`,
  );
}
