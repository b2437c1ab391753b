// A sandbox, a database with a few listings and shops pointing at its pages, and a lead for each.
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import type { Queryable } from '../../src/core/db/types.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { listingPath } from '../../src/devtools/sandbox/truth.ts';
import type { RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import type { Skin } from '../../src/devtools/sandbox/world.ts';
import { listing, shop } from '../helpers/records.ts';
import { listingCandidate } from '../leads/seed.ts';

export const SHOP_NAME = 'Kho Sỉ Hàng Hiệu Chính Hãng Quảng Châu';

/** The sandbox URL of the first listing of a skin. */
export function sandboxListingUrl(sandbox: RunningSandbox, skin: Skin): string {
  for (let i = 0; i < sandbox.world.listingCount; i++) {
    const l = sandbox.world.listing(i);
    if (l.skin === skin) return `${sandbox.url}/${skin}${listingPath(l)}`;
  }
  throw new Error(`no ${skin} listing in the sandbox world`);
}

/** One listing lead per URL (each with its own shop, whose page is `shopUrl` when given); returns lead ids in order. */
export async function seedLeads(
  db: Queryable,
  pages: { url: string; shopUrl?: string | null; marketplace?: 'tiki' | 'lazada' }[],
): Promise<number[]> {
  const tag = Math.random().toString(36).slice(2, 8);
  await upsertShops(
    db,
    pages.map((p, i) =>
      shop({
        externalId: `s-${tag}-${i}`,
        marketplace: p.marketplace ?? 'tiki',
        name: SHOP_NAME,
        rawAddress: 'Số 12 Hàng Bạc, Phường Hoàn Kiếm, Hà Nội',
        url: p.shopUrl ?? null,
      }),
    ),
  );
  const rows = await upsertListings(
    db,
    pages.map((p, i) =>
      listing({
        externalId: `l-${tag}-${i}`,
        marketplace: p.marketplace ?? 'tiki',
        shopExternalId: `s-${tag}-${i}`,
        title: 'Túi xách Chanel Classic Flap hàng siêu cấp',
        brand: 'Chanel',
        priceVnd: 350_000,
        url: p.url,
      }),
    ),
  );
  const ids = rows.map((r) => Number(r.id));
  await upsertLeads(
    db,
    ids.map((id) => listingCandidate(id, 91)),
  );
  const { rows: leads } = await db.query<{ id: string; listing_id: string }>(
    'SELECT id, listing_id FROM leads WHERE listing_id = ANY($1::bigint[])',
    [ids],
  );
  const byListing = new Map(leads.map((l) => [Number(l.listing_id), Number(l.id)]));
  return ids.map((id) => byListing.get(id)!);
}
