import { z } from 'zod';

export const MARKETPLACES = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'web'] as const;
export const MarketplaceSchema = z.enum(MARKETPLACES);
export type Marketplace = z.infer<typeof MarketplaceSchema>;

/** Integer VND; marketplaces never price a real item above 10 billion VND on a consumer listing. */
const vnd = z.number().int().nonnegative().max(10_000_000_000);

/** A shop as an adapter normalizes it: one shape for every marketplace. */
export const ShopRecordSchema = z.object({
  marketplace: MarketplaceSchema,
  externalId: z.string().min(1).max(200),
  name: z.string().max(500),
  url: z.string().max(2000).nullable().default(null),
  /** The address exactly as the shop or marketplace writes it. */
  rawAddress: z.string().max(1000).nullable().default(null),
  /** The marketplace's own location label ("TP. Hồ Chí Minh", "Nước ngoài"). */
  declaredLocation: z.string().max(200).nullable().default(null),
  phone: z.string().max(50).nullable().default(null),
  email: z.string().max(200).nullable().default(null),
  taxCode: z.string().max(50).nullable().default(null),
  isOfficial: z.boolean().default(false),
  isVerified: z.boolean().default(false),
  /** ISO 8601. */
  joinedAt: z.string().datetime({ offset: true }).nullable().default(null),
  followerCount: z.number().int().nonnegative().nullable().default(null),
  rating: z.number().min(0).max(5).nullable().default(null),
  listingCount: z.number().int().nonnegative().nullable().default(null),
  /** The source object, kept for evidence and re-parsing. */
  raw: z.unknown().optional(),
});
export type ShopRecord = z.infer<typeof ShopRecordSchema>;
export type ShopRecordInput = z.input<typeof ShopRecordSchema>;

export const LISTING_STATUSES = ['active', 'removed', 'blocked-unknown'] as const;

/** A listing as an adapter normalizes it: prices in integer VND, the raw source kept. */
export const ListingRecordSchema = z.object({
  marketplace: MarketplaceSchema,
  externalId: z.string().min(1).max(200),
  shopExternalId: z.string().min(1).max(200).nullable().default(null),
  title: z.string().min(1).max(1000),
  description: z.string().max(20_000).nullable().default(null),
  /** The brand as the listing states it, not as scoring infers it. */
  brand: z.string().max(200).nullable().default(null),
  category: z.string().max(300).nullable().default(null),
  priceVnd: vnd.nullable().default(null),
  originalPriceVnd: vnd.nullable().default(null),
  soldCount: z.number().int().nonnegative().nullable().default(null),
  rating: z.number().min(0).max(5).nullable().default(null),
  images: z.array(z.string().max(2000)).max(50).default([]),
  url: z.string().max(2000).nullable().default(null),
  status: z.enum(LISTING_STATUSES).default('active'),
  raw: z.unknown().optional(),
});
export type ListingRecord = z.infer<typeof ListingRecordSchema>;
export type ListingRecordInput = z.input<typeof ListingRecordSchema>;
