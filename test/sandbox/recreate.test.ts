import { describe, expect, it } from 'vitest';
import { generateWorld, recreatingWorld, recreations } from '../../src/devtools/sandbox/index.ts';
import { isRemoved } from '../../src/devtools/sandbox/search.ts';

describe('sandbox re-created shops', () => {
  const world = recreatingWorld({ seed: 5, listings: 800 }, { epoch: 2, share: 1 });
  const plain = generateWorld({ seed: 5, listings: 800 });
  const reborn = recreations(world);

  it('takes counterfeit shops with a phone down at the epoch and brings them back under a new id with the same phone', () => {
    expect(reborn.length).toBeGreaterThan(3);
    for (const r of reborn) {
      const original = world.findShop(r.skin, r.originalShopId)!;
      const again = world.findShop(r.skin, r.newShopId)!;
      expect(original.label).toBe('counterfeit');
      expect(again.id).not.toBe(original.id);
      expect(again.phone).toBe(original.phone);
      expect(again.name).toBe(original.name);
      expect(r.newListingIds.length).toBe(r.originalListingIds.length);
      for (const [k, id] of r.newListingIds.entries()) {
        const copy = world.findListing(r.skin, id)!;
        const source = world.findListing(r.skin, r.originalListingIds[k]!)!;
        expect(copy.shopId).toBe(r.newShopId);
        expect(copy.title).toBe(source.title);
        // Hidden before the epoch, there from it on; the original the other way round.
        expect([0, 1, 2, 3].map((e) => isRemoved(world, copy.index, e))).toEqual([true, true, false, false]);
        expect(isRemoved(world, source.index, 2)).toBe(true);
        expect(isRemoved(world, source.index, 3)).toBe(true);
        expect(isRemoved(world, source.index, 0)).toBe(false);
      }
    }
  });

  it('changes nothing else: other listings are removed at the same epochs as in the plain world, and a plain world has no re-creations', () => {
    const touched = new Set(reborn.flatMap((r) => r.originalListingIds.map((id) => world.findListing(r.skin, id)!.index)));
    for (let index = 0; index < plain.generatedListings; index++) {
      if (touched.has(index)) continue;
      for (const epoch of [0, 1, 2, 3]) expect(isRemoved(world, index, epoch)).toBe(isRemoved(plain, index, epoch));
    }
    expect(recreations(plain)).toEqual([]);
    expect(world.generatedListings).toBe(plain.generatedListings);
  });
});
