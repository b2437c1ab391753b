/** What a correct crawler must collect for a given crawl, for the collection-rate tests. */
import { SearchIndex } from './search.ts';
import type { Skin, World } from './world.ts';

/** A crawl of one skin: by query, by category, or one shop's listings. */
export interface ReachableQuery {
  skin: Skin;
  /** Free-text query (every word must match title or category). */
  query?: string;
  /** Category slug. */
  category?: string;
  /** The marketplace's external shop id. */
  shopId?: string;
  /** Pages the crawl follows; default all. */
  maxPages?: number;
  /** Crawl epoch (default 0). */
  epoch?: number;
}

/** Page size each skin's default listing endpoint uses for this kind of crawl. */
export function pageSize(skin: Skin, byShop: boolean): number {
  switch (skin) {
    case 'shopee':
      return byShop ? 30 : 60;
    case 'lazada':
      return 40;
    case 'tiki':
      return 40;
    case 'sendo':
      return 60;
    case 'tiktok':
      return 20;
    case 'shop':
      return 24;
  }
}

const indexes = new WeakMap<World, SearchIndex>();

/** External ids of the listings reachable by that crawl, in the order the skin pages them. */
export function reachableListings(world: World, query: ReachableQuery): string[] {
  let search = indexes.get(world);
  if (!search) {
    search = new SearchIndex(world);
    indexes.set(world, search);
  }
  const filter = query.shopId !== undefined ? { shopId: query.shopId } : { query: query.query ?? '', category: query.category };
  const matches = search.matches(query.skin, filter, query.epoch ?? 0);
  const limit =
    query.maxPages === undefined
      ? matches.length
      : Math.min(matches.length, query.maxPages * pageSize(query.skin, query.shopId !== undefined));
  const ids: string[] = [];
  for (let k = 0; k < limit; k++) ids.push(world.listing(matches[k]!).id);
  return ids;
}
