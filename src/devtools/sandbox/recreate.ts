/**
 * Repeat offenders: at a chosen crawl epoch the sandbox takes some counterfeit shops down (every listing
 * of theirs answers "not found") and brings each back under a new shop id, with the same phone number,
 * name and tax code, selling the same items under new listing ids. The re-created shop is hidden before
 * that epoch. Built on the `extra` mechanism: the new shops and listings are extra items, and
 * {@link plannedRemoval} (the hook in `isRemoved`) says which listings are gone at which epoch.
 */
import type { ExtraFile } from './extra.ts';
import { hash32 } from './rng.ts';
import { generateWorld, listingExternalId, shopExternalId, type SandboxShop, type Skin, type World, type WorldOptions } from './world.ts';

/** Options of {@link recreatingWorld}. */
export interface RecreateOptions {
  /** The epoch at which the shops are taken down and come back. @default 1 */
  epoch?: number;
  /** Share of the eligible shops that come back (drawn from the seed). @default 0.5 */
  share?: number;
}

/** One shop that comes back. */
export interface Recreation {
  skin: Skin;
  /** The taken-down shop. */
  originalShopId: string;
  originalListingIds: string[];
  /** The new account: same phone, new id. */
  newShopId: string;
  newListingIds: string[];
  phone: string;
  epoch: number;
}

/** Offsets that put re-created ids far past any generated id, so they never collide. */
const SHOP_ID_OFFSET = 5_000_000;
const LISTING_ID_OFFSET = 500_000_000;
const STREAM_RECREATE = 60;

interface Lifetimes {
  /** Listing index → the epoch from which it is gone (an original) or visible (a re-created copy). */
  goneFrom: Map<number, number>;
  bornAt: Map<number, number>;
  recreations: Recreation[];
}
const LIFETIMES = new WeakMap<World, Lifetimes>();

/** A mobile number a crawl can read and normalise (not a hotline): what makes the link observable. */
function hasMobilePhone(shop: SandboxShop): shop is SandboxShop & { phone: string } {
  const digits = (shop.phone ?? '').replace(/\D/gu, '');
  return /^(84|0)[35789]\d{8}$/u.test(digits);
}

/** Counterfeit shops outside planted networks that print a mobile phone; a share of them come back. */
function chosenShops(world: World, share: number): SandboxShop[] {
  const out: SandboxShop[] = [];
  for (let index = 0; index < world.generatedShops; index++) {
    const shop = world.shop(index);
    if (shop.label !== 'counterfeit' || shop.network !== null || !hasMobilePhone(shop)) continue;
    if (hash32(world.seed, STREAM_RECREATE, index) / 4294967296 < share) out.push(shop);
  }
  return out;
}

/**
 * A world whose chosen counterfeit shops are re-created at `epoch`: the base world plus the new
 * accounts as extra items (after any given ones), with their lifetimes registered for `isRemoved`.
 */
export function recreatingWorld(options: WorldOptions, recreate: RecreateOptions = {}): World {
  const epoch = Math.max(1, Math.floor(recreate.epoch ?? 1));
  const base = generateWorld(options);
  const given = options.extra ?? { shops: [], listings: [] };
  const extra: ExtraFile = { shops: [...given.shops], listings: [...given.listings] };
  const plans: { shop: SandboxShop; listingIndexes: number[]; newShopId: string; newListingIds: string[] }[] = [];
  for (const shop of chosenShops(base, recreate.share ?? 0.5)) {
    const listingIndexes = [...base.shopListingIndexes(shop.index)].filter((i) => i < base.generatedListings);
    if (listingIndexes.length === 0) continue;
    const newShopId = shopExternalId(shop.skin, SHOP_ID_OFFSET + shop.index);
    const shopFields = {
      id: newShopId,
      name: shop.name,
      address: shop.address,
      declared_location: shop.declaredLocation,
      is_official: false,
      joined_at: new Date(Date.parse(shop.joinedAt) + 300 * 86_400_000).toISOString(),
      follower_count: 0,
      rating: 0,
      phone: shop.phone,
      tax_code: shop.taxCode,
    };
    const newListingIds: string[] = [];
    for (const index of listingIndexes) {
      const listing = base.listing(index);
      const id = listingExternalId(shop.skin, LISTING_ID_OFFSET + index);
      newListingIds.push(id);
      extra.listings.push({
        type: 'listing',
        marketplace: shop.marketplace,
        id,
        shop_id: newShopId,
        label: 'counterfeit',
        patterns: [...listing.patterns, 'recreated_shop'],
        hard_negative: null,
        network: null,
        skins: [shop.skin],
        categories: [listing.category],
        listing: {
          id,
          marketplace: shop.marketplace,
          title: listing.title,
          price_vnd: listing.priceVnd,
          original_price_vnd: listing.originalPriceVnd,
          brand: listing.brand,
          category: listing.category,
          sold_count: 0,
          description: listing.description,
        },
        shop: shopFields,
      });
    }
    extra.shops.push({
      type: 'shop',
      marketplace: shop.marketplace,
      id: newShopId,
      label: 'counterfeit',
      patterns: ['recreated_shop'],
      network: null,
      shop: shopFields,
    });
    plans.push({ shop, listingIndexes, newShopId, newListingIds });
  }
  const world = generateWorld({ ...options, extra });
  const lifetimes: Lifetimes = { goneFrom: new Map(), bornAt: new Map(), recreations: [] };
  for (const plan of plans) {
    for (const index of plan.listingIndexes) lifetimes.goneFrom.set(index, epoch);
    for (const id of plan.newListingIds) lifetimes.bornAt.set(world.findListing(plan.shop.skin, id)!.index, epoch);
    lifetimes.recreations.push({
      skin: plan.shop.skin,
      originalShopId: plan.shop.id,
      originalListingIds: plan.listingIndexes.map((i) => base.listing(i).id),
      newShopId: plan.newShopId,
      newListingIds: plan.newListingIds,
      phone: plan.shop.phone!,
      epoch,
    });
  }
  LIFETIMES.set(world, lifetimes);
  return world;
}

/** The shops this world re-creates (none for a world not built by {@link recreatingWorld}). */
export function recreations(world: World): readonly Recreation[] {
  return LIFETIMES.get(world)?.recreations ?? [];
}

/**
 * For `isRemoved`: true or false when re-creation decides whether the listing exists at that epoch
 * (a taken-down original, a re-created copy), undefined when it has no say.
 */
export function plannedRemoval(world: World, index: number, epoch: number): boolean | undefined {
  const lifetimes = LIFETIMES.get(world);
  if (lifetimes === undefined) return undefined;
  const goneFrom = lifetimes.goneFrom.get(index);
  if (goneFrom !== undefined && epoch >= goneFrom) return true;
  const bornAt = lifetimes.bornAt.get(index);
  if (bornAt !== undefined) return epoch < bornAt;
  return undefined;
}
