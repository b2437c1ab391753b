import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  looksLikeShopeeRawPrice,
  normaliseMarketplace,
  parseBoolText,
  parseCountText,
  parseDateText,
  parseVndText,
  phoneFromNumber,
  taxCodeFromNumber,
} from '../../scoring/input-coerce.ts';
import { parseScoreFileLine, InputNotes } from '../../scoring/score-file.ts';

describe('input coercion', () => {
  it('reads VND text', () => {
    expect(parseVndText('2.200.000đ')).toBe(2_200_000);
    expect(parseVndText('2,200,000 ₫')).toBe(2_200_000);
    expect(parseVndText('1.250.000 VND')).toBe(1_250_000);
    expect(parseVndText('150k')).toBe(150_000);
    expect(parseVndText('1,5tr')).toBe(1_500_000);
    expect(parseVndText('99000')).toBe(99_000);
    expect(parseVndText('liên hệ')).toBeNull();
  });
  it('reads sold counts as marketplaces show them', () => {
    expect(parseCountText('1,2k')).toBe(1200);
    expect(parseCountText('1.2K đã bán')).toBe(1200);
    expect(parseCountText('10k+')).toBe(10_000);
    expect(parseCountText('523')).toBe(523);
    expect(parseCountText('1.234')).toBe(1234);
    expect(parseCountText('nhiều')).toBeNull();
  });
  it('reads flags, numeric phones and tax codes', () => {
    expect(parseBoolText('true')).toBe(true);
    expect(parseBoolText('FALSE')).toBe(false);
    expect(parseBoolText(1)).toBe(true);
    expect(parseBoolText('maybe')).toBeNull();
    expect(phoneFromNumber(912345678)).toBe('0912345678');
    expect(phoneFromNumber(84912345678)).toBe('+84912345678');
    expect(taxCodeFromNumber(100109106)).toBe('0100109106');
  });
  it('reads dates as ISO or day/month/year, never month/day/year', () => {
    expect(parseDateText('12/05/2024')).toBe(Date.UTC(2024, 4, 12));
    expect(parseDateText('25/12/2024')).toBe(Date.UTC(2024, 11, 25));
    expect(parseDateText('1.6.2023 08:30')).toBe(Date.UTC(2023, 5, 1, 8, 30));
    expect(parseDateText('2024-05-12')).toBe(Date.UTC(2024, 4, 12));
    expect(parseDateText('31/02/2024')).toBeNull();
    expect(parseDateText('12/25/2024')).toBeNull();
  });
  it('normalises marketplace names', () => {
    expect(normaliseMarketplace('Shopee')).toBe('shopee');
    expect(normaliseMarketplace('shopee.vn')).toBe('shopee');
    expect(normaliseMarketplace('TikTok Shop')).toBe('tiktok');
    expect(normaliseMarketplace('tiktok_shop')).toBe('tiktok');
    expect(normaliseMarketplace('https://www.lazada.vn/')).toBe('lazada');
    expect(normaliseMarketplace('amazon')).toBeNull();
  });
  it('detects Shopee raw prices', () => {
    expect(looksLikeShopeeRawPrice('shopee', 25_900_000_000)).toBe(true);
    expect(looksLikeShopeeRawPrice('shopee', 259_000)).toBe(false);
    expect(looksLikeShopeeRawPrice('tiki', 25_900_000_000)).toBe(false);
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        parseVndText(text);
        parseCountText(text);
        parseBoolText(text);
        parseDateText(text);
        normaliseMarketplace(text);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('score-file lines users really have', () => {
  const line = (listing: Record<string, unknown>, shop: Record<string, unknown> = { id: 's', name: 'Shop' }) =>
    JSON.stringify({ listing: { id: '1', marketplace: 'shopee', title: 'Giày Nike', ...listing }, shop });
  it('coerces and reports each coercion', () => {
    const notes = new InputNotes();
    const parsed = parseScoreFileLine(
      line(
        { marketplace: 'Shopee', price_vnd: '2.200.000đ', sold_count: '1,2k' },
        { id: 's', name: 'S', is_official: 'true', phone: 912345678, tax_code: 100109106, joined_at: '12/05/2024' },
      ),
      notes,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.item.listing).toMatchObject({ marketplace: 'shopee', priceVnd: 2_200_000, soldCount: 1200 });
    expect(parsed.item.shop).toMatchObject({
      isOfficial: true,
      phone: '0912345678',
      taxCode: '0100109106',
      joinedAtMs: Date.UTC(2024, 4, 12),
    });
    expect([...notes.coercions.keys()].length).toBeGreaterThanOrEqual(7);
  });
  it('reads "25/12/2024" through the fast path too, as day/month/year', () => {
    const parsed = parseScoreFileLine(line({ price_vnd: 100_000 }, { id: 's', name: 'S', joined_at: '25/12/2024' }));
    expect(parsed.ok && parsed.item.shop!.joinedAtMs).toBe(Date.UTC(2024, 11, 25));
  });
  it('refuses Shopee raw prices with the fix', () => {
    const parsed = parseScoreFileLine(line({ price_vnd: 25_900_000_000 }));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain('divide Shopee prices by 100000');
  });
  it('warns about unknown marketplaces instead of staying silent', () => {
    const notes = new InputNotes();
    expect(parseScoreFileLine(line({ marketplace: 'amazon', price_vnd: 99_000 }), notes).ok).toBe(true);
    expect([...notes.warnings.keys()].join()).toContain('amazon');
  });
});
