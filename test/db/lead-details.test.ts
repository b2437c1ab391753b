import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadEvidenceRows, leadListingRows, leadShopRows } from '../../src/core/db/stores/lead-details.ts';
import type { Db } from '../../src/core/db/types.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { dbTargets } from '../helpers/db.ts';
import { listingCandidate, reason, seedShopsAndListings } from '../leads/seed.ts';

/**
 * The lead detail's listing and evidence queries were rewritten from one OR across two ways in (which
 * made PostgreSQL walk every listing and every evidence row) into index lookups joined by UNION. These
 * are the old queries, kept as the reference the new ones must agree with on every kind of lead.
 */
const REFERENCE_SHOPS = `
  SELECT s.id FROM leads ld
  JOIN shops s ON s.id = ld.shop_id
    OR s.id = (SELECT shop_id FROM listings WHERE id = ld.listing_id)
    OR (ld.network_id IS NOT NULL AND s.network_id = ld.network_id)
  WHERE ld.id = $1`;

const referenceListings = (limit: number) => `
  SELECT l.id, l.marketplace, l.external_id, l.title, l.brand, l.price_vnd, l.original_price_vnd, l.url, l.status, l.shop_id
  FROM listings l
  WHERE l.id = (SELECT listing_id FROM leads WHERE id = $1)
     OR ((SELECT kind FROM leads WHERE id = $1) <> 'listing' AND l.shop_id IN (${REFERENCE_SHOPS}))
  ORDER BY l.id LIMIT ${limit}`;

const REFERENCE_EVIDENCE = `
  WITH lead_shops AS (${REFERENCE_SHOPS}),
  lead_listings AS (
    SELECT listing_id AS id FROM leads WHERE id = $1 AND listing_id IS NOT NULL
    UNION SELECT l.id FROM listings l JOIN leads ld ON ld.id = $1
     WHERE ld.kind <> 'listing' AND l.shop_id IN (SELECT id FROM lead_shops))
  SELECT e.id, e.listing_id, e.shop_id, e.url, e.captured_at, e.captured_at_local, e.crawler_version, e.files, e.http_status, e.final_url, e.metadata
  FROM evidence e
  WHERE e.listing_id IN (SELECT id FROM lead_listings) OR e.shop_id IN (SELECT id FROM lead_shops)
  ORDER BY e.captured_at DESC, e.id`;

describe.each(await dbTargets())('lead detail queries on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  const leadIds: number[] = [];

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    // Four shops, two of them in one network; 3–5 listings each, so a network lead has more listings than a small limit.
    const shops = ['a', 'b', 'c', 'd'].map((id) => ({ externalId: id, provinceCode: 79, provinceName: 'Thành phố Hồ Chí Minh' }));
    const listings = shops.flatMap((s, i) =>
      Array.from({ length: 3 + (i % 3) }, (_, j) => ({
        externalId: `${s.externalId}${j}`,
        shopExternalId: s.externalId,
        brand: j % 2 ? 'Nike' : 'Gucci',
      })),
    );
    const { shopIds, listingIds } = await seedShopsAndListings(db, shops, listings);
    const { rows: network } = await db.query<{ id: number }>(
      `INSERT INTO networks (network_key, shop_count, marketplaces, link_kinds) VALUES ('phone:0901', 2, '{tiki}', '{phone}') RETURNING id`,
    );
    const networkId = Number(network[0]!.id);
    await db.query('UPDATE shops SET network_id = $1 WHERE id = ANY($2::bigint[])', [networkId, [shopIds.get('b')!, shopIds.get('c')!]]);
    const reasons = [reason('price.below_reference', 40)];
    await upsertLeads(db, [
      listingCandidate(listingIds.get('a0')!, 80),
      listingCandidate(listingIds.get('b1')!, 70),
      listingCandidate(listingIds.get('d2')!, 60),
      {
        kind: 'shop',
        shopId: shopIds.get('a')!,
        score: 75,
        scoringVersion: 'v1',
        reasons,
        provinceCode: 79,
        provinceName: 'Thành phố Hồ Chí Minh',
      },
      {
        kind: 'shop',
        shopId: shopIds.get('d')!,
        score: 65,
        scoringVersion: 'v1',
        reasons,
        provinceCode: 79,
        provinceName: 'Thành phố Hồ Chí Minh',
      },
      { kind: 'network', networkId, score: 90, scoringVersion: 'v1', reasons, provinceCode: 79, provinceName: 'Thành phố Hồ Chí Minh' },
    ]);
    // Evidence on listings (of every shop) and on shops, at distinct and at equal capture times.
    const at = (hour: number) => new Date(Date.UTC(2026, 10, 20, hour)).toISOString();
    let hour = 0;
    for (const [externalId, id] of listingIds) {
      if (externalId.endsWith('1')) continue;
      await db.query(
        `INSERT INTO evidence (listing_id, url, captured_at, captured_at_local, crawler_version) VALUES ($1, $2, $3::timestamptz, 'local', 'test')`,
        [id, `https://tiki.example/p/${externalId}`, at(hour++ % 4)],
      );
    }
    for (const [externalId, id] of shopIds) {
      await db.query(
        `INSERT INTO evidence (shop_id, url, captured_at, captured_at_local, crawler_version) VALUES ($1, $2, $3::timestamptz, 'local', 'test')`,
        [id, `https://tiki.example/shop/${externalId}`, at(hour++ % 4)],
      );
    }
    const { rows } = await db.query<{ id: number }>('SELECT id FROM leads ORDER BY id');
    leadIds.push(...rows.map((r) => Number(r.id)), 999_999);
  });
  afterAll(async () => cleanup());

  it('lists the same listings as the reference OR query for every kind of lead and limit', async () => {
    let networkListings = 0;
    for (const leadId of leadIds) {
      for (const limit of [1, 2, 4, 50]) {
        const expected = (await db.query(referenceListings(limit), [leadId])).rows;
        expect(await leadListingRows(db, leadId, limit)).toEqual(expected);
        if (limit === 50) networkListings = Math.max(networkListings, expected.length);
      }
    }
    // The network lead reaches both member shops' listings (so the limits above really cut).
    expect(networkListings).toBeGreaterThan(4);
  });

  it('returns the same evidence, in the same order, as the reference OR query', async () => {
    let seen = 0;
    for (const leadId of leadIds) {
      const expected = (await db.query(REFERENCE_EVIDENCE, [leadId])).rows;
      expect(await leadEvidenceRows(db, leadId)).toEqual(expected);
      seen += expected.length;
    }
    expect(seen).toBeGreaterThan(leadIds.length);
  });

  it('finds the same shops as the reference join', async () => {
    for (const leadId of leadIds) {
      const expected = (await db.query<{ id: number }>(`${REFERENCE_SHOPS} ORDER BY s.id`, [leadId])).rows.map((r) => Number(r.id));
      expect((await leadShopRows(db, leadId)).map((r) => Number(r.id))).toEqual(expected);
    }
  });
});
