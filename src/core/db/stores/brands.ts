/** The brand catalogue: brands, their authorised sellers and reference prices. */
import { textArrayLiteral } from './pg-arrays.ts';
import type { Queryable } from '../types.ts';

export interface BrandUpsert {
  name: string;
  aliases: readonly string[];
  categories: readonly string[];
  premium: boolean;
}

/** Upserts brands by name; returns every upserted brand's id and name. */
export async function upsertBrands(tx: Queryable, brands: readonly BrandUpsert[]): Promise<{ id: number; name: string }[]> {
  const { rows } = await tx.query<{ id: number; name: string }>(
    `INSERT INTO brands AS b (name, aliases, categories, premium, updated_at)
       SELECT u.name, u.aliases::text[], u.categories::text[], u.premium, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS u(name, aliases, categories, premium)
       ON CONFLICT (name) DO UPDATE SET aliases = EXCLUDED.aliases, categories = EXCLUDED.categories,
         premium = EXCLUDED.premium, updated_at = now()
       RETURNING b.id, b.name`,
    [
      brands.map((b) => b.name),
      brands.map((b) => textArrayLiteral(b.aliases)),
      brands.map((b) => textArrayLiteral(b.categories)),
      brands.map((b) => b.premium),
    ],
  );
  return rows;
}

/** Removes these brands' authorised sellers and reference prices (before they are re-imported). */
export async function clearBrandSellersAndPrices(tx: Queryable, brandIds: readonly number[]): Promise<void> {
  await tx.query('DELETE FROM brand_authorized_sellers WHERE brand_id = ANY($1::bigint[])', [brandIds]);
  await tx.query('DELETE FROM brand_reference_prices WHERE brand_id = ANY($1::bigint[])', [brandIds]);
}

export interface AuthorisedSeller {
  brandId: number;
  marketplace: string;
  shopExternalId: string;
}

export async function insertAuthorisedSellers(tx: Queryable, sellers: readonly AuthorisedSeller[]): Promise<void> {
  await tx.query(
    `INSERT INTO brand_authorized_sellers (brand_id, marketplace, shop_external_id)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])`,
    [sellers.map((s) => s.brandId), sellers.map((s) => s.marketplace), sellers.map((s) => s.shopExternalId)],
  );
}

export interface ReferencePrice {
  brandId: number;
  match: string;
  minVnd: number;
  typicalVnd: number;
}

export async function insertReferencePrices(tx: Queryable, prices: readonly ReferencePrice[]): Promise<void> {
  await tx.query(
    `INSERT INTO brand_reference_prices (brand_id, match, min_vnd, typical_vnd)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])`,
    [prices.map((p) => p.brandId), prices.map((p) => p.match), prices.map((p) => p.minVnd), prices.map((p) => p.typicalVnd)],
  );
}

/** One brand with its sellers and prices as JSON (null when it has none), in import order. */
export interface BrandCatalogRow {
  name: string;
  aliases: string[];
  categories: string[];
  premium: boolean;
  sellers: { marketplace: string; shop_id: string }[] | null;
  prices: { match: string; min_vnd: number; typical_vnd: number }[] | null;
}

export async function brandCatalogRows(db: Queryable): Promise<BrandCatalogRow[]> {
  const { rows } = await db.query<BrandCatalogRow>(
    `SELECT b.name, b.aliases, b.categories, b.premium,
       (SELECT json_agg(json_build_object('marketplace', s.marketplace, 'shop_id', s.shop_external_id))
          FROM brand_authorized_sellers s WHERE s.brand_id = b.id) AS sellers,
       (SELECT json_agg(json_build_object('match', p.match, 'min_vnd', p.min_vnd, 'typical_vnd', p.typical_vnd))
          FROM brand_reference_prices p WHERE p.brand_id = b.id) AS prices
     FROM brands b ORDER BY b.id`,
  );
  return rows;
}
