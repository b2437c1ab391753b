import { textArrayLiteral } from '../../src/core/db/stores/pg-arrays.ts';
import type { Db } from '../../src/core/db/types.ts';
import { CatalogFileSchema, compileCatalog, type CatalogFile, type CompiledCatalog } from '../catalog.ts';

export interface ImportBrandsResult {
  brands: number;
  authorisedSellers: number;
  referencePrices: number;
}

/**
 * Loads a catalogue into brands / brand_authorized_sellers / brand_reference_prices in one
 * transaction. Idempotent: brands are upserted by name, and each imported brand's sellers and
 * reference prices are replaced by the file's, so re-importing the same file changes nothing.
 */
export async function importBrands(db: Db, catalog: CatalogFile): Promise<ImportBrandsResult> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number; name: string }>(
      `INSERT INTO brands AS b (name, aliases, categories, premium, updated_at)
       SELECT u.name, u.aliases::text[], u.categories::text[], u.premium, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS u(name, aliases, categories, premium)
       ON CONFLICT (name) DO UPDATE SET aliases = EXCLUDED.aliases, categories = EXCLUDED.categories,
         premium = EXCLUDED.premium, updated_at = now()
       RETURNING b.id, b.name`,
      [
        catalog.brands.map((b) => b.name),
        catalog.brands.map((b) => textArrayLiteral(b.aliases)),
        catalog.brands.map((b) => textArrayLiteral(b.categories)),
        catalog.brands.map((b) => b.premium),
      ],
    );
    const idByName = new Map(rows.map((row) => [row.name, Number(row.id)]));
    const ids = [...idByName.values()];
    await tx.query('DELETE FROM brand_authorized_sellers WHERE brand_id = ANY($1::bigint[])', [ids]);
    await tx.query('DELETE FROM brand_reference_prices WHERE brand_id = ANY($1::bigint[])', [ids]);
    const sellers = catalog.brands.flatMap((b) => b.official_shops.map((s) => ({ id: idByName.get(b.name)!, ...s })));
    const uniqueSellers = [...new Map(sellers.map((s) => [`${s.id}|${s.marketplace}|${s.shop_id}`, s])).values()];
    if (uniqueSellers.length) {
      await tx.query(
        `INSERT INTO brand_authorized_sellers (brand_id, marketplace, shop_external_id)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])`,
        [uniqueSellers.map((s) => s.id), uniqueSellers.map((s) => s.marketplace), uniqueSellers.map((s) => s.shop_id)],
      );
    }
    const prices = catalog.brands.flatMap((b) => b.reference_prices.map((p) => ({ id: idByName.get(b.name)!, ...p })));
    const uniquePrices = [...new Map(prices.map((p) => [`${p.id}|${p.match}`, p])).values()];
    if (uniquePrices.length) {
      await tx.query(
        `INSERT INTO brand_reference_prices (brand_id, match, min_vnd, typical_vnd)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])`,
        [uniquePrices.map((p) => p.id), uniquePrices.map((p) => p.match), uniquePrices.map((p) => p.min_vnd), uniquePrices.map((p) => p.typical_vnd)],
      );
    }
    return { brands: rows.length, authorisedSellers: uniqueSellers.length, referencePrices: uniquePrices.length };
  });
}

/** Reads the catalogue back from the database (empty `brands` when nothing was imported). */
export async function loadCatalogFromDb(db: Db): Promise<CatalogFile> {
  const { rows } = await db.query<{
    name: string;
    aliases: string[];
    categories: string[];
    premium: boolean;
    sellers: { marketplace: string; shop_id: string }[] | null;
    prices: { match: string; min_vnd: number; typical_vnd: number }[] | null;
  }>(
    `SELECT b.name, b.aliases, b.categories, b.premium,
       (SELECT json_agg(json_build_object('marketplace', s.marketplace, 'shop_id', s.shop_external_id))
          FROM brand_authorized_sellers s WHERE s.brand_id = b.id) AS sellers,
       (SELECT json_agg(json_build_object('match', p.match, 'min_vnd', p.min_vnd, 'typical_vnd', p.typical_vnd))
          FROM brand_reference_prices p WHERE p.brand_id = b.id) AS prices
     FROM brands b ORDER BY b.id`,
  );
  return CatalogFileSchema.parse({
    brands: rows.map((row) => ({
      name: row.name,
      aliases: row.aliases,
      categories: row.categories,
      premium: row.premium,
      official_shops: row.sellers ?? [],
      reference_prices: (row.prices ?? []).map((p) => ({ match: p.match, min_vnd: Number(p.min_vnd), typical_vnd: Number(p.typical_vnd) })),
    })),
  });
}

export async function loadCompiledCatalogFromDb(db: Db): Promise<{ catalog: CompiledCatalog; brands: number }> {
  const file = await loadCatalogFromDb(db);
  return { catalog: compileCatalog(file), brands: file.brands.length };
}
