/** Ground truth: the generator's own plan, written as JSON Lines by `radar sandbox truth`. */
import type { SandboxListing, SandboxShop, Skin, World } from './world.ts';

export interface TruthShopFields {
  id: string;
  name: string;
  address?: string | null;
  declared_location?: string | null;
  is_official?: boolean;
  joined_at?: string;
  follower_count?: number;
  rating?: number;
  phone?: string | null;
  tax_code?: string | null;
}

export interface TruthListingFields {
  id: string;
  marketplace: string;
  title: string;
  price_vnd: number;
  original_price_vnd?: number | null;
  brand?: string | null;
  category?: string;
  sold_count?: number;
  url?: string;
  description?: string;
}

export interface TruthListingRecord {
  type: 'listing';
  marketplace: string;
  id: string;
  shop_id: string;
  label: 'counterfeit' | 'clean';
  patterns: string[];
  hard_negative: string | null;
  network: string | null;
  /** The shop's decoy kind (a clean shop planted to look linked or unlocated), or null. */
  shop_decoy?: string | null;
  skins: Skin[];
  categories: string[];
  listing: TruthListingFields;
  shop: TruthShopFields;
}

export interface TruthShopRecord {
  type: 'shop';
  marketplace: string;
  id: string;
  label: 'counterfeit' | 'clean';
  patterns: string[];
  network: string | null;
  /** Decoy kind of a clean shop (see SHOP_DECOYS in world.ts), or null. */
  decoy?: string | null;
  shop: TruthShopFields;
}

export type TruthRecord = TruthListingRecord | TruthShopRecord;

/** The path (after the skin prefix) of a listing's product page. Base URL + `/<skin>` + this = its URL. */
export function listingPath(listing: SandboxListing): string {
  switch (listing.skin) {
    case 'shopee':
      return `/product/${listing.shopId}/${listing.id}`;
    case 'lazada':
      return `/products/${listing.slug}-i${listing.id}-s${lazadaSkuId(listing.id)}.html`;
    case 'tiki':
      return `/${listing.slug}-p${listing.id}.html`;
    case 'sendo':
      return `/${listing.slug}-${listing.id}.html`;
    case 'tiktok':
      return `/shop/pdp/${listing.slug}/${listing.id}`;
    case 'shop':
      return `/p/${listing.id}-${listing.slug}`;
  }
}

export function lazadaSkuId(itemId: string): string {
  return String(Number(itemId) * 3 + 7).slice(-10);
}

export function shopFields(shop: SandboxShop): TruthShopFields {
  return {
    id: shop.id,
    name: shop.name,
    address: shop.address,
    declared_location: shop.declaredLocation,
    is_official: shop.isOfficial,
    joined_at: shop.joinedAt,
    follower_count: shop.followerCount,
    rating: shop.rating,
    phone: shop.phone,
    tax_code: shop.taxCode,
  };
}

export function truthListing(world: World, listing: SandboxListing): TruthListingRecord {
  const shop = world.shop(listing.shopIndex);
  return {
    type: 'listing',
    marketplace: listing.marketplace,
    id: listing.id,
    shop_id: listing.shopId,
    label: listing.label,
    patterns: listing.patterns,
    hard_negative: listing.hardNegative,
    network: listing.network,
    shop_decoy: shop.decoy,
    skins: [listing.skin],
    categories: [listing.category],
    listing: {
      id: listing.id,
      marketplace: listing.marketplace,
      title: listing.title,
      price_vnd: listing.priceVnd,
      original_price_vnd: listing.originalPriceVnd,
      brand: listing.brand,
      category: listing.category,
      sold_count: listing.soldCount,
      url: `/${listing.skin}${listingPath(listing)}`,
      description: listing.description,
    },
    shop: shopFields(shop),
  };
}

export function truthShop(shop: SandboxShop): TruthShopRecord {
  return {
    type: 'shop',
    marketplace: shop.marketplace,
    id: shop.id,
    label: shop.label,
    patterns: shop.patterns,
    network: shop.network,
    decoy: shop.decoy,
    shop: shopFields(shop),
  };
}

/**
 * Every shop, then every listing, as ground-truth records (epoch 0). Lazy: a million listings stream
 * without being held in memory. Listing `url` is relative to the sandbox base URL.
 */
export function* truthRecords(world: World): Iterable<TruthRecord> {
  for (let j = 0; j < world.shopCount; j++) yield truthShop(world.shop(j));
  for (let i = 0; i < world.listingCount; i++) yield truthListing(world, world.listing(i));
}
