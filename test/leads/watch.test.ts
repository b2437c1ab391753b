import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { markListingsRemoved, upsertListings } from '../../src/core/db/stores/listings.ts';
import { addWatchItem, watchEvents } from '../../src/core/db/stores/watch.ts';
import { withRepeatOffenders } from '../../src/leads/repeat-offenders.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { recordWatchChanges } from '../../src/leads/watch.ts';
import { listing } from '../helpers/records.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

const changesOf = async (db: PgliteDb) => (await watchEvents(db)).map((e) => `${e.change}:${e.old_value ?? ''}>${e.new_value ?? ''}`);

describe('watchlists', () => {
  let db: PgliteDb;
  let listingIds: Map<string, number>;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    ({ listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'watched-shop', name: 'Giày Hiệu Sale' }, { externalId: 'other' }],
      [
        { externalId: 'w1', shopExternalId: 'watched-shop', title: 'Giày Nike AF1 rep', priceVnd: 300_000 },
        { externalId: 'w2', shopExternalId: 'watched-shop', title: 'Giày Adidas Stan Smith', priceVnd: 280_000 },
        { externalId: 'o1', shopExternalId: 'other', title: 'Dép tổ ong', priceVnd: 30_000 },
      ],
    ));
    await db.query(`UPDATE shops SET url = 'https://tiki.example/shop/watched-shop' WHERE external_id = 'watched-shop'`);
    await addWatchItem(db, {
      kind: 'shop',
      value: 'https://tiki.example/shop/watched-shop',
      marketplace: 'tiki',
      url: null,
      note: 'nghi bán giày giả',
      provinceCode: 79,
      owner: 'test',
    });
    await addWatchItem(db, {
      kind: 'listing',
      value: 'https://tiki.example/p/o1',
      marketplace: 'tiki',
      url: null,
      note: null,
      provinceCode: null,
      owner: 'test',
    });
  });
  afterAll(async () => db?.close());

  it('records a baseline first, then price, title, removal, reappearance and new listings of watched items', async () => {
    expect(await recordWatchChanges(db, new Date('2026-11-20T04:00:00Z'))).toEqual([]);
    // A later crawl epoch: one listing repriced and renamed, one taken down, one new listing in the watched shop.
    const later = new Date('2026-11-27T04:00:00Z');
    await upsertListings(
      db,
      [
        listing({
          externalId: 'w1',
          marketplace: 'tiki',
          shopExternalId: 'watched-shop',
          title: 'Giày Nike AF1 like auth',
          priceVnd: 250_000,
          url: 'https://tiki.example/p/w1',
        }),
        listing({
          externalId: 'w3',
          marketplace: 'tiki',
          shopExternalId: 'watched-shop',
          title: 'Giày Jordan 1 rep 1:1',
          priceVnd: 450_000,
          url: 'https://tiki.example/p/w3',
        }),
        listing({
          externalId: 'o1',
          marketplace: 'tiki',
          shopExternalId: 'other',
          title: 'Dép tổ ong',
          priceVnd: 35_000,
          url: 'https://tiki.example/p/o1?utm=x',
        }),
      ],
      { seenAt: later },
    );
    await markListingsRemoved(db, [{ marketplace: 'tiki', externalId: 'w2' }], later);
    await recordWatchChanges(db, later);
    expect((await changesOf(db)).sort()).toEqual(
      [
        'price:300000>250000',
        'title:Giày Nike AF1 rep>Giày Nike AF1 like auth',
        'removed:>',
        'new_listing:>Giày Jordan 1 rep 1:1',
        'price:30000>35000',
      ].sort(),
    );
    // Nothing crawled since: nothing new.
    expect(await recordWatchChanges(db, new Date('2026-11-27T05:00:00Z'))).toEqual([]);
    await upsertListings(
      db,
      [
        listing({
          externalId: 'w2',
          marketplace: 'tiki',
          shopExternalId: 'watched-shop',
          title: 'Giày Adidas Stan Smith',
          priceVnd: 280_000,
          url: 'https://tiki.example/p/w2',
        }),
      ],
      { seenAt: new Date('2026-11-28T04:00:00Z') },
    );
    const back = await recordWatchChanges(db, new Date('2026-11-28T04:00:00Z'));
    expect(back.map((e) => e.change)).toEqual(['reappeared']);
    expect(listingIds.size).toBe(3);
  });
});

