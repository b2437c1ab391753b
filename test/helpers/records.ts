import {
  ListingRecordSchema,
  ShopRecordSchema,
  type ListingRecord,
  type ListingRecordInput,
  type ShopRecord,
  type ShopRecordInput,
} from '../../src/core/domain/records.ts';

export function shop(overrides: Partial<ShopRecordInput> & { externalId: string }): ShopRecord {
  return ShopRecordSchema.parse({ marketplace: 'tiki', name: `Shop ${overrides.externalId}`, ...overrides });
}

export function listing(overrides: Partial<ListingRecordInput> & { externalId: string }): ListingRecord {
  return ListingRecordSchema.parse({ marketplace: 'tiki', title: `Listing ${overrides.externalId}`, priceVnd: 100_000, ...overrides });
}
