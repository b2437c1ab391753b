import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertListings } from '../../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../../src/core/db/stores/shops.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { loadStarterCatalog } from '../../../scoring/catalog.ts';
import { importBrands, loadCatalogFromDb } from '../../../scoring/db/brands.ts';
import { runScoreWithLeads as runScore } from '../../../src/apps/scoring/run-score.ts';
import { SCORING_VERSION } from '../../../scoring/pipeline.ts';
import { dbTargets } from '../../helpers/db.ts';
import { listing, shop } from '../../helpers/records.ts';

describe.each(await dbTargets())('radar score on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
  });
  afterAll(async () => cleanup?.());

  it('imports the brand catalogue idempotently', async () => {
    const catalog = loadStarterCatalog();
    const first = await importBrands(db, catalog);
    const second = await importBrands(db, catalog);
    expect(second).toEqual(first);
    expect(await count('SELECT count(*)::text AS n FROM brands')).toBe(catalog.brands.length);
    expect(await count('SELECT count(*)::text AS n FROM brand_reference_prices')).toBe(first.referencePrices);
    const back = await loadCatalogFromDb(db);
    expect(back.brands.find((b) => b.name === 'Nike')!.reference_prices.length).toBe(
      catalog.brands.find((b) => b.name === 'Nike')!.reference_prices.length,
    );
  });

  it('scores all listings, writes versioned scores, shop columns, networks and leads, and never duplicates leads', async () => {
    const seen = new Date('2026-11-01T00:00:00Z');
    await upsertShops(
      db,
      [
        shop({ marketplace: 'shopee', externalId: 'bad', name: 'Giày Rep Sài Gòn', rawAddress: 'Toàn quốc', phone: '0912345678' }),
        shop({ marketplace: 'lazada', externalId: 'sister', name: 'Kho Giày Bình Dương', rawAddress: null, phone: '+84 912 345 678' }),
        shop({
          marketplace: 'tiki',
          externalId: 'clean',
          name: 'Nhà sách Minh Khai',
          rawAddress: null,
          phone: '0987654321',
          taxCode: '0300588569',
        }),
      ],
      seen,
    );
    await upsertListings(
      db,
      [
        listing({
          marketplace: 'shopee',
          externalId: 'l1',
          shopExternalId: 'bad',
          title: 'Giày Nike Air Force 1 rep 1:1 siêu cấp',
          priceVnd: 350_000,
        }),
        listing({
          marketplace: 'shopee',
          externalId: 'l2',
          shopExternalId: 'bad',
          title: 'Túi G u c c i Marmont hàng Quảng Châu',
          priceVnd: 600_000,
        }),
        listing({
          marketplace: 'lazada',
          externalId: 'l3',
          shopExternalId: 'sister',
          title: 'Giày Nike Air Max chính hãng',
          priceVnd: 1_900_000,
        }),
        listing({ marketplace: 'tiki', externalId: 'l4', shopExternalId: 'clean', title: 'Sách giáo khoa lớp 5', priceVnd: 120_000 }),
      ],
      { seenAt: seen },
    );
    const result = await runScore(db, { all: true, batch: 100, now: seen });
    expect(result).toMatchObject({ mode: 'all', listingsScored: 4, listingsFlagged: 2, networks: 1 });
    expect(result.leads).toMatchObject({ listing: 2, shop: 1, network: 1, created: 4 });
    expect(await count('SELECT count(*)::text AS n FROM listing_scores WHERE scoring_version = $1', [SCORING_VERSION])).toBe(4);

    const { rows: shops } = await db.query<{
      external_id: string;
      address_quality: string | null;
      network_id: string | null;
      phone_e164: string | null;
    }>('SELECT external_id, address_quality, network_id::text AS network_id, phone_e164 FROM shops ORDER BY external_id');
    const byId = Object.fromEntries(shops.map((s) => [s.external_id, s]));
    expect(byId.bad!.address_quality).toBe('placeholder');
    expect(byId.sister!.address_quality).toBe('missing');
    expect(byId.bad!.network_id).not.toBeNull();
    expect(byId.sister!.network_id).toBe(byId.bad!.network_id);
    expect(byId.clean!.network_id).toBeNull();
    expect(byId.sister!.phone_e164).toBe('+84912345678');

    // The sister shop's listing carries the network reason.
    const { rows: sister } = await db.query<{ reasons: { code: string }[] }>(
      `SELECT ls.reasons FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id WHERE l.external_id = 'l3'`,
    );
    expect(sister[0]!.reasons.map((r) => r.code)).toContain('network.risky_member');

    // An analyst confirms a lead; re-scoring re-flags without duplicating or overwriting the verdict.
    await db.query(`UPDATE leads SET status = 'confirmed' WHERE kind = 'shop'`);
    const again = await runScore(db, { all: true, batch: 2, now: seen });
    expect(again.leads.created).toBe(0);
    expect(again.leads.reflagged).toBe(4);
    expect(await count('SELECT count(*)::text AS n FROM leads')).toBe(4);
    expect(await count(`SELECT count(*)::text AS n FROM leads WHERE kind = 'shop' AND status = 'confirmed'`)).toBe(1);
    expect(await count('SELECT count(*)::text AS n FROM listing_scores')).toBe(4);
  });

  it('reads every listing when pages cross a power of ten in the ids', async () => {
    const seen = new Date('2026-11-01T00:00:00Z');
    await upsertListings(
      db,
      Array.from({ length: 150 }, (_, i) =>
        listing({
          marketplace: 'tiki',
          externalId: `page-${i}`,
          shopExternalId: 'clean',
          title: `Sách tham khảo tập ${i}`,
          priceVnd: 90_000 + i,
        }),
      ),
      { seenAt: seen },
    );
    const total = await count('SELECT count(*)::text AS n FROM listings');
    const result = await runScore(db, { all: true, batch: 100, readPage: 100, now: seen });
    expect(result.listingsScored).toBe(total);
    expect(await count('SELECT count(*)::text AS n FROM listing_scores WHERE scoring_version = $1', [SCORING_VERSION])).toBe(total);
  });

  it('incremental runs score only listings changed since the last run', async () => {
    const nothing = await runScore(db, {});
    expect(nothing).toMatchObject({ mode: 'incremental', listingsScored: 0 });
    const later = new Date(Date.now() + 60_000);
    await upsertListings(
      db,
      [
        listing({
          marketplace: 'tiki',
          externalId: 'l4',
          shopExternalId: 'clean',
          title: 'Sách giáo khoa lớp 5 bản mới',
          priceVnd: 120_000,
        }),
      ],
      { seenAt: later },
    );
    const one = await runScore(db, {});
    expect(one).toMatchObject({ mode: 'incremental', listingsScored: 1 });
    expect(await count('SELECT count(*)::text AS n FROM scoring_runs WHERE finished_at IS NOT NULL')).toBe(5);
  });
});
