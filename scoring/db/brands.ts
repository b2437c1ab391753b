import {
  brandCatalogRows,
  clearBrandSellersAndPrices,
  insertAuthorisedSellers,
  insertReferencePrices,
  upsertBrands,
} from '../../src/core/db/stores/brands.ts';
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
    const rows = await upsertBrands(tx, catalog.brands);
    const idByName = new Map(rows.map((row) => [row.name, Number(row.id)]));
    const ids = [...idByName.values()];
    await clearBrandSellersAndPrices(tx, ids);
    const sellers = catalog.brands.flatMap((b) => b.official_shops.map((s) => ({ id: idByName.get(b.name)!, ...s })));
    const uniqueSellers = [...new Map(sellers.map((s) => [`${s.id}|${s.marketplace}|${s.shop_id}`, s])).values()];
    if (uniqueSellers.length) {
      await insertAuthorisedSellers(
        tx,
        uniqueSellers.map((s) => ({ brandId: s.id, marketplace: s.marketplace, shopExternalId: s.shop_id })),
      );
    }
    const prices = catalog.brands.flatMap((b) => b.reference_prices.map((p) => ({ id: idByName.get(b.name)!, ...p })));
    const uniquePrices = [...new Map(prices.map((p) => [`${p.id}|${p.match}`, p])).values()];
    if (uniquePrices.length) {
      await insertReferencePrices(
        tx,
        uniquePrices.map((p) => ({ brandId: p.id, match: p.match, minVnd: p.min_vnd, typicalVnd: p.typical_vnd })),
      );
    }
    return { brands: rows.length, authorisedSellers: uniqueSellers.length, referencePrices: uniquePrices.length };
  });
}

/** Reads the catalogue back from the database (empty `brands` when nothing was imported). */
export async function loadCatalogFromDb(db: Db): Promise<CatalogFile> {
  const rows = await brandCatalogRows(db);
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
