import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldPerKey, RecordSink } from '../../../crawlers/runner/sink.ts';
import { ShopRecordSchema, ListingRecordSchema } from '../../../src/core/domain/records.ts';
import { PgliteDb } from '../../../src/core/db/pglite.ts';
import { migrate } from '../../../src/core/db/migrate.ts';
import { startCrawlRun } from '../../../src/core/db/stores/crawl-runs.ts';
import type { Db, Queryable } from '../../../src/core/db/types.ts';
import { dbTargets } from '../../helpers/db.ts';
import { listing, shop } from '../../helpers/records.ts';

const detailed = ShopRecordSchema.parse({
  marketplace: 'shopee',
  externalId: 's1',
  name: 'Shop One',
  rawAddress: '12 Lê Lợi, Quận 1, TP.HCM',
  phone: '0901234567',
  followerCount: 1200,
  isOfficial: true,
});
const fromSearch = ShopRecordSchema.parse({
  marketplace: 'shopee',
  externalId: 's1',
  name: 'Shop One (renamed)',
  declaredLocation: 'TP. Hồ Chí Minh',
});

describe('foldPerKey', () => {
  it('lets a later value win, keeps earlier values a later record lacks, and ORs flags', () => {
    const [shop, ...rest] = foldPerKey([detailed, fromSearch], ['isOfficial', 'isVerified']);
    expect(rest).toEqual([]);
    expect(shop).toMatchObject({
      name: 'Shop One (renamed)',
      rawAddress: detailed.rawAddress,
      phone: detailed.phone,
      followerCount: 1200,
      declaredLocation: 'TP. Hồ Chí Minh',
      isOfficial: true,
    });
  });

  it('keeps a listing’s images and description when a later search record of it has none', () => {
    const pdp = ListingRecordSchema.parse({
      marketplace: 'shopee',
      externalId: 'i1',
      title: 'Giày',
      description: 'mô tả',
      images: ['https://x/1.jpg'],
      priceVnd: 100_000,
    });
    const search = ListingRecordSchema.parse({ marketplace: 'shopee', externalId: 'i1', title: 'Giày', priceVnd: 90_000 });
    const other = ListingRecordSchema.parse({ marketplace: 'shopee', externalId: 'i2', title: 'Áo' });
    const folded = foldPerKey([pdp, other, search], []);
    expect(folded.map((listing) => listing.externalId)).toEqual(['i1', 'i2']);
    expect(folded[0]).toMatchObject({ description: 'mô tả', images: ['https://x/1.jpg'], priceVnd: 90_000 });
  });
});

describe('RecordSink', () => {
  let db: Db;
  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('does not let a bare search record erase a shop’s details buffered in the same batch', async () => {
    const runId = await startCrawlRun(db, { adapter: 'shopee', marketplace: 'shopee', mode: 'query', target: 'x', crawlerVersion: 'test' });
    const sink = new RecordSink(db, { runId, batchSize: 100 });
    await sink.add({ shops: [detailed], listings: [], removed: [] });
    await sink.add({ shops: [fromSearch], listings: [], removed: [] });
    await sink.flush();
    const { rows } = await db.query<{ phone: string | null; follower_count: number | null; raw_address: string | null }>(
      `SELECT phone, follower_count, raw_address FROM shops WHERE marketplace = 'shopee' AND external_id = 's1'`,
    );
    expect(rows).toEqual([{ phone: detailed.phone, follower_count: 1200, raw_address: detailed.rawAddress }]);
  });

  it('loses none of a failed batch: the next flush writes it, once, with newer values winning', async () => {
    const runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'query', target: 'x', crawlerVersion: 'test' });
    let failNext = false;
    // The real database, but the first listing statement after `failNext` is set fails (a dropped connection, say).
    const flaky: Queryable = {
      query: async (text, params) => {
        if (failNext && text.includes('INSERT INTO listings')) {
          failNext = false;
          throw new Error('connection lost');
        }
        return db.query(text, params);
      },
      exec: (text) => db.exec(text),
    };
    const sink = new RecordSink(flaky, { runId, batchSize: 10_000 });
    // Page A's records; its batch fails. Page B's come after and change one of A's listings.
    await sink.add({
      shops: [shop({ marketplace: 'tiki', externalId: 'fa-s' })],
      listings: [
        listing({ marketplace: 'tiki', externalId: 'fa-1', title: 'old', shopExternalId: 'fa-s', priceVnd: 100_000 }),
        listing({ marketplace: 'tiki', externalId: 'fa-2', title: 'two', shopExternalId: 'fa-s' }),
      ],
      removed: [],
    });
    failNext = true;
    await expect(sink.flush()).rejects.toThrow('connection lost');
    await sink.add({
      shops: [],
      listings: [listing({ marketplace: 'tiki', externalId: 'fa-1', title: 'new', shopExternalId: 'fa-s', priceVnd: 90_000 })],
      removed: [],
    });
    await sink.flush();
    const { rows } = await db.query<{
      external_id: string;
      title: string;
      price_vnd: string | null;
      shop: string | null;
      observations: number;
    }>(
      `SELECT l.external_id, l.title, l.price_vnd::text AS price_vnd, s.external_id AS shop,
          (SELECT count(*)::int FROM listing_observations o WHERE o.listing_id = l.id AND o.crawl_run_id = $1) AS observations
       FROM listings l LEFT JOIN shops s ON s.id = l.shop_id WHERE l.external_id LIKE 'fa-%' ORDER BY 1`,
      [runId],
    );
    expect(rows).toEqual([
      { external_id: 'fa-1', title: 'new', price_vnd: '90000', shop: 'fa-s', observations: 1 },
      { external_id: 'fa-2', title: 'two', price_vnd: '100000', shop: 'fa-s', observations: 1 },
    ]);
  });
});

