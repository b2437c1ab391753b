import { describe, expect, it } from 'vitest';
import { addressReasons } from '../../../scoring/signals/address.ts';
import type { AddressResolution } from '../../../scoring/address/index.ts';

const resolution = (over: Partial<AddressResolution>): AddressResolution => ({
  province: 'Thành phố Hồ Chí Minh',
  province_code: 79,
  ward: 'Phường Bến Thành',
  ward_code: 26743,
  old_province: null,
  quality: 'complete',
  issues: [],
  ...over,
});

describe('address signal', () => {
  it('a complete address that matches the declared location raises nothing', () => {
    expect(addressReasons('12 Lê Lợi', resolution({}), { province: 'Thành phố Hồ Chí Minh', province_code: 79, overseas: false })).toEqual(
      [],
    );
  });
  it.each(['missing', 'placeholder', 'province_only', 'inconsistent', 'overseas'] as const)(
    '%s raises a reason with the address as evidence',
    (quality) => {
      const reasons = addressReasons('Toàn quốc', resolution({ quality, issues: ['an issue'] }), null);
      expect(reasons.map((r) => r.code)).toEqual([`address.${quality}`]);
      expect(reasons[0]!.weight).toBeGreaterThan(0);
      expect(reasons[0]!.detail).toContain(quality === 'missing' ? 'Toàn quốc' : 'Toàn quốc');
    },
  );
  it('placeholders and missing addresses weigh more than a province-only address', () => {
    const weight = (quality: AddressResolution['quality']) => addressReasons('x', resolution({ quality }), null)[0]!.weight;
    expect(weight('placeholder')).toBeGreaterThan(weight('province_only'));
    expect(weight('missing')).toBeGreaterThan(weight('province_only'));
  });
  it('flags an address in another province than the declared location', () => {
    const reasons = addressReasons('12 Lê Lợi', resolution({}), { province: 'Thành phố Hà Nội', province_code: 1, overseas: false });
    expect(reasons.map((r) => r.code)).toEqual(['address.declared_mismatch']);
    expect(reasons[0]!.detail).toContain('Hà Nội');
  });
});
