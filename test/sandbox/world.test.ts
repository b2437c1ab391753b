import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateWorld, truthRecords, LISTING_PATTERNS, SHOP_PATTERNS, type TruthRecord } from '../../src/devtools/sandbox/index.ts';
import { taxCheckDigit } from '../../src/devtools/sandbox/identity.ts';
import { SHOP_DECOYS } from '../../src/devtools/sandbox/world.ts';
import { resolveAddress, resolveLocationLabel } from '../../scoring/address/index.ts';
import { nameKey } from '../../scoring/signals/networks.ts';
import { isGenericShopName } from '../../scoring/signals/shop-names.ts';

function truthText(seed: number, listings: number): string {
  let out = '';
  for (const record of truthRecords(generateWorld({ seed, listings }))) out += `${JSON.stringify(record)}\n`;
  return out;
}

describe('generateWorld', () => {
  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    const a = truthText(7, 300);
    expect(truthText(7, 300)).toBe(a);
    expect(truthText(8, 300)).not.toBe(a);
  });

  it('generates each item from its index alone, in any order', () => {
    const big = generateWorld({ seed: 7, listings: 1_000_000, shops: 1000 });
    const other = generateWorld({ seed: 7, listings: 1_000_000, shops: 1000 });
    // Access in opposite orders: identical items.
    const forward = [999_999, 500_000, 3].map((i) => JSON.stringify(big.listing(i)));
    const backward = [3, 500_000, 999_999].reverse().map((i) => JSON.stringify(other.listing(i)));
    expect(backward).toEqual(forward);
    expect(big.listingCount).toBe(1_000_000);
    expect(big.listing(999_999).shopIndex).toBe(999_999 % 1000);
    expect(() => big.listing(1_000_000)).toThrow(RangeError);
  });

  it('finds items back by their external ids', () => {
    const world = generateWorld({ seed: 3, listings: 500 });
    for (const i of [0, 17, 499]) {
      const listing = world.listing(i);
      expect(world.findListing(listing.skin, listing.id)?.index).toBe(i);
      expect(world.findShop(listing.skin, listing.shopId)?.index).toBe(listing.shopIndex);
      expect([...world.shopListingIndexes(listing.shopIndex)]).toContain(i);
    }
  });
});

describe('the documented mix for --seed 7 --listings 1000', () => {
  const records: TruthRecord[] = [...truthRecords(generateWorld({ seed: 7, listings: 1000 }))];
  const listings = records.filter((r) => r.type === 'listing');
  const shops = records.filter((r) => r.type === 'shop');

  it('is 15–25% counterfeit', () => {
    const share = listings.filter((r) => r.label === 'counterfeit').length / listings.length;
    expect(listings).toHaveLength(1000);
    expect(share).toBeGreaterThanOrEqual(0.15);
    expect(share).toBeLessThanOrEqual(0.25);
  });

  it('plants every pattern at least 10 times and has at least 3 networks', () => {
    const counts = new Map<string, number>();
    for (const r of records) for (const p of r.patterns) counts.set(p, (counts.get(p) ?? 0) + 1);
    for (const pattern of [...LISTING_PATTERNS, ...SHOP_PATTERNS]) expect(counts.get(pattern) ?? 0, pattern).toBeGreaterThanOrEqual(10);
    const networks = new Set(shops.map((s) => s.network).filter(Boolean));
    expect(networks.size).toBeGreaterThanOrEqual(3);
  });

  it('links network shops by a shared phone, tax code or address', () => {
    const byNetwork = new Map<string, typeof shops>();
    for (const s of shops) if (s.network) byNetwork.set(s.network, [...(byNetwork.get(s.network) ?? []), s]);
    const digits = (p: string | null | undefined) => (p ?? '').replace(/\D/gu, '').replace(/^84/u, '0');
    for (const [network, members] of byNetwork) {
      expect(members.length, network).toBeGreaterThanOrEqual(2);
      const shared = (key: (s: (typeof shops)[number]) => string | null | undefined) =>
        new Set(members.map(key)).size === 1 && key(members[0]!);
      expect(shared((s) => digits(s.shop.phone)) || shared((s) => s.shop.tax_code) || shared((s) => s.shop.address), network).toBeTruthy();
      expect(new Set(members.map((s) => s.shop.name)).size, `${network} names differ`).toBeGreaterThan(1);
    }
  });

  it('gives every counterfeit listing a listing-level pattern and every clean listing none', () => {
    for (const r of listings) {
      if (r.label === 'counterfeit') expect(r.patterns.some((p) => (LISTING_PATTERNS as readonly string[]).includes(p))).toBe(true);
      else expect(r.patterns).toEqual([]);
    }
    const hard = new Set(listings.map((r) => (r.type === 'listing' ? r.hard_negative : null)).filter(Boolean));
    for (const kind of ['cheap_honest', 'like_new_used', 'official_sale', 'compatibility', 'decant'])
      expect(hard.has(kind), kind).toBe(true);
  });

  it('plants tax codes whose check digit is wrong exactly when the pattern says so', () => {
    for (const s of shops) {
      const code = s.shop.tax_code;
      if (!code) continue;
      const ten = code.slice(0, 10);
      const valid = taxCheckDigit(ten.slice(0, 9)) === Number(ten[9]);
      expect(valid, `${s.id} ${code}`).toBe(!s.patterns.includes('invalid_tax_code'));
    }
  });

  it('writes addresses in both schemes and in realistic forms', () => {
    const addresses = shops.map((s) => s.shop.address ?? '');
    expect(addresses.some((a) => /(Q\.|Quận|H\.|Huyện)/u.test(a))).toBe(true); // old 3-level scheme
    expect(addresses.some((a) => /\b(P\.|TP\.|HCM)/u.test(a))).toBe(true);
    expect(addresses.some((a) => a !== a.normalize('NFC'))).toBe(true); // NFD
    expect(addresses.some((a) => /Phuong|Xa |Tinh|Thon/u.test(a))).toBe(true); // no diacritics
    expect(addresses.some((a) => ['Nước ngoài', 'Quốc tế', 'Quảng Châu, Trung Quốc', 'Kho nước ngoài'].includes(a))).toBe(true);
  });
});

