import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adminIndex } from '../../../scoring/address/dataset.ts';
import { resolveAddress } from '../../../scoring/address/index.ts';
import { areaCodeProvince, areaCodeTable, routeProvince, routingSource, UNPLACED } from '../../../scoring/address/route.ts';

const HCM = 'Thành phố Hồ Chí Minh';
const shop = (over: Partial<{ marketplace: string; declaredLocation: string | null; phone: string | null }> = {}) => ({
  marketplace: 'shopee',
  declaredLocation: null,
  phone: null,
  ...over,
});
const route = (address: string | null, over: Parameters<typeof shop>[0] = {}) => {
  const s = shop(over);
  return routeProvince(s, resolveAddress(address, { declaredLocation: s.declaredLocation }));
};

describe('province routing', () => {
  it('takes the province from the address first, even when the declared location names another', () => {
    expect(route('12 Lê Lợi, Phường Bến Thành, TP.HCM', { declaredLocation: 'Hà Nội' })).toEqual({
      code: 79,
      name: HCM,
      source: 'address',
      national: null,
    });
  });

  it('routes a shop with a declared location and no address (the sandbox decoy) via declared', () => {
    expect(route(null, { declaredLocation: 'Hà Nội' })).toEqual({ code: 1, name: 'Thành phố Hà Nội', source: 'declared', national: null });
    expect(route('Liên hệ qua Zalo', { declaredLocation: 'TP. Hồ Chí Minh' })).toEqual({
      code: 79,
      name: HCM,
      source: 'declared',
      national: null,
    });
  });

  it('maps an old-scheme declared location to its 2025 province', () => {
    expect(route(null, { declaredLocation: 'Bạc Liêu' })).toMatchObject({ name: 'Tỉnh Cà Mau', source: 'declared', national: null });
    expect(route(null, { declaredLocation: 'Bình Dương' })).toMatchObject({ code: 79, source: 'declared', national: null });
  });

  it('falls back to a landline area code, never to a mobile number', () => {
    expect(route(null, { phone: '028 3822 1234' })).toEqual({ code: 79, name: HCM, source: 'phone', national: null });
    expect(route('Toàn quốc', { phone: '+84 24 3825 1234' })).toMatchObject({ code: 1, source: 'phone', national: null });
    expect(route(null, { phone: '0912 345 678' })).toEqual({ code: null, name: null, source: null, national: 'none' });
  });

  it('routes by the warehouse city last, on marketplaces whose only location is the warehouse', () => {
    expect(route(null, { marketplace: 'sendo', declaredLocation: 'TP.HCM' })).toEqual({
      code: 79,
      name: HCM,
      source: 'warehouse',
      national: null,
    });
    expect(route(null, { marketplace: 'sendo', declaredLocation: 'TP.HCM', phone: '024 3825 1234' })).toMatchObject({
      code: 1,
      source: 'phone',
      national: null,
    });
  });

  it('leaves overseas and unlocatable shops without a province, routed nationally with the reason', () => {
    expect(route('Quảng Châu, Trung Quốc', { declaredLocation: 'Nước ngoài' })).toEqual({
      code: null,
      name: null,
      source: null,
      national: 'overseas',
    });
    expect(route(null)).toEqual({ code: null, name: null, source: null, national: 'none' });
  });

  it('calls a seller overseas on either evidence: an address abroad, or the marketplace label alone', () => {
    // Shopee/Lazada/TikTok print "Nước ngoài" for cross-border sellers; the address may be missing.
    expect(route(null, { declaredLocation: 'Nước ngoài' })).toMatchObject({ code: null, national: 'overseas' });
    expect(route('Kho nước ngoài', { declaredLocation: '' })).toMatchObject({ code: null, national: 'overseas' });
    expect(route('Quốc tế')).toMatchObject({ code: null, national: 'overseas' });
    // Placeholders are not abroad: "Toàn quốc", "Inbox shop" say nothing about where the seller is.
    expect(route('Toàn quốc', { declaredLocation: '' })).toMatchObject({ code: null, national: 'none' });
    expect(route('Inbox shop', { phone: '0903 123 456' })).toMatchObject({ code: null, national: 'none' });
    // A province found anywhere wins over national routing, even beside an overseas address.
    expect(route('Quảng Châu, Trung Quốc', { declaredLocation: 'Hà Nội' })).toMatchObject({ code: 1, source: 'declared', national: null });
    // Sendo's label is the warehouse city; "Nước ngoài" there is a cross-border warehouse.
    expect(route(null, { marketplace: 'sendo', declaredLocation: 'Nước ngoài' })).toMatchObject({ national: 'overseas' });
  });

  it('stores the province source, else the national reason, in province_source', () => {
    expect(routingSource(route(null, { declaredLocation: 'Hà Nội' }))).toBe('declared');
    expect(routingSource(route(null, { declaredLocation: 'Nước ngoài' }))).toBe('overseas');
    expect(routingSource(route(null))).toBe('none');
    expect(routingSource(UNPLACED)).toBe('none');
  });

  it('routes every shop to exactly one destination: a province with a source, or national with a reason (property)', () => {
    const labels = ['', 'Hà Nội', 'TP.HCM', 'Nước ngoài', 'Quốc tế', 'Bạc Liêu', 'Toàn quốc', 'xyz'];
    const addresses = [null, '', 'Toàn quốc', 'Quảng Châu, Trung Quốc', '12 Lê Lợi, Phường Bến Thành, TP.HCM', 'Inbox shop'];
    fc.assert(
      fc.property(
        fc.constantFrom('shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'web'),
        fc.oneof(fc.constantFrom(...labels), fc.string(), fc.constant(null)),
        fc.oneof(fc.constantFrom(...addresses), fc.string()),
        fc.oneof(fc.constant(null), fc.constantFrom('028 3822 1234', '0903 123 456'), fc.string()),
        (marketplace, declaredLocation, address, phone) => {
          const routed = route(address, { marketplace, declaredLocation, phone });
          if (routed.code === null) {
            expect(routed.source).toBeNull();
            expect(['overseas', 'none']).toContain(routed.national);
          } else {
            expect(routed.national).toBeNull();
            expect(['address', 'declared', 'phone', 'warehouse']).toContain(routed.source);
            expect(routed.name).not.toBeNull();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('knows an area code for all 63 pre-2025 provinces, each landing in one of the 34', () => {
    const table = areaCodeTable();
    expect(Object.keys(table)).toHaveLength(63);
    expect(new Set(Object.values(table)).size).toBe(63);
    const landed = new Set(Object.keys(table).map((code) => areaCodeProvince(`0${code}${'1'.repeat(10 - code.length)}`)?.code));
    expect(landed.has(undefined)).toBe(false);
    expect([...landed].sort()).toEqual([...adminIndex().provinces.keys()].sort());
  });

  it('never throws and only places well-formed landlines (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const hit = areaCodeProvince(text);
        if (hit) expect(text.replace(/\D/g, '').replace(/^(0084|84|0)/, '')).toMatch(/^2\d{9}$/);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^0(9|3|5|7|8)\d{8}$/), (mobile) => {
        expect(areaCodeProvince(mobile)).toBeNull();
      }),
    );
  });
});