describe('repeat offenders', () => {
  let db: PgliteDb;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
  });
  afterAll(async () => db?.close());

  it('a shop re-created under a new id with the same phone names the earlier confirmed lead; an unrelated shop does not', async () => {
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'old-shop' }, { externalId: 'new-shop' }, { externalId: 'stranger' }],
      [
        { externalId: 'old-1', shopExternalId: 'old-shop', title: 'Nước hoa Chanel No5 rep' },
        { externalId: 'new-1', shopExternalId: 'new-shop', title: 'Nước hoa Chanel Coco mới về' },
        { externalId: 'str-1', shopExternalId: 'stranger', title: 'Nước hoa nội địa' },
      ],
    );
    await db.query(`UPDATE shops SET phone_e164 = '+84901234567' WHERE external_id IN ('old-shop', 'new-shop')`);
    await db.query(`UPDATE shops SET phone_e164 = '+84907654321' WHERE external_id = 'stranger'`);
    await upsertLeads(db, [listingCandidate(listingIds.get('old-1')!, 90)], new Date('2026-11-01T00:00:00Z'));
    const earlier = (await db.query<{ id: number }>(`SELECT id FROM leads`)).rows[0]!.id;
    // Before the analysts confirm it, nothing is a repeat.
    const unconfirmed = await withRepeatOffenders(db, [listingCandidate(listingIds.get('new-1')!, 80)]);
    expect(unconfirmed[0]!.reasons.map((r) => r.code)).not.toContain('repeat_offender');

    await db.query(`UPDATE leads SET status = 'confirmed' WHERE id = $1`, [earlier]);
    const [fromNew, fromStranger] = await withRepeatOffenders(db, [
      listingCandidate(listingIds.get('new-1')!, 80),
      listingCandidate(listingIds.get('str-1')!, 80),
    ]);
    const reason = fromNew!.reasons.find((r) => r.code === 'repeat_offender');
    expect(reason?.detail).toBe(`lead #${earlier} (phone: +84901234567)`);
    expect(reason?.vi).toContain(`lead #${earlier}`);
    expect(fromStranger!.reasons.map((r) => r.code)).not.toContain('repeat_offender');

    // Stored with the lead, so digests list it among the relistings.
    await upsertLeads(db, [fromNew!], new Date('2026-11-24T00:00:00Z'));
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM leads WHERE reasons @> '[{"code":"repeat_offender"}]'::jsonb`,
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('the same photo on a new shop is a relisting of a taken-down listing', async () => {
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'p-old' }, { externalId: 'p-new' }],
      [
        { externalId: 'p-old-1', shopExternalId: 'p-old', title: 'Túi LV Neverfull' },
        { externalId: 'p-new-1', shopExternalId: 'p-new', title: 'Túi xách nữ cao cấp' },
      ],
    );
    await db.query(`UPDATE listings SET images = ARRAY['https://cdn.example/img/abc.jpg'] WHERE external_id IN ('p-old-1', 'p-new-1')`);
    await upsertLeads(db, [listingCandidate(listingIds.get('p-old-1')!, 85)], new Date('2026-11-02T00:00:00Z'));
    await markListingsRemoved(db, [{ marketplace: 'tiki', externalId: 'p-old-1' }], new Date('2026-11-03T00:00:00Z'));
    const [candidate] = await withRepeatOffenders(db, [listingCandidate(listingIds.get('p-new-1')!, 80)]);
    expect(candidate!.reasons.find((r) => r.code === 'repeat_offender')?.detail).toMatch(
      /^lead #\d+ \(same_photos: https:\/\/cdn\.example\/img\/abc\.jpg\)$/,
    );
  });
});
