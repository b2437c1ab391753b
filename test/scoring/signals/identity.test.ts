import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { identityReasons, normalizePhone, validateTaxCode } from '../../../scoring/signals/identity.ts';

const codes = (shop: Parameters<typeof identityReasons>[0], premiumBrandCount = 0) =>
  identityReasons(shop, { nowMs: Date.parse('2026-11-01T00:00:00Z'), premiumBrandCount }).map((r) => r.code);
const good = {
  isOfficial: false,
  phone: '0903 123 456',
  taxCode: '0300588569',
  joinedAtMs: Date.parse('2020-01-01T00:00:00Z'),
  followerCount: 5000,
};

describe('normalizePhone', () => {
  it.each([
    ['0903 123 456', '+84903123456'],
    ['+84 903.123.456', '+84903123456'],
    ['84903123456', '+84903123456'],
    ['(028) 3823 4567', '+842838234567'],
    ['1900 1234', '+8419001234'],
  ])('%s → %s', (input, e164) => {
    const result = normalizePhone(input);
    expect(result.ok && result.e164).toBe(e164);
  });
  it.each(['0123456789', '090312345', 'zalo 0903', '0403123456'])('rejects %s', (input) => expect(normalizePhone(input).ok).toBe(false));
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const result = normalizePhone(input);
        if (result.ok) expect(result.e164).toMatch(/^\+84\d{8,10}$/);
        else expect(result.error.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('validateTaxCode', () => {
  it.each(['0300588569', '0100109106', '0101248141', '0100109106-001', '001203012345'])('accepts %s', (code) =>
    expect(validateTaxCode(code).ok).toBe(true),
  );
  it.each(['0300588568', '0100109107', '12345', 'abc'])('rejects %s', (code) => expect(validateTaxCode(code).ok).toBe(false));
  it('a random 10-digit code passes only when its check digit is right', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }), (digits) => {
        const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
        const check = 10 - (digits.reduce((sum, d, i) => sum + d * weights[i]!, 0) % 11);
        const okCount = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((last) => validateTaxCode(`${digits.join('')}${last}`).ok).length;
        expect(okCount).toBe(check <= 9 ? 1 : 0);
      }),
    );
  });
});

describe('identityReasons', () => {
  it('an established shop with phone and valid tax code raises nothing', () => expect(codes(good)).toEqual([]));
  it('flags missing and invalid contact data', () => {
    expect(codes({ ...good, phone: null, taxCode: null })).toEqual(['identity.phone_missing', 'identity.tax_code_missing']);
    expect(codes({ ...good, phone: '123', taxCode: '0300588568' })).toEqual(['identity.phone_invalid', 'identity.tax_code_invalid']);
  });
  it('flags very new shops, few followers and many premium brands', () => {
    expect(codes({ ...good, joinedAtMs: Date.parse('2026-10-25T00:00:00Z'), followerCount: 3 }, 5)).toEqual([
      'identity.new_shop',
      'identity.few_followers',
      'identity.many_premium_brands',
    ]);
  });
  it('an official store counts strongly against risk', () => {
    const reasons = identityReasons({ ...good, isOfficial: true }, { nowMs: Date.now(), premiumBrandCount: 10 });
    expect(reasons.map((r) => r.code)).toEqual(['identity.official_store']);
    expect(reasons[0]!.weight).toBeLessThan(-20);
  });
});