describe.each(await dbTargets())('RecordSink split writes on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('writes a batch split over two writers completely: every shop link, one observation per listing, and a later batch wins', async () => {
    const runId = await startCrawlRun(db, { adapter: 'tiki', marketplace: 'tiki', mode: 'query', target: 'split', crawlerVersion: 'test' });
    const sink = new RecordSink(db, { runId, batchSize: 1_000, writers: 2 });
    const shops = Array.from({ length: 450 }, (_, i) => shop({ marketplace: 'tiki', externalId: `split-s${i}`, name: `Shop ${i}` }));
    // Listing i links to a shop in the other half of the batch, so a part that resolved its links
    // before the other part's shops were written would leave shop_id empty.
    const first = Array.from({ length: 550 }, (_, i) =>
      listing({
        marketplace: 'tiki',
        externalId: `split-l${i}`,
        shopExternalId: `split-s${(i + 225) % 450}`,
        title: `Giày ${i}`,
        priceVnd: 100_000,
      }),
    );
    await sink.add({ shops, listings: first, removed: [] });
    // The same keys again with new prices: the second batch must land after the first, whatever its parts do.
    const second = first.map((record) => ({ ...record, priceVnd: 200_000 }));
    await Promise.all([
      sink.add({ shops: [], listings: second.slice(0, 500), removed: [] }),
      sink.add({ shops: [], listings: second.slice(500), removed: [] }),
    ]);
    await sink.flush();
    const { rows } = await db.query<{ n: number; linked: number; repriced: number; observations: number }>(
      `SELECT count(*)::int AS n, count(l.shop_id)::int AS linked, count(*) FILTER (WHERE l.price_vnd = 200000)::int AS repriced,
          (SELECT count(*)::int FROM listing_observations o WHERE o.crawl_run_id = $1) AS observations
       FROM listings l WHERE l.external_id LIKE 'split-l%'`,
      [runId],
    );
    expect(rows[0]).toEqual({ n: 550, linked: 550, repriced: 550, observations: 550 });
  });
});

describe('RecordSink writers', () => {
  /** A database that records when each statement starts and ends; statement `failAt` fails. */
  function recordingDb(failAt = -1) {
    const events: string[] = [];
    let statements = 0;
    const db: Queryable = {
      async query<R extends object>(text: string, params?: readonly unknown[]) {
        const id = statements++;
        const table = text.includes('INSERT INTO shops') ? 'shops' : 'listings';
        const keys = String(params?.[1] ?? '');
        events.push(`start ${id} ${table} ${keys.split(',').length}`);
        // The failing part fails at once; its sibling is still running when it does.
        if (id === failAt) {
          events.push(`fail ${id}`);
          throw new Error('part failed');
        }
        await new Promise((resolve) => setTimeout(resolve, id === 3 ? 30 : 1));
        events.push(`end ${id}`);
        return { rows: [] as R[], rowCount: 0 };
      },
      async exec() {},
    };
    return { db, events };
  }

  it('splits a large batch into parts with disjoint keys, starts the next batch only after every part of a failed one settled, and writes the failed one again with it', async () => {
    const { db, events } = recordingDb(2);
    const sink = new RecordSink(db, { runId: 1, batchSize: 10_000, writers: 2 });
    const shops = Array.from({ length: 400 }, (_, i) => shop({ marketplace: 'tiki', externalId: `s${i}` }));
    const listings = Array.from({ length: 400 }, (_, i) => listing({ marketplace: 'tiki', externalId: `l${i}`, title: 't' }));
    await sink.add({ shops, listings, removed: [] });
    const failed = sink.flush();
    await sink.add({ shops: [], listings: [listing({ marketplace: 'tiki', externalId: 'late', title: 't' })], removed: [] });
    const next = sink.flush();
    await expect(failed).rejects.toThrow('part failed');
    await next;
    expect(events).toEqual([
      'start 0 shops 200',
      'start 1 shops 200',
      'end 0',
      'end 1',
      'start 2 listings 200',
      'fail 2',
      'start 3 listings 200',
      'end 3',
      // The next write carries the failed batch's 400 shops and 400 listings ahead of its own listing.
      'start 4 shops 200',
      'start 5 shops 200',
      'end 4',
      'end 5',
      'start 6 listings 201',
      'start 7 listings 200',
      'end 6',
      'end 7',
    ]);
  });

  it('splits only on a PostgreSQL server by default, and never a batch too small to pay for a second statement', async () => {
    const shops = Array.from({ length: 400 }, (_, i) => shop({ marketplace: 'tiki', externalId: `s${i}` }));
    const embedded = recordingDb();
    const unsplit = new RecordSink(embedded.db, { runId: 1, batchSize: 10_000 });
    await unsplit.add({ shops, listings: [], removed: [] });
    await unsplit.flush();
    expect(embedded.events).toEqual(['start 0 shops 400', 'end 0']);
    const server = recordingDb();
    const small = new RecordSink(Object.assign(server.db, { kind: 'postgres' }), { runId: 1, batchSize: 10_000 });
    await small.add({ shops: shops.slice(0, 300), listings: [], removed: [] });
    await small.flush();
    await small.add({ shops, listings: [], removed: [] });
    await small.flush();
    expect(server.events).toEqual(['start 0 shops 300', 'end 0', 'start 1 shops 200', 'start 2 shops 200', 'end 1', 'end 2']);
  });
});
