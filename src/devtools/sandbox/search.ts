/**
 * Query matching and per-query result indexes. A query matches a listing when every folded word of the
 * query occurs in the folded title or category (slug or Vietnamese name). Results are computed once per
 * (skin, filter, epoch), capped, and kept in a small FIFO cache, so paging through a result is O(page).
 */
import { CATEGORY_NAMES, type Category } from './catalog.ts';
import { plannedRemoval } from './recreate.ts';
import { hash32 } from './rng.ts';
import { fold } from './text.ts';
import type { SandboxListing, Skin, World } from './world.ts';

/** The most results any query returns, like real marketplaces that stop paging after a few thousand hits. */
export const MAX_RESULTS = 20_000;
const CACHE_ENTRIES = 256;

/** What a crawl asks a skin for. */
export interface ListingFilter {
  /** Free-text query; every word must match. */
  query?: string;
  /** A category slug (see catalog.ts). */
  category?: string;
  /** The marketplace's external shop id: only that shop's listings. */
  shopId?: string;
}

/** Share of listings (per epoch ≥ 1) that disappear between crawls. */
export const REMOVED_SHARE = 0.03;
/** Share of listings (per epoch ≥ 1) whose price changes between crawls. */
export const REPRICED_SHARE = 0.1;

/** True when the listing is gone at that crawl epoch. Epoch 0 (the truth) has every listing; extra items never vanish. */
export function isRemoved(world: World, index: number, epoch: number): boolean {
  // Shops taken down and re-created under a new id (recreate.ts) have their own lifetimes.
  const planned = plannedRemoval(world, index, epoch);
  if (planned !== undefined) return planned;
  if (epoch <= 0 || index >= world.generatedListings) return false;
  return hash32(world.seed, 50, index, epoch) / 4294967296 < REMOVED_SHARE;
}

/** The listing as it looks at a crawl epoch: same identity, maybe a new price. */
export function atEpoch(world: World, listing: SandboxListing, epoch: number): SandboxListing {
  if (epoch <= 0 || listing.index >= world.generatedListings) return listing;
  const h = hash32(world.seed, 51, listing.index, epoch);
  if (h / 4294967296 >= REPRICED_SHARE) return listing;
  const factor = 0.8 + (h % 400) / 1000;
  return { ...listing, priceVnd: Math.max(1000, Math.round((listing.priceVnd * factor) / 1000) * 1000) };
}

function categoryText(category: Category): string {
  return `${category} ${fold(CATEGORY_NAMES[category])}`;
}

function matcher(filter: ListingFilter): (listing: SandboxListing) => boolean {
  const words = fold(filter.query ?? '')
    .split(/\s+/u)
    .filter(Boolean);
  const category = filter.category ? fold(filter.category) : null;
  return (listing) => {
    if (category !== null && listing.category !== category) return false;
    if (words.length === 0) return true;
    const title = fold(listing.title);
    const cat = categoryText(listing.category);
    return words.every((word) => title.includes(word) || cat.includes(word));
  };
}

/** Lazily built, capped result lists per (skin, filter, epoch). */
export class SearchIndex {
  private readonly cache = new Map<string, Int32Array>();

  constructor(private readonly world: World) {}

  /** True when the listing is removed at that epoch. */
  isGone(index: number, epoch: number): boolean {
    return isRemoved(this.world, index, epoch);
  }

  /** Listing indexes that match, in world order, at most {@link MAX_RESULTS}. */
  matches(skin: Skin, filter: ListingFilter, epoch = 0): Int32Array {
    const key = `${skin}\u0000${filter.query ?? ''}\u0000${filter.category ?? ''}\u0000${filter.shopId ?? ''}\u0000${epoch}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const result = this.compute(skin, filter, epoch);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, result);
    return result;
  }

  private compute(skin: Skin, filter: ListingFilter, epoch: number): Int32Array {
    const world = this.world;
    const accept = matcher(filter);
    const out: number[] = [];
    const consider = (index: number): void => {
      if (out.length >= MAX_RESULTS || isRemoved(world, index, epoch)) return;
      const listing = world.listing(index);
      if (listing.skin === skin && accept(listing)) out.push(index);
    };
    if (filter.shopId !== undefined) {
      const shop = world.findShop(skin, filter.shopId);
      if (shop) for (const index of world.shopListingIndexes(shop.index)) consider(index);
      return Int32Array.from(out);
    }
    for (let index = 0; index < world.listingCount && out.length < MAX_RESULTS; index++) {
      // The shop's skin is cheap to check; skip generating listings of other skins.
      if (index < world.generatedListings && world.shop(index % world.generatedShops).skin !== skin) continue;
      consider(index);
    }
    return Int32Array.from(out);
  }
}
