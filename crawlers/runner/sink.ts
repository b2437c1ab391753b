import type { ListingKey } from '../adapter.ts';
import type { ListingRecord, ShopRecord } from '../../src/core/domain/records.ts';
import type { Queryable } from '../../src/core/db/types.ts';
import { prepareShopUpsert, type PreparedUpsert } from '../../src/core/db/stores/shops.ts';
import { markListingsRemoved, prepareListingUpsert } from '../../src/core/db/stores/listings.ts';

export interface RecordSinkOptions {
  /** Observations are appended for this run. */
  runId: number;
  /** Records buffered before a write; bigger batches cost fewer round trips. @default 500 */
  batchSize?: number;
  /** A slow crawl (a browser) still writes at least this often, so a crash loses little (ms). @default 2000 */
  maxDelayMs?: number;
  /**
   * Connections one batch's statements are spread over. PGlite gets 1 because it is one thread:
   * nothing would run side by side.
   * @default 2 on a PostgreSQL server, 1 on embedded PGlite
   */
  writers?: number;
}

/** Below this many rows per part a batch is not split: a statement's fixed cost would dominate. */
const MIN_ROWS_PER_WRITER = 200;

function defaultWriters(db: Queryable): number {
  return 'kind' in db && db.kind === 'postgres' ? 2 : 1;
}

/**
 * Splits one batch (already folded: one record per key) into at most `writers` contiguous parts.
 * Parts hold disjoint keys, so their upserts can run at once on separate connections: they never
 * wait for each other's row locks, so they cannot deadlock, and no key is written twice out of order.
 */
function split<T>(records: readonly T[], writers: number): T[][] {
  const parts = Math.max(1, Math.min(writers, Math.floor(records.length / MIN_ROWS_PER_WRITER)));
  const size = Math.ceil(records.length / parts);
  const out: T[][] = [];
  for (let i = 0; i < records.length; i += size) out.push(records.slice(i, i + size));
  return out;
}

/**
 * Buffers parsed records and writes them in batches: shops first (listings link to them), then
 * listings with their observations, then the removals pages reported. Batches are written one after
 * another, so a later batch never races an earlier one; within a batch, the shops (and then the
 * listings) are split into parts with disjoint keys written side by side on separate connections,
 * because the server's CPU per row, not the client, bounds ingest. Every write is an idempotent
 * upsert, so a crashed crawl re-run adds nothing twice.
 */
export class RecordSink {
  private shops: ShopRecord[] = [];
  private listings: ListingRecord[] = [];
  private removed: ListingKey[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** The records of the last batch whose write failed, until a later write carries them. */
  private unwritten: Batch | null = null;
  private readonly batchSize: number;
  private readonly writers: number;
  private lastFlush = Date.now();
  /** Listings actually switched to removed by this sink. */
  removedCount = 0;

  constructor(
    private readonly db: Queryable,
    private readonly options: RecordSinkOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.writers = Math.max(1, Math.floor(options.writers ?? defaultWriters(db)));
  }

  /** Adds one page's records; resolves once any batch this triggered is written. */
  async add(records: { shops: readonly ShopRecord[]; listings: readonly ListingRecord[]; removed: readonly ListingKey[] }): Promise<void> {
    this.shops.push(...records.shops);
    this.listings.push(...records.listings);
    this.removed.push(...records.removed);
    const full = this.shops.length + this.listings.length >= this.batchSize || this.removed.length >= this.batchSize;
    if (full || Date.now() - this.lastFlush >= (this.options.maxDelayMs ?? 2000)) await this.flush();
  }

  /**
   * Writes everything buffered. Safe to call concurrently; writes happen one after another, in the
   * order flushes were called. The statements are built here, before waiting for the batch ahead
   * to finish: building (folding, hashing, array literals) is client CPU, and doing it while the
   * previous batch runs on the server overlaps the two instead of adding them. What runs on the
   * server, and in what order, is unchanged.
   *
   * A batch whose write fails rejects its flush (the page that triggered it is retried) and is not
   * dropped: the next write, the very next to reach the server, folds its records in ahead of its
   * own, so newer values still win and nothing the other pages of the batch gave is lost. Every
   * write is an idempotent upsert (observations too), so writing part of a batch twice adds nothing.
   */
  flush(): Promise<void> {
    const batch: Batch = { shops: this.shops, listings: this.listings, removed: this.removed };
    this.shops = [];
    this.listings = [];
    this.removed = [];
    this.lastFlush = Date.now();
    const seenAt = new Date();
    let prepared: PreparedBatch;
    try {
      prepared = this.prepare(batch, seenAt);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const write = this.chain.then(async () => {
      let records = batch;
      if (this.unwritten) {
        records = {
          shops: [...this.unwritten.shops, ...batch.shops],
          listings: [...this.unwritten.listings, ...batch.listings],
          removed: [...this.unwritten.removed, ...batch.removed],
        };
        prepared = this.prepare(records, seenAt);
        this.unwritten = null;
      }
      try {
        // Shops a listing points at must exist before the listing resolves its shop link.
        await this.runSideBySide(prepared.shops);
        await this.runSideBySide(prepared.listings);
        // After the listings: a page that says "removed" wins over a search page that still lists it.
        if (records.removed.length > 0) this.removedCount += await markListingsRemoved(this.db, records.removed, seenAt);
      } catch (error) {
        this.unwritten = records;
        throw error;
      }
    });
    // A failed write must surface to its caller but not poison later batches.
    this.chain = write.catch(() => undefined);
    return write;
  }

  private prepare(batch: Batch, seenAt: Date): PreparedBatch {
    // The sink needs no ids back: 'none' spares a result row per record (~10 µs each on PGlite).
    return {
      shops: split(foldPerKey(batch.shops, SHOP_FLAGS), this.writers).flatMap((part) => prepareShopUpsert(part, seenAt, 'none') ?? []),
      listings: split(foldPerKey(batch.listings, []), this.writers).flatMap(
        (part) => prepareListingUpsert(part, { crawlRunId: this.options.runId, seenAt }, 'none') ?? [],
      ),
    };
  }

  /**
   * Runs the parts of one step at once and settles only when every part has: if one part fails,
   * the next step or batch must still not start while another part is running.
   */
  private async runSideBySide(statements: readonly PreparedUpsert[]): Promise<void> {
    const results = await Promise.allSettled(statements.map((statement) => this.db.query(statement.text, statement.values)));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }
}

const SHOP_FLAGS = ['isOfficial', 'isVerified'] as const;

interface Batch {
  shops: ShopRecord[];
  listings: ListingRecord[];
  removed: ListingKey[];
}

interface PreparedBatch {
  shops: PreparedUpsert[];
  listings: PreparedUpsert[];
}

/**
 * Folds the records of one key in a batch the way the upserts fold them across batches: a later
 * value wins unless it is absent (null, undefined, an empty image list), and flags are ORed. The
 * repositories keep only the last record per key in one batch, so without this a search result
 * (shop name only) buffered after the shop's own page (address, phone, followers) would erase them.
 */
export function foldPerKey<T extends { marketplace: string; externalId: string }>(
  records: readonly T[],
  flags: readonly (keyof T & string)[],
): T[] {
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
