/** Whole-database counts for summaries (the demo's report). */
import type { Queryable } from '../types.ts';

/** Crawl runs still marked running, and stored listings. */
export async function runningRunsAndListings(db: Queryable): Promise<{ running: number; listings: number } | undefined> {
  const { rows } = await db.query<{ running: number; listings: number }>(
    `SELECT (SELECT count(*)::int FROM crawl_runs WHERE status = 'running') AS running,
            (SELECT count(*)::int FROM listings) AS listings`,
  );
  return rows[0];
}

/** Listings, shops and networks of more than one shop. */
export async function recordCounts(db: Queryable): Promise<{ listings: number; shops: number; networks: number }> {
  const { rows } = await db.query<{ listings: number; shops: number; networks: number }>(
    `SELECT (SELECT count(*)::int FROM listings) AS listings, (SELECT count(*)::int FROM shops) AS shops,
            (SELECT count(*)::int FROM networks WHERE shop_count > 1) AS networks`,
  );
  return rows[0]!;
}

/** Leads per kind (kinds without leads are absent). */
export async function leadCountsByKind(db: Queryable): Promise<{ kind: 'listing' | 'shop' | 'network'; n: number }[]> {
  const { rows } = await db.query<{ kind: 'listing' | 'shop' | 'network'; n: number }>(
    'SELECT kind, count(*)::int AS n FROM leads GROUP BY kind',
  );
  return rows;
}
