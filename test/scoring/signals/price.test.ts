import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPrice, matchReference, peerStats, priceReasons } from '../../../scoring/signals/price.ts';
import { starterCatalog } from '../helpers.ts';

const nike = starterCatalog().brands.find((b) => b.name === 'Nike')!;
const af1 = matchReference(' giay nike air force 1 trang ', nike.referencePrices, nike.fallbackPrice)!;
const codes = (ctx: Partial<Parameters<typeof priceReasons>[0]>) =>
  priceReasons({
    priceVnd: 1_000_000,
    originalPriceVnd: null,
    reference: af1,
    brandName: 'Nike',
    peers: null,
    legitimatelyCheap: false,
    ...ctx,
  }).reasons.map((r) => r.code);

describe('price signal', () => {
  it('matches the most specific product group', () => {
    expect(af1.match).toBe('air force 1|af1');
    expect(matchReference(' vo nike ', nike.referencePrices, nike.fallbackPrice)!.match).toBe('*');
  });
  it('fires far below and below the reference, not at retail', () => {
    expect(codes({ priceVnd: 350_000 })).toEqual(['price.far_below_reference']);
    expect(codes({ priceVnd: 800_000 })).toEqual(['price.below_reference']);
    expect(codes({ priceVnd: 2_900_000 })).toEqual([]);
  });
  it('writes the evidence with the price against the reference, in Vietnamese grouping', () => {
    const detail = priceReasons({
      priceVnd: 350_000,
      originalPriceVnd: null,
      reference: af1,
      brandName: 'Nike',
      peers: null,
      legitimatelyCheap: false,
    }).reasons[0]!.detail;
    expect(detail).toBe('350.000 ₫ vs Nike air force 1 retail 2.900.000 ₫ (12%)');
  });
  it('used goods and decants are not scored as cheap', () => expect(codes({ priceVnd: 350_000, legitimatelyCheap: true })).toEqual([]));
  it('rejects poisoned and placeholder prices instead of scoring them', () => {
    expect(codes({ priceVnd: 123_457 })).toEqual(['price.rejected']);
    expect(codes({ priceVnd: 1 })).toEqual(['price.rejected']);
    expect(
      priceReasons({ priceVnd: 123_457, originalPriceVnd: null, reference: af1, brandName: 'Nike', peers: null, legitimatelyCheap: false })
        .reasons[0]!.weight,
    ).toBe(0);
  });
  it('flags an inflated original price', () => {
    expect(codes({ priceVnd: 2_900_000, originalPriceVnd: 12_000_000 })).toEqual(['price.inflated_original']);
    expect(codes({ priceVnd: 2_900_000, originalPriceVnd: 3_500_000 })).toEqual([]);
  });
  it('flags a price far below robust peer statistics', () => {
    const logs = Array.from({ length: 20 }, (_, i) => Math.log(2_500_000 + i * 20_000));
    const peers = peerStats(logs)!;
    expect(codes({ reference: null, peers, priceVnd: 600_000 })).toEqual(['price.below_peers']);
    expect(codes({ reference: null, peers, priceVnd: 2_400_000 })).toEqual([]);
  });
  it('peer statistics resist a poisoned minority', () => {
    const logs = [...Array.from({ length: 18 }, () => Math.log(2_000_000)), Math.log(1_000), Math.log(1e12)];
    expect(Math.exp(peerStats(logs)!.medianLog)).toBeCloseTo(2_000_000, -3);
  });
  it('checkPrice never throws and explains every rejection', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.constant(null)), (value) => {
        const result = checkPrice(value);
        if (!result.ok) expect(result.why.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('product groups of the starter catalogue', () => {
  it('files vitamins under medicine, not formula milk (the group an investigator reads in the reason)', () => {
    const centrum = starterCatalog().brands.find((brand) => brand.name === 'Centrum')!;
    expect(centrum.fallbackPrice?.group).toBe('medicine');
  });
});
