import { watchCrawlRows, type WatchCrawlRow } from '../core/db/stores/watch.ts';
import type { Queryable } from '../core/db/types.ts';
import type { Marketplace } from '../core/domain/records.ts';

/** A crawl target in the crawlers' shape (leads may not import crawlers/). */
export type WatchCrawlTarget = { mode: 'shop'; shopId: string } | { mode: 'url'; url: string } | { mode: 'query'; query: string };

/** One crawl per marketplace: every target the watch items ask of it, and which items asked. */
export interface WatchCrawlPlan {
  marketplace: Marketplace;
  adapter: string;
  targets: WatchCrawlTarget[];
  watchItemIds: number[];
}

/** Where a keyword watched without a marketplace is searched: every marketplace with a search. */
export const KEYWORD_MARKETPLACES: readonly Marketplace[] = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok'];

/** The adapter that reads each marketplace; independent web shops need a site file, so they are skipped unless mapped. */
export const WATCH_ADAPTERS: Readonly<Partial<Record<Marketplace, string>>> = {
  shopee: 'shopee',
  lazada: 'lazada',
  tiki: 'tiki',
  sendo: 'sendo',
  tiktok: 'tiktok',
};

export interface WatchPlanOptions {
  /** Marketplaces a keyword without one is searched on. @default KEYWORD_MARKETPLACES */
  keywordMarketplaces?: readonly Marketplace[];
  /** Adapter per marketplace, over {@link WATCH_ADAPTERS}. @default {} */
  adapters?: Partial<Record<Marketplace, string>>;
}

function targetOf(row: WatchCrawlRow): WatchCrawlTarget {
  if (row.mode === 'shop') return { mode: 'shop', shopId: row.value };
  if (row.mode === 'url') return { mode: 'url', url: row.value };
  return { mode: 'query', query: row.value };
}

/**
 * Groups what the watch items ask to be fetched into one crawl per marketplace, each target once,
 * in a stable order (so the same items always give the same jobs). Rows for a marketplace no adapter
 * reads are dropped.
 */
export function planWatchCrawls(rows: readonly WatchCrawlRow[], options: WatchPlanOptions = {}): WatchCrawlPlan[] {
  const adapters = { ...WATCH_ADAPTERS, ...options.adapters };
  const keywordMarketplaces = options.keywordMarketplaces ?? KEYWORD_MARKETPLACES;
  const plans = new Map<Marketplace, { adapter: string; targets: Map<string, WatchCrawlTarget>; items: Set<number> }>();
  for (const row of rows) {
    const marketplaces = row.marketplace === null ? keywordMarketplaces : [row.marketplace as Marketplace];
    for (const marketplace of marketplaces) {
      const adapter = adapters[marketplace];
      if (adapter === undefined) continue;
      let plan = plans.get(marketplace);
      if (!plan) plans.set(marketplace, (plan = { adapter, targets: new Map(), items: new Set() }));
      plan.targets.set(`${row.mode}\u0000${row.value}`, targetOf(row));
      plan.items.add(row.watch_item_id);
    }
  }
  return [...plans.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([marketplace, plan]) => ({
      marketplace,
      adapter: plan.adapter,
      targets: [...plan.targets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, target]) => target),
      watchItemIds: [...plan.items].sort((a, b) => a - b),
    }));
}

/** The crawls that re-fetch every active watch item now. */
export async function watchCrawlPlans(
  db: Queryable,
  options: WatchPlanOptions & { listingsPerShop?: number } = {},
): Promise<WatchCrawlPlan[]> {
  return planWatchCrawls(await watchCrawlRows(db, options.listingsPerShop ?? 100), options);
}
