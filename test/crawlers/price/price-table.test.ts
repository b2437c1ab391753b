import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrice, type PriceParseResult } from '../../../crawlers/price/parse-price.ts';
import { NOT_PRICES, PRICE_TABLE } from './price-table.ts';

const matches = (result: PriceParseResult, amount: number | null, currency: string | null): boolean =>
  !('error' in result) && result.amount === amount && (amount === null || result.currency === currency);

describe('parsePrice on price strings in the styles of real shops', () => {
  it('the table is large and covers Vietnamese and foreign shops', () => {
    expect(PRICE_TABLE.length).toBeGreaterThanOrEqual(400);
    expect(new Set(PRICE_TABLE.map(([text]) => text)).size).toBeGreaterThanOrEqual(400);
    expect(PRICE_TABLE.filter(([, , currency]) => currency === 'VND').length).toBeGreaterThan(150);
    expect(new Set(PRICE_TABLE.map(([, , currency]) => currency)).size).toBeGreaterThan(40);
  });

  it('finds the right amount and currency in at least 98% of them', () => {
    const misses = PRICE_TABLE.filter(
      ([text, amount, currency, hint]) => !matches(parsePrice(text, hint ? { currencyHint: hint } : {}), amount, currency),
    );
    const rate = 1 - misses.length / PRICE_TABLE.length;
    expect(rate, `misses:\n${misses.map(([text]) => `  ${text} → ${JSON.stringify(parsePrice(text))}`).join('\n')}`).toBeGreaterThanOrEqual(
      0.98,
    );
  });

  it.each([
    ['Giá: 1.250.000₫ (đã gồm VAT)', { amount: 1_250_000, currency: 'VND', skipped: ['Giá', '(đã gồm VAT)'] }],
    ['Giá gốc: 500.000 ₫', { amount: 500_000, currency: 'VND', skipped: ['Giá gốc'] }],
    ['Chỉ còn 299K', { amount: 299_000, currency: 'VND', skipped: ['Chỉ còn'] }],
    ['£25.00 (tax incl.)', { amount: 25, currency: 'GBP', skipped: ['(tax incl.)'] }],
    ['49,90 zł', { amount: 49.9, currency: 'PLN' }],
    ['1 299 Kč', { amount: 1299, currency: 'CZK' }],
    ['120 lei', { amount: 120, currency: 'RON' }],
    ['៛4,000', { amount: 4000, currency: 'KHR' }],
    ['5.000 FCFA', { amount: 5000, currency: 'XAF' }],
    ['Br 45', { amount: 45, currency: 'BYN' }],
    ['25 KM', { amount: 25, currency: 'BAM' }],
  ])("the issue's string %s", (text, expected) => {
    expect(parsePrice(text)).toEqual(expected);
  });

  it('a label saying "original" loses to the sale price; a discount or a sold count is never the price', () => {
    expect(parsePrice('Giá gốc 500.000₫ Giá KM 399.000₫')).toMatchObject({ amount: 399_000 });
    expect(parsePrice('Giảm 50.000đ còn 299.000đ')).toMatchObject({ amount: 299_000 });
    expect(parsePrice('89.000 ₫ Đã bán 1,2k')).toMatchObject({ amount: 89_000 });
    expect(parsePrice('Was $40.00 Now $25.00')).toMatchObject({ amount: 25, currency: 'USD' });
  });

  it('the hint decides what an ambiguous mark means; a locale gives the hint', () => {
    expect(parsePrice('Rs. 5,990', { currencyHint: 'NPR' })).toMatchObject({ amount: 5990, currency: 'NPR' });
    expect(parsePrice('Rs. 5,990')).toMatchObject({ currency: 'INR' });
    expect(parsePrice('$24.99', { locale: 'en-AU' })).toMatchObject({ currency: 'AUD' });
    expect(parsePrice('250000', { locale: 'vi-VN' })).toEqual({ amount: 250_000, currency: 'VND' });
    expect(parsePrice('KWD 1.250')).toMatchObject({ amount: 1.25, currency: 'KWD' });
  });

  it.each(NOT_PRICES)('%j has no price: a clear error, not a guess', (text) => {
    const result = parsePrice(text);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error.length).toBeGreaterThan(5);
  });
});

describe('parsePrice properties', () => {
  const pieces = fc.constantFrom(
    'Giá',
    'Giá gốc:',
    'Chỉ còn',
    '₫',
    'đ',
    'k',
    'tr',
    '$',
    '€',
    'zł',
    'Kč',
    'lei',
    '៛',
    'FCFA',
    'KM',
    '(đã gồm VAT)',
    '/hộp',
    'tax incl.',
    '-',
    '–',
    '~',
    '%',
    '.',
    ',',
    ' ',
    'Liên hệ',
    '0901234567',
    '(',
    ')',
  );
  const messy = fc
    .array(fc.oneof(pieces, fc.integer({ min: 0, max: 99_999_999 }).map(String), fc.string({ maxLength: 6 })), { maxLength: 12 })
    .map((parts) => parts.join(' '));

  it('any string yields an amount, a no-price result with a reason, or an error, and never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 40 }), messy),
        fc.option(fc.constantFrom('VND', 'USD', 'NPR', 'x', '')),
        (text, hint) => {
          const result = parsePrice(text, hint !== null ? { currencyHint: hint } : {});
          if ('error' in result) {
            expect(result.error.length).toBeGreaterThan(5);
            return;
          }
          if (result.amount === null) expect(result.reason).toBeTruthy();
          else expect(Number.isFinite(result.amount) && result.amount >= 0).toBe(true);
          if (result.min !== undefined) expect(result.min).toBeLessThanOrEqual(result.max!);
          if (result.skipped) for (const part of result.skipped) expect(text).toContain(part);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('a VND price keeps its amount whatever label comes before and note after it', () => {
    const labels = fc.constantFrom('', 'Giá: ', 'Giá KM ', 'Chỉ còn ', 'Giá gốc: ', 'Price: ', 'Sale ');
    const notes = fc.constantFrom('', ' (đã gồm VAT)', '/hộp', ' tax incl.', ' - còn hàng');
    fc.assert(
      fc.property(labels, fc.integer({ min: 1_000, max: 5_000_000_000 }), notes, (label, amount, note) => {
        expect(parsePrice(`${label}${amount.toLocaleString('de-DE')}₫${note}`)).toMatchObject({ amount, currency: 'VND' });
      }),
    );
  });

  it('inputs over the length cap are refused with a clear error', () => {
    expect(parsePrice(`Giá ${'x'.repeat(600)} 250k`)).toEqual({ error: expect.stringContaining('longer than') });
  });
});