describe('taxCheckDigit', () => {
  it('accepts the known codes from the brief', () => {
    for (const code of ['0300588569', '0100109106', '0101248141']) expect(taxCheckDigit(code.slice(0, 9))).toBe(Number(code[9]));
  });
  it('never throws and returns a digit or null for any nine digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/u), (nine) => {
        const d = taxCheckDigit(nine);
        expect(d === null || (Number.isInteger(d) && d >= 0 && d <= 9)).toBe(true);
      }),
    );
  });
});

describe('decoy shops', () => {
  const world = generateWorld({ seed: 404, listings: 4000 });
  const shops = Array.from({ length: world.shopCount }, (_, i) => world.shop(i));
  const decoys = (kind: string) => shops.filter((s) => s.decoy === kind);

  it('plants each decoy kind among clean shops only', () => {
    for (const kind of SHOP_DECOYS) expect(decoys(kind).length, kind).toBeGreaterThanOrEqual(10);
    for (const s of shops) if (s.decoy) expect(s.label, s.id).toBe('clean');
  });

  it('generic-name decoys are common words plus digits, which identify nobody', () => {
    for (const s of decoys('generic_name')) {
      expect(s.name, s.id).toMatch(/ \d+$/u);
      expect(isGenericShopName(s.name), s.name).toBe(true);
    }
  });

  it('market-building decoys share one located street address with other stalls, under different names', () => {
    const byAddress = new Map<string, typeof shops>();
    for (const s of decoys('market_building')) byAddress.set(s.address!, [...(byAddress.get(s.address!) ?? []), s]);
    expect([...byAddress.keys()].every((a) => a.startsWith('Chợ '))).toBe(true);
    for (const [address, stalls] of byAddress) {
      expect(stalls.length, address).toBeGreaterThanOrEqual(3);
      expect(resolveAddress(address).quality, address).toBe('complete');
      const identifying = stalls.filter((s) => !isGenericShopName(s.name)).map((s) => nameKey(s.name));
      expect(new Set(identifying).size, address).toBe(identifying.length);
    }
  });

  it('declared-only decoys have a marketplace location and no address', () => {
    for (const s of decoys('declared_only')) {
      expect(s.address, s.id).toBeNull();
      expect(resolveLocationLabel(s.declaredLocation).province_code, s.declaredLocation ?? '').not.toBeNull();
    }
  });

  it('address-linked networks share a trade name as well, so the address is corroborated', () => {
    const byNetwork = new Map<string, typeof shops>();
    for (const s of shops) if (s.network) byNetwork.set(s.network, [...(byNetwork.get(s.network) ?? []), s]);
    let addressLinked = 0;
    for (const [network, members] of byNetwork) {
      if (new Set(members.map((s) => s.address)).size !== 1) continue;
      addressLinked++;
      expect(new Set(members.map((s) => nameKey(s.name))).size, network).toBe(1);
      expect(isGenericShopName(members[0]!.name), network).toBe(false);
    }
    expect(addressLinked).toBeGreaterThan(0);
  });
});
