import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileCatalog, extendCatalog, loadCatalogFile, parseCatalogText } from '../../../scoring/catalog.ts';
import { analyseListing, scoreBatch } from '../../../scoring/pipeline.ts';
import { condenseDescription, listingContext } from '../../../scoring/signals/context.ts';
import { scanLexicon } from '../../../scoring/signals/lexicon.ts';
import { matchReference } from '../../../scoring/signals/price.ts';
import { foldText, tokenize } from '../../../scoring/text/normalize.ts';
import { packSize, packUnits } from '../../../scoring/text/quantity.ts';
import { item, scoringListing } from '../helpers.ts';

const catalog = compileCatalog(loadCatalogFile(new URL('../../../eval/labelled/catalog.yaml', import.meta.url).pathname));
const NOW = Date.parse('2026-11-30T00:00:00Z');
/** A well-documented shop, so only the listing's own evidence decides. */
const goodShop = { id: 'good', taxCode: '0300588569' };

function score(listing: Parameters<typeof scoringListing>[0], shop: { id: string; isOfficial?: boolean } = goodShop) {
  const result = scoreBatch([item(listing, shop)], { catalog, nowMs: NOW }).listings[0]!;
  return { score: result.score, codes: result.reasons.filter((r) => r.weight !== 0).map((r) => r.code), reasons: result.reasons };
}
const brandsOf = (title: string, category: string | null = null) =>
  analyseListing(scoringListing({ id: 'x', title, category }), catalog).mentions.map(
    (m) => `${catalog.brands[m.brand]!.name}${m.compatibility ? ':compat' : ''}`,
  );

describe('denials', () => {
  it.each([
    'Giày Nike Air Force 1 - Shop không kinh doanh hàng fake',
    'Nước hoa Dior Sauvage - đây không phải hàng rep',
    'Giày Adidas Samba - no fake, no rep',
    'Sữa Similac 900g cam kết không hàng nhái',
    'Mũ MLB chính hãng (không phải hàng Quảng Châu)',
    'Bioderma 500ml - đền gấp đôi nếu phát hiện hàng fake',
    'Giày Nike Dunk - phân biệt hàng thật hàng rep',
    'Sữa Ensure 850g - shop không bán hàng xách tay',
  ])('a denial does not fire the lexicon: %s', (title) => {
    const kinds = scanLexicon(foldText(title).text).map((hit) => hit.kind);
    expect(kinds.filter((kind) => kind === 'fake' || kind === 'fake_with_brand' || kind === 'laundering' || kind === 'smuggling')).toEqual(
      [],
    );
  });
  it('an offer still fires it, also after an unrelated "không"', () => {
    expect(scanLexicon(foldText('Giày Nike không lo bong keo, rep 1:1').text).map((h) => h.kind)).toContain('fake');
    expect(scanLexicon(foldText('Túi LV hàng rep cao cấp').text).map((h) => h.kind)).toContain('fake');
  });
  it('a denial stays neutral: it adds nothing and takes nothing away', () => {
    const plain = score({ id: '1', title: 'Giày Nike Air Force 1 trắng', priceVnd: 2_600_000 });
    const denied = score({ id: '1', title: 'Giày Nike Air Force 1 trắng - không bán hàng fake', priceVnd: 2_600_000 });
    expect(denied.score).toBe(plain.score);
  });
});

