import { describe, expect, it } from 'vitest';
import { compileCatalog, parseCatalogText } from '../../scoring/catalog.ts';
import { SCORING_CONFIG } from '../../scoring/config.ts';
import { scoreBatch, SCORING_VERSION } from '../../scoring/pipeline.ts';
import { scoreFromEvidence } from '../../scoring/reason.ts';
import { item, starterCatalog } from './helpers.ts';

const catalog = starterCatalog();
const now = Date.parse('2026-11-01T00:00:00Z');
const score = (items: ReturnType<typeof item>[]) => scoreBatch(items, { catalog, nowMs: now });

describe('scoring pipeline', () => {
  it('has a version and a documented default threshold', () => {
    expect(SCORING_VERSION).toMatch(/^v\d/);
    expect(SCORING_CONFIG.leadThreshold).toBe(70);
    expect(SCORING_CONFIG.redThreshold).toBe(80);
  });

  it('a blatant counterfeit from a virtual shop scores high, with reasons strongest first', () => {
    const result = score([
      item(
        { id: '1', title: 'Giày Nike Air Force 1 rep 1:1', priceVnd: 350_000 },
        { id: 's1', address: 'Toàn quốc', phone: null, taxCode: null },
      ),
    ]);
    const scored = result.listings[0]!;
    expect(scored.flagged).toBe(true);
    expect(scored.score).toBeGreaterThan(SCORING_CONFIG.redThreshold);
    const weights = scored.reasons.map((r) => r.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(scored.reasons.map((r) => r.code)).toEqual(expect.arrayContaining(['lexicon.counterfeit', 'price.far_below_reference']));
    for (const reason of scored.reasons) {
      expect(reason.en.length).toBeGreaterThan(0);
      expect(reason.vi.length).toBeGreaterThan(0);
    }
    expect(scored.referencePriceVnd).toBe(2_900_000);
  });

  it.each([
    ['honest compatibility', { id: '2', title: 'Ốp lưng cho iPhone 15 Pro Max', priceVnd: 45_000 }],
    ['a charger for Samsung', { id: '3', title: 'Sạc nhanh cho Samsung 25W', priceVnd: 90_000 }],
    ['used goods', { id: '4', title: 'iPhone 13 like new 99% chính hãng', priceVnd: 6_000_000 }],
    ['a decant', { id: '5', title: 'Nước hoa Chanel Bleu chiết 10ml', priceVnd: 250_000 }],
    ['a handbag', { id: '6', title: 'Túi xách tay nữ da PU', priceVnd: 250_000 }],
    ['an unbranded cheap good', { id: '7', title: 'Áo thun nam cotton', priceVnd: 80_000 }],
  ])('%s stays below the threshold', (_name, listing) => {
    const result = score([item(listing, { id: 's2' })]);
    expect(result.listings[0]!.flagged).toBe(false);
  });

  it('the official store selling at a sale price is not flagged', () => {
    const result = score([
      item(
        { id: '8', title: 'Giày Nike Air Force 1 chính hãng', priceVnd: 2_000_000, originalPriceVnd: 2_900_000 },
        { id: 'nike-official', isOfficial: true },
      ),
    ]);
    expect(result.listings[0]!.score).toBeLessThan(20);
  });

  it('shop facts alone never make a lead', () => {
    const result = score([
      item(
        { id: '9', title: 'Áo thun nam cotton', priceVnd: 80_000 },
        { id: 's3', address: null, phone: 'abc', taxCode: '0300588568', joinedAtMs: now - 86_400_000, followerCount: 0 },
      ),
    ]);
    expect(result.listings[0]!.evidence).toBeLessThanOrEqual(SCORING_CONFIG.identity.shopRiskCap);
    expect(result.listings[0]!.score).toBe(scoreFromEvidence(result.listings[0]!.evidence));
    expect(result.listings[0]!.flagged).toBe(false);
  });

  it('one risky network member raises the others', () => {
    const items = [
      item({ id: '10', title: 'Giày Nike rep 1:1 siêu cấp', priceVnd: 400_000 }, { id: 'bad', phone: '0912345678', address: 'Toàn quốc' }),
      item(
        { id: '11', title: 'Giày Nike Air Max chính hãng', priceVnd: 1_900_000 },
        {
          id: 'sister',
          marketplace: 'lazada',
          phone: '+84 912 345 678',
          address: '5 Trần Phú, Phường Hà Đông, Hà Nội',
          taxCode: '0100109106',
        },
      ),
      item(
        { id: '12', title: 'Giày Nike Air Max chính hãng', priceVnd: 1_900_000 },
        { id: 'loner', phone: '0987654321', address: '9 Nguyễn Trãi, Phường Thanh Xuân, Hà Nội', taxCode: '0101248141' },
      ),
    ];
    const result = score(items);
    expect(result.networks).toHaveLength(1);
    const sister = result.listings[1]!;
    const loner = result.listings[2]!;
    expect(sister.reasons.map((r) => r.code)).toContain('network.risky_member');
    expect(sister.evidence).toBe(loner.evidence + SCORING_CONFIG.network.riskyMember);
    expect(sister.score).toBe(scoreFromEvidence(loner.evidence + SCORING_CONFIG.network.riskyMember));
    expect(sister.baseScore).toBe(loner.score);
    expect(sister.reasons.find((r) => r.code === 'network.risky_member')!.detail).toContain('phone +84912345678');
  });

  it('an authorised seller in the catalogue may claim "chính hãng"; the same shop id on another marketplace may not', () => {
    const file = parseCatalogText(
      'brands:\n  - name: Nike\n    aliases: []\n    categories: [footwear]\n    official_shops: [{ marketplace: shopee, shop_id: "88" }, { marketplace: tiki, shop_id: "nike-vn" }]\n',
    );
    const withSellers = compileCatalog(file);
    const listing = { title: 'Giày Nike Air Max chính hãng', priceVnd: 1_900_000 };
    const result = scoreBatch(
      [
        item({ id: 'a', ...listing }, { id: '88' }),
        item({ id: 'b', marketplace: 'lazada', ...listing }, { id: '88', marketplace: 'lazada' }),
        item({ id: 'c', ...listing }, { id: 'nike-vn' }),
      ],
      { catalog: withSellers, nowMs: now },
    );
    const codes = result.listings.map((scored) => scored.reasons.map((r) => r.code));
    expect(codes[0]).toContain('identity.authorised_seller');
    expect(codes[0]).not.toContain('brand.unauthorised_claim');
    for (const other of [codes[1], codes[2]]) {
      expect(other).toContain('brand.unauthorised_claim');
      expect(other).not.toContain('identity.authorised_seller');
    }
  });

  it('peer statistics use the whole batch', () => {
    const peers = Array.from({ length: 12 }, (_, i) =>
      item(
        { id: `p${i}`, title: 'Đồng hồ Casio MTP-1374', priceVnd: 1_500_000 + i * 10_000 },
        { id: `ps${i}`, name: `Đồng hồ ${'abcdefghijkl'[i]} ${i * 7919}` },
      ),
    );
    const cheap = item({ id: 'cheap', title: 'Đồng hồ Casio MTP-1374', priceVnd: 300_000 }, { id: 'cs' });
    const result = score([...peers, cheap]);
    expect(result.listings.at(-1)!.reasons.map((r) => r.code)).toContain('price.below_peers');
    expect(result.listings[0]!.reasons.map((r) => r.code)).not.toContain('price.below_peers');
  });
});
