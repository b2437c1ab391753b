import type { ListingKey } from '../adapter.ts';
import type { ListingRecord, ShopRecord } from '../../src/domain/records.ts';
import type { Queryable } from '../../src/db/types.ts';
import { upsertShops } from '../../src/db/repositories/shops.ts';
import { markListingsRemoved, upsertListings } from '../../src/db/repositories/listings.ts';

export interface RecordSinkOptions {
  /** Observations are appended for this run. */
  runId: number;
  /** Records buffered before a write. Default 500. */
  batchSize?: number;
  /** A slow crawl (a browser) still writes at least this often, so a crash loses little (ms). Default 2000. */
  maxDelayMs?: number;
}

/**
 * Buffers parsed records and writes them in batches: shops first (listings link to them), then
 * listings with their observations, then the removals pages reported. Writes are serialised so
 * batches never race; every write is an idempotent upsert, so a crashed crawl re-run adds nothing twice.
 */
export class RecordSink {
  private shops: ShopRecord[] = [];
  private listings: ListingRecord[] = [];
  private removed: ListingKey[] = [];
  private chain: Promise<void> = Promise.resolve();
  private readonly batchSize: number;
  private lastFlush = Date.now();
  /** Listings actually switched to removed by this sink. */
  removedCount = 0;

  constructor(
    private readonly db: Queryable,
    private readonly options: RecordSinkOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
  }

  /** Adds one page's records; resolves once any batch this triggered is written. */
  async add(records: { shops: readonly ShopRecord[]; listings: readonly ListingRecord[]; removed: readonly ListingKey[] }): Promise<void> {
    this.shops.push(...records.shops);
    this.listings.push(...records.listings);
    this.removed.push(...records.removed);
    const full = this.shops.length + this.listings.length >= this.batchSize || this.removed.length >= this.batchSize;
    if (full || Date.now() - this.lastFlush >= (this.options.maxDelayMs ?? 2000)) await this.flush();
  }

  /** Writes everything buffered. Safe to call concurrently; writes happen one after another. */
  flush(): Promise<void> {
    const shops = this.shops;
    const listings = this.listings;
    const removed = this.removed;
    this.shops = [];
    this.listings = [];
    this.removed = [];
    this.lastFlush = Date.now();
    const write = this.chain.then(async () => {
      if (shops.length === 0 && listings.length === 0 && removed.length === 0) return;
      const seenAt = new Date();
      // Shops a listing points at must exist before the listing resolves its shop link.
      if (shops.length > 0) await upsertShops(this.db, foldPerKey(shops, SHOP_FLAGS), seenAt);
      if (listings.length > 0) await upsertListings(this.db, foldPerKey(listings, []), { crawlRunId: this.options.runId, seenAt });
      // After the listings: a page that says "removed" wins over a search page that still lists it.
      if (removed.length > 0) this.removedCount += await markListingsRemoved(this.db, removed, seenAt);
    });
    // A failed write must surface to its caller but not poison later batches.
    this.chain = write.catch(() => undefined);
    return write;
  }
}

const SHOP_FLAGS = ['isOfficial', 'isVerified'] as const;

/**
 * Folds the records of one key in a batch the way the upserts fold them across batches: a later
 * value wins unless it is absent (null, undefined, an empty image list), and flags are ORed. The
 * repositories keep only the last record per key in one batch, so without this a search result
 * (shop name only) buffered after the shop's own page (address, phone, followers) would erase them.
 */
export function foldPerKey<T extends { marketplace: string; externalId: string }>(records: readonly T[], flags: readonly (keyof T & string)[]): T[] {
  const byKey = new Map<string, T>();
  for (const record of records) {
    const key = `${record.marketplace}\u0000${record.externalId}`;
    const earlier = byKey.get(key);
    if (!earlier) {
      byKey.set(key, record);
      continue;
    }
    const merged: Record<string, unknown> = { ...earlier };
    for (const [field, value] of Object.entries(record)) {
      if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
      merged[field] = (flags as readonly string[]).includes(field) ? Boolean(value) || Boolean(merged[field]) : value;
    }
    byKey.set(key, merged as T);
  }
  return [...byKey.values()];
}