describe('descriptions', () => {
  it('evidence only in the description counts with its own lower weight and says so', () => {
    const r = score({ id: '1', title: 'Giày Adidas Samba OG', priceVnd: 2_400_000, description: 'Hàng rep 1:1 chuẩn trung, full box' });
    const reason = r.reasons.find((x) => x.code === 'description.counterfeit')!;
    expect(reason.detail).toContain('in the description');
    expect(reason.weight).toBeLessThan(62);
    expect(
      score({ id: '1', title: 'Giày Adidas Samba OG', priceVnd: 2_400_000, description: 'Đền gấp đôi nếu phát hiện hàng fake' }).codes,
    ).not.toContain('description.counterfeit');
  });
  it('does not count twice what the title already says', () => {
    const r = score({ id: '1', title: 'Giày Adidas Samba rep 1:1', priceVnd: 2_400_000, description: 'hàng rep' });
    expect(r.codes).toContain('lexicon.counterfeit');
    expect(r.codes).not.toContain('description.counterfeit');
  });
  it('the condensed description scores exactly like the full one', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(
          '',
          ' hàng rep 1:1',
          ' không phải hàng fake',
          ' hàng xách tay Nhật',
          ' đã qua sử dụng',
          ' VNXK xuất dư',
          ' viên nhai',
        ),
        (noise, phrase) => {
          const description = `${noise}${phrase}`;
          const full = analyseListing(scoringListing({ id: '1', title: 'Giày Adidas Samba OG', description }), catalog).context;
          const condensed = analyseListing(
            scoringListing({ id: '1', title: 'Giày Adidas Samba OG', description: condenseDescription(description) }),
            catalog,
          ).context;
          expect(condensed).toEqual(full);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('word sense', () => {
  it.each([
    ['Mô hình con báo Puma đen nhựa PVC 15cm', 'Đồ Chơi'],
    ['Xoài sấy dẻo Mango Cam Ranh túi 500g', 'Bách Hóa Online > Thực phẩm'],
    ['Sách Jaguar - Báo đốm châu Mỹ', 'Nhà Sách Online'],
    ['Giấm táo hữu cơ Apple Cider Vinegar Bragg 946ml', null],
    ['Sách Football Coach Handbook', null],
  ])('an ordinary word is not the brand without support: %s', (title, category) => {
    expect(brandsOf(title, category)).toEqual([]);
  });
  it('the product context supports the brand reading', () => {
    expect(brandsOf('Giày Puma Suede Classic')).toEqual(['Puma']);
    expect(brandsOf('Đầm midi Mango cổ vuông')).toEqual(['Mango']);
    expect(brandsOf('Nước hoa Jaguar Classic Black 100ml')).toEqual(['Jaguar']);
    expect(brandsOf('Sạc Apple 20W')).toEqual(['Apple']);
  });
  it('"Omega 3" fish oil is not an Omega watch', () => {
    expect(brandsOf('Dầu cá Blackmores Omega 3 Fish Oil 400 viên')).toEqual(['Blackmores']);
  });
  it('a stated brand that is an ordinary word needs the same support', () => {
    const features = analyseListing(scoringListing({ id: '1', title: 'Xoài sấy dẻo túi 500g', brand: 'Mango' }), catalog);
    expect(features.brand).toBe(-1);
  });
});

describe('typo matching', () => {
  it("brands borrowed from listings' brand fields get no typo matching", () => {
    const extended = extendCatalog(catalog, ['Basics', 'Sweety']);
    for (const title of ['Áo thun basic form rộng', 'Kẹo sweet mix vị trái cây']) {
      expect(analyseListing(scoringListing({ id: '1', title }), extended).mentions).toEqual([]);
    }
    expect(analyseListing(scoringListing({ id: '1', title: 'Áo thun Basics trơn' }), extended).mentions).toHaveLength(1);
  });
  it('common English words are not typos of brands', () => {
    expect(brandsOf('Nước hoa Chanel Chance EDT 100ml')).toEqual(['Chanel']);
    expect(brandsOf('Giày Nike Dunk Low Panda')).toEqual(['Nike']);
  });
});

describe('compatibility', () => {
  it.each([
    ['Đầu hút bàn chải phù hợp máy hút bụi Dyson V11 V15', 'Dyson:compat'],
    ['Dây đồng hồ da cho Casio MTP 20mm', 'Casio:compat'],
    ['Miếng dán màn hình cho đồng hồ Casio G-Shock', 'Casio:compat,Casio:compat'],
    ['Túi đựng tai nghe Sony WH-1000XM5 chống sốc', 'Sony:compat'],
    ['Ốp Airpods Pro 2 hình gấu', 'Apple:compat'],
  ])('%s', (title, expected) => {
    expect(brandsOf(title).join(',')).toEqual(expected);
  });
  it('a brand right after a compatibility mention continues it', () => {
    expect(brandsOf('Lót giày êm chân dùng cho giày Nike Adidas')).toEqual(['Nike:compat', 'Adidas:compat']);
  });
  it('other words between "cho" and the brand break the reading', () => {
    expect(brandsOf('Nước hoa cho nam Dior Sauvage 100ml')).toEqual(['Dior']);
  });
  it('"No Brand" with a compatibility reading is consistent, an own brand is not', () => {
    expect(score({ id: '1', title: 'Ốp lưng dẻo cho iPhone 14 Pro', brand: 'No Brand', priceVnd: 59_000 }).codes).not.toContain(
      'brand.stated_mismatch',
    );
    expect(score({ id: '1', title: 'Giày Nike Air Force 1', brand: 'No Brand', priceVnd: 2_600_000 }).codes).toContain(
      'brand.stated_mismatch',
    );
  });
});

describe('condition', () => {
  it.each([
    'AirPods Pro 2 hàng lướt 95% fullbox',
    'Túi Coach Tabby đã dùng vài lần',
    'Giày Nike Air Force 1 2hand size 42',
    'Đồng hồ Casio G-Shock cũ 90%',
    'Dong ho Casio G-Shock cu 90%',
  ])('reads %s as used', (title) => {
    expect(analyseListing(scoringListing({ id: '1', title }), catalog).context.condition).toBe('used');
  });
  it('reads the condition field first', () => {
    const features = analyseListing({ ...scoringListing({ id: '1', title: 'Túi Gucci Marmont' }), condition: 'used' }, catalog);
    expect(features.context.condition).toBe('used');
  });
  it('"đa dụng" and "lượt bán" are not second-hand', () => {
    expect(analyseListing(scoringListing({ id: '1', title: 'Kệ đa dụng 3 tầng 1k lượt bán' }), catalog).context.condition).toBe('new');
  });
  it('a fair used price is not suspicious; a few percent of retail is, even used', () => {
    expect(score({ id: '1', title: 'Túi Gucci Marmont small secondhand', priceVnd: 9_500_000 }).score).toBeLessThan(70);
    expect(score({ id: '1', title: 'Túi Gucci Marmont small secondhand', priceVnd: 900_000 }).codes).toContain('price.far_below_used');
  });
});

describe('product-group prices', () => {
  it('a consumable far below the distributor price is strong evidence by itself', () => {
    const r = score({ id: '1', title: 'Sữa bột Similac IQ 4 900g', priceVnd: 390_000 });
    expect(r.codes).toContain('price.below_group_floor');
    expect(r.score).toBeGreaterThanOrEqual(70);
    expect(score({ id: '1', title: 'Sữa bột Similac IQ 4 900g', priceVnd: 690_000 }).score).toBeLessThan(70);
  });
  it('luxury at a few percent of retail is a lead by itself', () => {
    expect(score({ id: '1', title: 'Túi xách nữ Gucci Marmont', priceVnd: 1_200_000 }).score).toBeGreaterThanOrEqual(70);
  });
  it('compares packs per unit and sizes pro rata', () => {
    expect(score({ id: '1', title: 'Combo 3 hộp sữa Similac 900g', priceVnd: 1_150_000 }).codes).toContain('price.below_group_floor');
    expect(score({ id: '1', title: 'Combo 3 hộp sữa Similac 900g', priceVnd: 2_050_000 }).score).toBeLessThan(70);
    expect(score({ id: '1', title: 'Combo 2 chai Bioderma Sensibio H2O 250ml', priceVnd: 400_000 }).score).toBeLessThan(70);
    expect(score({ id: '1', title: 'Nước hoa Chanel Chance EDT 50ml', priceVnd: 2_500_000 }).score).toBeLessThan(70);
  });
  it('reads pack counts and sizes', () => {
    const units = (title: string, keyword: string | null = null) => packUnits(tokenize(foldText(title).text), keyword);
    expect(units('Combo 3 hộp sữa Similac')).toBe(3);
    expect(units('Thùng 24 lon bia')).toBe(24);
    expect(units('Thuốc lá Marlboro đỏ cây 10 gói', 'cay')).toBe(1);
    expect(units('Sale 12.12 | Túi Coach Tabby')).toBe(1);
    expect(units('Panadol Extra hộp 15 vỉ x 12 viên')).toBe(1);
    expect(packSize('nhot shell 0.8l')).toEqual({ amount: 800, unit: 'ml' });
    expect(packSize('sua similac 900g')).toEqual({ amount: 900, unit: 'g' });
  });
  it('uses the row whose keyword matched the title, and says which', () => {
    const file = parseCatalogText(`brands:
  - name: Apple
    aliases: [iphone]
    reference_prices:
      - { match: "iphone 15|iphone 16 pro max", min_vnd: 15000000, typical_vnd: 20000000 }
      - { match: "iphone 15 pro", min_vnd: 22000000, typical_vnd: 26000000 }
`);
    const apple = compileCatalog(file).brands[0]!;
    const row = matchReference(' iphone 15 pro 256gb ', apple.referencePrices, apple.fallbackPrice)!;
    expect(row.typicalVnd).toBe(26_000_000);
    expect(row.matched).toBe('iphone 15 pro');
    const r = score({ id: '1', title: 'Đồng hồ Rolex Datejust 41', priceVnd: 3_900_000 });
    expect(r.reasons.find((x) => x.code === 'price.luxury_fraction')!.detail).toContain('Rolex retail');
  });
});

describe('symbol substitutions', () => {
  it.each([
    ["Nước hoa D!or J'adore 100ml", 'Dior'],
    ['Túi Guc|ci Marmont mini', 'Gucci'],
    ['Serum Est€e Lauder Advanced Night Repair', 'Estée Lauder'],
    ['Son Ch@n€l Rouge Allure', 'Chanel'],
    ['Ví C.h.@.n.e.l nữ da caviar', 'Chanel'],
    ['Đồng hồ R.0.L.E.X Daytona', 'Rolex'],
  ])('%s', (title, brand) => {
    const features = analyseListing(scoringListing({ id: '1', title }), catalog);
    expect(features.mentions.map((m) => `${catalog.brands[m.brand]!.name}:${m.form !== 'plain'}`)).toContain(`${brand}:true`);
  });
});

describe('never throws', () => {
  it('on arbitrary titles, descriptions, categories and brands', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.option(fc.string({ maxLength: 2000 })),
        fc.option(fc.string({ maxLength: 60 })),
        fc.option(fc.string({ maxLength: 30 })),
        (title, description, category, brand) => {
          const listing = scoringListing({ id: '1', title, description, category, brand });
          const features = analyseListing(listing, catalog);
          expect(features.context.units).toBeGreaterThanOrEqual(1);
          listingContext(
            listing,
            foldText(title).text,
            tokenize(foldText(title).text),
            scanLexicon(foldText(title).text),
            catalog,
            features.brand,
            features.reference,
          );
          expect(
            scoreBatch([item({ ...listing, title: title || 'x' }, { id: 's', address: description })], { catalog, nowMs: NOW }).listings,
          ).toHaveLength(1);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('matchReference', () => {
  it('gives exactly the longest-matching-keyword row of the plain definition', async () => {
    const { matchReferenceReference } = await import('../../../scoring/signals/price.ts');
    const words = [
      'iphone',
      '15',
      'pro',
      'max',
      'sac',
      'cap',
      'airpods',
      'watch',
      'giay',
      'tui',
      'air',
      'force',
      '1',
      'jordan',
      'nuoc',
      'hoa',
      'son',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 10 }), (tokens) => {
        const spaced = ` ${tokens.join(' ')} `;
        for (const brand of catalog.brands) {
          expect(matchReference(spaced, brand.referencePrices, brand.fallbackPrice)).toBe(
            matchReferenceReference(spaced, brand.referencePrices, brand.fallbackPrice),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
