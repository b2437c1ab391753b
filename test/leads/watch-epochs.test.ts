// Done-when of issue 22: re-crawling the sandbox in later epochs records the removals, price changes and
// reappearances of watched items, exactly as the sandbox's own epoch rules say they happened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseWatchUrl } from '../../src/apps/cli/commands/watch.ts';
import { addWatchItem, watchEvents } from '../../src/core/db/stores/watch.ts';
import type { Db } from '../../src/core/db/types.ts';
import { startSandbox, type RunningSandbox, type SandboxOptions, type World } from '../../src/devtools/sandbox/index.ts';
import { atEpoch, isRemoved } from '../../src/devtools/sandbox/search.ts';
import { recordWatchChanges } from '../../src/leads/watch.ts';
import { dbTargets } from '../helpers/db.ts';
import { crawlTiki, recrawlWatched, restartAtEpoch } from './watch-sandbox.ts';

const OPTIONS: SandboxOptions = { seed: 22, listings: 2400, faults: 'none' };
const EPOCHS = [1, 2];

/** Tiki shops whose listings, between them, are removed, repriced and come back over the epochs. */
function pickShops(world: World): { shops: string[]; listing: string } {
  const tikiShops = [...Array(world.generatedShops).keys()].map((i) => world.shop(i)).filter((s) => s.skin === 'tiki');
  const listingsOf = (shopIndex: number) => [...world.shopListingIndexes(shopIndex)];
  const comesBack = tikiShops.find((s) => listingsOf(s.index).some((i) => isRemoved(world, i, 1) && !isRemoved(world, i, 2)))!;
  const goneLater = tikiShops.find(
    (s) => s !== comesBack && listingsOf(s.index).some((i) => !isRemoved(world, i, 1) && isRemoved(world, i, 2)),
  )!;
  const repriced = tikiShops.find(
    (s) =>
      s !== comesBack &&
      s !== goneLater &&
      listingsOf(s.index).some((i) => atEpoch(world, world.listing(i), 1).priceVnd !== world.listing(i).priceVnd),
  )!;
  const chosen = [comesBack, goneLater, repriced];
  // One more listing, watched on its own: of a shop not watched, repriced or removed at some epoch.
  const single = tikiShops
    .filter((s) => !chosen.includes(s))
    .flatMap((s) => listingsOf(s.index))
    .find((i) => EPOCHS.some((e) => isRemoved(world, i, e) || atEpoch(world, world.listing(i), e).priceVnd !== world.listing(i).priceVnd))!;
  return { shops: chosen.map((s) => s.id), listing: world.listing(single).id };
}

/** The events the watch must record, from the sandbox's epoch rules: what a crawl at each epoch can see. */
function expectedEvents(world: World, watched: { item: number; listingIndexes: number[] }[]): string[] {
  const out: string[] = [];
  for (const { item, listingIndexes } of watched) {
    for (const index of listingIndexes) {
      const listing = world.listing(index);
      let seen = { available: true, price: listing.priceVnd };
      for (const epoch of EPOCHS) {
        const available = !isRemoved(world, index, epoch);
        // A removed listing's page says only that it is gone: its last price stays.
        const now = { available, price: available ? atEpoch(world, listing, epoch).priceVnd : seen.price };
        if (seen.available && !now.available) out.push(`${epoch}:${item}:${listing.id}:removed`);
        if (!seen.available && now.available) out.push(`${epoch}:${item}:${listing.id}:reappeared`);
        if (seen.price !== now.price) out.push(`${epoch}:${item}:${listing.id}:price:${seen.price}>${now.price}`);
        seen = now;
      }
    }
  }
  return out.sort();
}

describe.each(await dbTargets())('watched items across sandbox epochs on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    sandbox = await startSandbox({ ...OPTIONS, epoch: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
    await cleanup?.();
  });

  it('records exactly the removals, price changes and reappearances the sandbox made', async () => {
    const world = sandbox.world;
    const picked = pickShops(world);
    expect(picked.shops.length).toBe(3);
    const shopItems: number[] = [];
    for (const shopId of picked.shops) {
      shopItems.push(
        (
          await addWatchItem(db, {
            kind: 'shop',
            value: shopId,
            marketplace: 'tiki',
            url: null,
            note: null,
            provinceCode: null,
            owner: 'test',
          })
        ).id,
      );
    }
    // Epoch 0: the watched shops crawled once (the watch plan knows them by id before any crawl), and the listing's page.
    const single = world.findListing('tiki', picked.listing)!;
    await recrawlWatched(db, sandbox);
    await crawlTiki(db, sandbox, [{ mode: 'url', url: `${sandbox.url}/tiki/${single.slug}-p${single.id}.html` }]);
    const { rows } = await db.query<{ url: string }>(`SELECT url FROM listings WHERE marketplace = 'tiki' AND external_id = $1`, [
      single.id,
    ]);
    const listingItem = (
      await addWatchItem(db, {
        kind: 'listing',
        value: normaliseWatchUrl(rows[0]!.url),
        marketplace: 'tiki',
        url: rows[0]!.url,
        note: null,
        provinceCode: null,
        owner: 'test',
      })
    ).id;
    expect(await recordWatchChanges(db, new Date('2026-11-01T00:00:00Z'))).toEqual([]);

    const watched = [
      ...picked.shops.map((shopId, k) => ({
        item: shopItems[k]!,
        listingIndexes: [...world.shopListingIndexes(world.findShop('tiki', shopId)!.index)],
      })),
      { item: listingItem, listingIndexes: [single.index] },
    ];
    const { rows: stored } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM listings`);
    expect(stored[0]!.n).toBe(watched.reduce((n, w) => n + w.listingIndexes.length, 0));

    const recorded: string[] = [];
    for (const epoch of EPOCHS) {
      sandbox = await restartAtEpoch(sandbox, OPTIONS, epoch);
      await recrawlWatched(db, sandbox);
      const at = new Date(Date.UTC(2026, 10, 1 + epoch));
      await recordWatchChanges(db, at);
      const { rows: ids } = await db.query<{ id: string; external_id: string }>(`SELECT id, external_id FROM listings`);
      const external = new Map(ids.map((r) => [Number(r.id), r.external_id]));
      for (const event of (await watchEvents(db)).filter((e) => e.at.getTime() === at.getTime())) {
        const values = event.change === 'price' ? `:${event.old_value}>${event.new_value}` : '';
        recorded.push(`${epoch}:${event.watch_item_id}:${external.get(event.listing_id!)}:${event.change}${values}`);
      }
    }
    const expected = expectedEvents(world, watched);
    // The picked shops make every kind of change happen.
    for (const change of [':removed', ':reappeared', ':price:'])
      expect(
        expected.some((e) => e.includes(change)),
        change,
      ).toBe(true);
    expect(recorded.sort()).toEqual(expected);
  });
});
