import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrice, toVnd } from '../../../crawlers/price/parse-price.ts';

describe('parsePrice: Vietnamese forms', () => {
  it.each([
    ['1.250.000₫', 1_250_000],
    ['1.250.000 ₫', 1_250_000],
    ['₫1.250.000', 1_250_000],
    ['1,250,000 VND', 1_250_000],
    ['1 250 000 vnđ', 1_250_000],
    ['1.250.000đ', 1_250_000],
    ['1.250.000 đồng', 1_250_000],
    ['250.000d', 250_000],
    ['250k', 250_000],
    ['250K', 250_000],
    ['1,5k', 1_500],
    ['1tr2', 1_200_000],
    ['1tr250', 1_250_000],
    ['1,2 triệu', 1_200_000],
    ['2 triệu', 2_000_000],
    ['2 trieu', 2_000_000],
    ['500 nghìn', 500_000],
    ['1 tỷ', 1_000_000_000],
    ['Giá: 350.000đ', 350_000],
    ['1.250.000đ/cái', 1_250_000],
    ['99k / hộp', 99_000],
    ['1.250.000 VNĐ', 1_250_000],
    ['đ1.250.000', 1_250_000],
    ['2tỷ5', 2_500_000_000],
  ])('%s → %d VND', (text, amount) => {
    expect(parsePrice(text)).toMatchObject({ amount, currency: 'VND' });
  });

  it('"Liên hệ" / "Contact for price" is a listing with no price and a reason, not an error', () => {
    for (const text of ['Liên hệ', '  LIÊN HỆ ', 'Contact for price', 'Giá: Liên hệ 0901234567']) {
      const parsed = parsePrice(text);
      expect(parsed).toMatchObject({ amount: null, currency: null });
      expect((parsed as { reason?: string }).reason).toMatch(/no price/u);
    }
  });

  it.each([
    ['150.000đ - 250.000đ', 150_000, 250_000],
    ['150.000 - 250.000 ₫', 150_000, 250_000],
    ['150.000₫–250.000₫', 150_000, 250_000],
    ['150-250k', 150_000, 250_000],
    ['1tr2 ~ 1tr5', 1_200_000, 1_500_000],
  ])('range %s', (text, min, max) => {
    expect(parsePrice(text)).toEqual({ amount: min, currency: 'VND', min, max });
  });

  it('"Miễn phí" is a zero price', () => {
    expect(parsePrice('Miễn phí', { currencyHint: 'VND' })).toEqual({ amount: 0, currency: 'VND' });
  });

  it('shorthand properties: "Nk" is N thousand, "NtrM" is N.M million', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999_999 }),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 9 }),
        (n, millions, tenth) => {
          expect(parsePrice(`${n}k`)).toEqual({ amount: n * 1000, currency: 'VND' });
          expect(parsePrice(`${millions}tr${tenth}`)).toEqual({ amount: millions * 1_000_000 + tenth * 100_000, currency: 'VND' });
        },
      ),
    );
  });

  it('uses the hint only when the text names no currency', () => {
    expect(parsePrice('250000', { currencyHint: 'vnd' })).toEqual({ amount: 250_000, currency: 'VND' });
    expect(parsePrice('250000')).toEqual({ amount: 250_000, currency: null });
    expect(parsePrice('$5', { currencyHint: 'VND' })).toEqual({ amount: 5, currency: 'USD' });
  });
});

describe('parsePrice: international forms', () => {
  it.each([
    ['$1,299.99', 1299.99, 'USD'],
    ['1.299,99 €', 1299.99, 'EUR'],
    ['€1.299,99', 1299.99, 'EUR'],
    ['EUR 12,50', 12.5, 'EUR'],
    ['12,50 EUR', 12.5, 'EUR'],
    ['¥3,000', 3000, 'JPY'],
    ['£12', 12, 'GBP'],
    ['US$ 49.90', 49.9, 'USD'],
    ['1 299,99 €', 1299.99, 'EUR'],
    ['₩15,000', 15000, 'KRW'],
    ['RM 45.00', 45, 'MYR'],
    ["CHF 1'299.50", 1299.5, 'CHF'],
  ])('%s → %d %s', (text, amount, currency) => {
    expect(parsePrice(text)).toEqual({ amount, currency });
  });

  it('reads ¥ as CNY when the hint says so', () => {
    expect(parsePrice('¥99', { currencyHint: 'CNY' })).toEqual({ amount: 99, currency: 'CNY' });
  });
});

describe('parsePrice: errors', () => {
  it.each(['', '   ', 'abc', 'free shipping', '1.2.3,4,5', '$5 €6', '-25%', '12 xyz', '1..000', '2tr USD'])(
    '%j gives a clear error',
    (text) => {
      const result = parsePrice(text);
      expect(result).toHaveProperty('error');
      expect((result as { error: string }).error.length).toBeGreaterThan(5);
    },
  );
});

describe('parsePrice: properties', () => {
  it('never throws on arbitrary text; yields an amount or an error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.option(fc.constantFrom('VND', 'USD', 'CNY', 'x')), (text, hint) => {
        const result = parsePrice(text, hint ? { currencyHint: hint } : {});
        if ('error' in result) expect(typeof result.error).toBe('string');
        else expect(result.amount === null || (Number.isFinite(result.amount) && result.amount >= 0)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips any VND amount written with dot thousands and ₫', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000_000 }), (amount) => {
        const written = `${amount.toLocaleString('de-DE')}₫`;
        expect(parsePrice(written)).toEqual({ amount, currency: 'VND' });
        expect(parsePrice(`${amount.toLocaleString('en-US')} VND`)).toEqual({ amount, currency: 'VND' });
      }),
    );
  });

  it('round-trips cents in both decimal conventions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), (cents) => {
        const amount = cents / 100;
        const en = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        const de = amount.toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
        expect(parsePrice(`$${en}`)).toEqual({ amount, currency: 'USD' });
        expect(parsePrice(`${de} €`)).toEqual({ amount, currency: 'EUR' });
      }),
    );
  });
});

describe('toVnd', () => {
  it('accepts numbers and formatted strings, refuses other currencies', () => {
    expect(toVnd(2_200_000)).toBe(2_200_000);
    expect(toVnd('2.200.000đ')).toBe(2_200_000);
    expect(toVnd('$5')).toBeNull();
    expect(toVnd({})).toBeNull();
    expect(toVnd(-1)).toBeNull();
  });
});
