import { describe, expect, it } from 'vitest';
import { accessoryTokenIndex, brandReasons, detectBrands, isNoBrand } from '../../../scoring/signals/brand.ts';
import { scanLexicon } from '../../../scoring/signals/lexicon.ts';
import { statedBrand } from '../../../scoring/catalog.ts';
import { foldText, tokenize } from '../../../scoring/text/normalize.ts';
import { starterCatalog } from '../helpers.ts';

const catalog = starterCatalog();
function mentions(title: string) {
  const folded = foldText(title);
  const hits = scanLexicon(folded.text);
  return detectBrands(
    title,
    { tokens: tokenize(folded.text), zeroWidth: folded.zeroWidth, lookalikes: folded.lookalikes },
    catalog,
    accessoryTokenIndex(folded.text, hits),
  );
}
const brandOf = (title: string) =>
  mentions(title).map(
    (m) => `${catalog.brands[m.brand]!.name}:${m.form}${m.compatibility ? ':compat' : ''}${m.lookalike ? ':lookalike' : ''}`,
  );
function reasons(title: string, extra: { stated?: string; trusted?: boolean; used?: boolean; low?: boolean } = {}) {
  const folded = foldText(title);
  const claims = scanLexicon(folded.text)
    .filter((h) => h.kind === 'claim')
    .map((h) => h.term);
  return brandReasons({
    catalog,
    mentions: mentions(title),
    statedBrand: statedBrand(catalog, extra.stated ?? null),
    statedBrandText: extra.stated ?? null,
    trustedSeller: extra.trusted ?? false,
    claims,
    priceBelowReference: extra.low ?? false,
    used: extra.used ?? false,
    rawTitle: title,
  }).map((r) => r.code);
}

describe('brand detection', () => {
  it.each([
    ['Giày Nike Air Force 1', 'Nike:plain'],
    ['Túi Louis Vuitton Neverfull', 'Louis Vuitton:plain'],
    ['Túi g u c c i Marmont', 'Gucci:spacing'],
    ['Túi G.U.C.C.I', 'Gucci:spacing'],
    ['Túi Gu cci Marmont', 'Gucci:spacing'],
    ['Giày N1ke Air Max', 'Nike:leet'],
    ['Túi Gucc1', 'Gucci:leet'],
    ['Giày Adidass Superstar', 'Adidas:typo'],
    ['Nước hoa Сhаnel No 5', 'Chanel:homoglyph'],
    ['Túi Gu\u200Bcci', 'Gucci:zero_width'],
    ['Kem chống nắng La Roche-Posay', 'La Roche-Posay:plain'],
    ['Kem Estee Lauder Advanced Night Repair', 'Estée Lauder:plain'],
  ])('%s → %s', (title, expected) => {
    expect(brandOf(title)[0]).toBe(expected);
  });

  it('honest compatibility is marked, not claimed as the brand', () => {
    expect(brandOf('Ốp lưng cho iPhone 15 Pro Max')).toEqual(['Apple:plain:compat']);
    expect(brandOf('Sạc cho Samsung Galaxy 25W')).toEqual(['Samsung:plain:compat', 'Samsung:plain:compat']);
    expect(brandOf('Ốp lưng iPhone 15 silicon')).toEqual(['Apple:plain:compat']);
    expect(brandOf('Cáp sạc dành cho iPhone')).toEqual(['Apple:plain:compat']);
  });

  it('look-alike wording is marked', () => {
    expect(brandOf('Túi xách dáng Gucci')).toEqual(['Gucci:plain:lookalike']);
  });

  it('ordinary words are not read as brands', () => {
    expect(brandOf('Áo thun nam cotton chống nhăn')).toEqual([]);
    expect(brandOf('Kem chống nắng UV protect SPF50')).toEqual([]);
    expect(brandOf('Tất cổ ankle nam')).toEqual([]);
  });
});

describe('brandReasons', () => {
  it('a disguised spelling fires, a plain one does not', () => {
    expect(reasons('Giày N1ke Air Max')).toEqual(['brand.disguised.leet']);
    expect(reasons('Giày Nike Air Max')).toEqual([]);
  });
  it('compatibility and used goods do not fire', () => {
    expect(reasons('Ốp lưng cho iPhone 15 chính hãng')).toEqual([]);
    expect(reasons('iPhone 13 like new chính hãng', { used: true })).toEqual([]);
  });
  it('an authenticity claim fires only for unauthorised sellers', () => {
    expect(reasons('Giày Nike chính hãng')).toEqual(['brand.unauthorised_claim']);
    expect(reasons('Giày Nike chính hãng', { trusted: true })).toEqual([]);
  });
  it('a stated brand that differs from the title brand fires, including "No Brand"', () => {
    expect(reasons('Giày Nike Air Max', { stated: 'Adidas' })).toEqual(['brand.stated_mismatch']);
    expect(reasons('Giày Nike Air Max', { stated: 'No Brand' })).toEqual(['brand.stated_mismatch']);
    expect(reasons('Giày Nike Air Max', { stated: 'Nike' })).toEqual([]);
    expect(isNoBrand('OEM')).toBe(true);
  });
  it('invisible characters inside a word fire even for an uncatalogued brand', () => {
    expect(reasons('Ví Zar\u200Bda da bò')).toEqual(['text.obfuscated.zero_width']);
    expect(reasons('Ví Zаrda da bò')).toEqual(['text.obfuscated.homoglyph']);
  });
  it('a look-alike sale fires', () => expect(reasons('Túi xách dáng Gucci')).toEqual(['brand.lookalike']));
});
