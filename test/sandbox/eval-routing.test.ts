import { describe, expect, it } from 'vitest';
import { profileShop } from '../../scoring/pipeline.ts';
import type { ScoringShop } from '../../scoring/types.ts';
import { sandboxRouting } from '../../src/devtools/eval-routing.ts';

const shop = (marketplace: string, over: Partial<ScoringShop> = {}): ScoringShop => ({
  marketplace,
  id: `${marketplace}-1`,
  name: 'Shop',
  address: null,
  declaredLocation: 'Hà Nội',
  isOfficial: false,
  joinedAtMs: null,
  followerCount: null,
  rating: null,
  phone: null,
  taxCode: null,
  ...over,
});
const profile = (s: ScoringShop) => profileShop(s, 0, Date.UTC(2025, 8, 1));

describe('eval routing as a crawl sees the sandbox', () => {
  it('uses the location label only where the marketplace prints one', () => {
    expect(sandboxRouting.provinceSource(profile(shop('shopee')))).toBe('declared');
    expect(sandboxRouting.provinceSource(profile(shop('sendo')))).toBe('warehouse');
    // Tiki's API and a web shop's pages show no label: the world's "Hà Nội" is invisible to a crawl.
    expect(sandboxRouting.provinceSource(profile(shop('tiki')))).toBeNull();
    expect(sandboxRouting.nationalReason(profile(shop('tiki')))).toBe('none');
    expect(sandboxRouting.provinceSource(profile(shop('web')))).toBeNull();
    // An address the page does print still routes, and an overseas one is still overseas.
    expect(sandboxRouting.provinceSource(profile(shop('tiki', { address: '12 Lê Lợi, Phường Bến Thành, TP.HCM' })))).toBe('address');
    expect(
      sandboxRouting.nationalReason(profile(shop('tiki', { address: 'Quảng Châu, Trung Quốc', declaredLocation: 'Nước ngoài' }))),
    ).toBe('overseas');
    expect(sandboxRouting.nationalReason(null)).toBe('none');
  });
});
