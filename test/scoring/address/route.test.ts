import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adminIndex } from '../../../scoring/address/dataset.ts';
import { resolveAddress } from '../../../scoring/address/index.ts';
import { areaCodeProvince, areaCodeTable, routeProvince } from '../../../scoring/address/route.ts';

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
    expect(route('12 Lê Lợi, Phường Bến Thành, TP.HCM', { declaredLocation: 'Hà Nội' })).toEqual({ code: 79, name: HCM, source: 'address' });
  });

  it('routes a shop with a declared location and no address (the sandbox decoy) via declared', () => {
    expect(route(null, { declaredLocation: 'Hà Nội' })).toEqual({ code: 1, name: 'Thành phố Hà Nội', source: 'declared' });
    expect(route('Liên hệ qua Zalo', { declaredLocation: 'TP. Hồ Chí Minh' })).toEqual({ code: 79, name: HCM, source: 'declared' });
  });

  it('maps an old-scheme declared location to its 2025 province', () => {
    expect(route(null, { declaredLocation: 'Bạc Liêu' })).toMatchObject({ name: 'Tỉnh Cà Mau', source: 'declared' });
    expect(route(null, { declaredLocation: 'Bình Dương' })).toMatchObject({ code: 79, source: 'declared' });
  });

  it('falls back to a landline area code, never to a mobile number', () => {
    expect(route(null, { phone: '028 3822 1234' })).toEqual({ code: 79, name: HCM, source: 'phone' });
    expect(route('Toàn quốc', { phone: '+84 24 3825 1234' })).toMatchObject({ code: 1, source: 'phone' });
    expect(route(null, { phone: '0912 345 678' })).toEqual({ code: null, name: null, source: null });
  });

  it('routes by the warehouse city last, on marketplaces whose only location is the warehouse', () => {
    expect(route(null, { marketplace: 'sendo', declaredLocation: 'TP.HCM' })).toEqual({ code: 79, name: HCM, source: 'warehouse' });
    expect(route(null, { marketplace: 'sendo', declaredLocation: 'TP.HCM', phone: '024 3825 1234' })).toMatchObject({ code: 1, source: 'phone' });
  });

  it('leaves overseas and unlocatable shops without a province', () => {
    expect(route('Quảng Châu, Trung Quốc', { declaredLocation: 'Nước ngoài' })).toEqual({ code: null, name: null, source: null });
    expect(route(null)).toEqual({ code: null, name: null, source: null });
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
