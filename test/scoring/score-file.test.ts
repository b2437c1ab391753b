import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dropUnscoredText, parseScoreFileLine, ScoreFileLineSchema, scoreFile, toItem } from '../../scoring/score-file.ts';
import { scoreBatch, type ScoringItem } from '../../scoring/pipeline.ts';
import { fastScoreFileItem } from '../../scoring/score-file-fast.ts';
import { starterCatalog } from './helpers.ts';

const line = (listing: object, shop: object | null = { id: 's1', name: 'Shop' }) => JSON.stringify({ listing, shop });

describe('score-file line parser', () => {
  it('accepts the documented fields', () => {
    const parsed = parseScoreFileLine(
      line(
        { id: 42, marketplace: 'tiki', title: 'Giày', price_vnd: 100000, original_price_vnd: null, brand: 'Nike' },
        { id: 's', name: 'S', is_official: true, joined_at: '2024-01-01T00:00:00Z', follower_count: 3 },
      ),
    );
    expect(parsed.ok && parsed.item.listing.id).toBe('42');
    expect(parsed.ok && parsed.item.shop?.joinedAtMs).toBe(Date.parse('2024-01-01T00:00:00Z'));
  });
  it('explains what is wrong with a bad line', () => {
    expect(parseScoreFileLine('{')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
    expect(parseScoreFileLine(line({ id: '1', marketplace: 'tiki' }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('listing.title'),
    });
  });
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ listing: v, shop: v })),
        ),
        (input) => {
          const parsed = parseScoreFileLine(input);
          if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});

describe('scoreFile', () => {
  it('scores every valid line, reports invalid ones by line number and keeps going', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-file-'));
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [
        line(
          { id: 'a', marketplace: 'shopee', title: 'Túi Gucci rep 1:1', price_vnd: 500000 },
          { id: 's1', name: 'Túi Đẹp', address: 'Toàn quốc' },
        ),
        'garbage',
        line({ id: 'b', marketplace: 'shopee', title: 'Ốp lưng cho iPhone 15', price_vnd: 50000 }),
        '',
        line({ id: 'c', marketplace: 'shopee' }),
      ].join('\n'),
    );
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const invalid: number[] = [];
    const summary = await scoreFile(input, out, { catalog: starterCatalog(), onInvalid: (n) => invalid.push(n) });
    expect(invalid).toEqual([2, 5]);
    expect(summary).toMatchObject({ scored: 2, invalid: 2, flagged: 1 });
    const lines = chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b']);
    expect(lines[0]).toMatchObject({
      flagged: true,
      reasons: expect.arrayContaining([
        expect.objectContaining({ code: 'lexicon.counterfeit', weight: expect.any(Number), detail: expect.any(String) }),
      ]),
    });
    expect(lines[1].flagged).toBe(false);
  });
});

describe('score-file fast line guard', () => {
  // Mostly valid fields with an occasional value at or past a limit or of the wrong type, so lines
  // that pass every other check reach each field's edge cases.
  const mostly = <T, U>(valid: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) =>
    fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: edge, weight: 1 });
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: arb, weight: 3 }, { arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 });
  const anyValue = fc.oneof(
    fc.string({ maxLength: 3 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
  );
  const text = (max: number) =>
    mostly(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ minLength: max - 1, maxLength: max + 1 }), anyValue));
  const id = mostly(
    fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.nat()),
    fc.oneof(
      fc.constant(''),
      fc.integer({ min: -3, max: -1 }),
      fc.constant(2 ** 53),
      fc.constant(1.5),
      fc.string({ minLength: 199, maxLength: 201 }),
      anyValue,
    ),
  );
  const number = (valid: fc.Arbitrary<number>) =>
    mostly(
      valid,
      fc.oneof(
        fc.integer({ min: -2, max: 10 }),
        fc.double({ min: -1, max: 6 }),
        fc.constant(1e13),
        fc.constant(1e13 + 1),
        fc.constant(2 ** 53),
        fc.constant(-0),
        anyValue,
      ),
    );
  const listing = fc.record(
    {
      id,
      marketplace: mostly(fc.constantFrom('tiki', 'shopee'), fc.oneof(fc.constant(''), text(50))),
      title: mostly(fc.string({ minLength: 1, maxLength: 6 }), fc.oneof(fc.constant(''), text(2000))),
      price_vnd: maybe(number(fc.nat())),
      original_price_vnd: maybe(number(fc.nat())),
      brand: maybe(text(200)),
      category: maybe(text(300)),
      sold_count: maybe(number(fc.nat())),
      url: maybe(text(2000)),
      description: maybe(text(20_000)),
      extra: maybe(anyValue),
    },
    { requiredKeys: ['id', 'marketplace', 'title'] },
  );
  const shop = fc.record(
    {
      id,
      name: mostly(fc.string({ maxLength: 6 }), text(500)),
      address: maybe(text(1000)),
      declared_location: maybe(text(200)),
      is_official: maybe(mostly(fc.boolean(), anyValue)),
      joined_at: maybe(
        mostly(fc.oneof(fc.constant('2024-01-01T00:00:00Z'), fc.constant('yesterday'), fc.integer({ min: 0, max: 2e12 })), text(100)),
      ),
      follower_count: maybe(number(fc.nat())),
      rating: maybe(number(fc.double({ min: 0, max: 5, noNaN: true }))),
      phone: maybe(text(100)),
      tax_code: maybe(text(100)),
    },
    { requiredKeys: ['id', 'name'] },
  );
  const lineValue = fc.oneof(
    { arbitrary: fc.record({ listing, shop: maybe(mostly(shop, anyValue)) }), weight: 8 },
    { arbitrary: fc.jsonValue(), weight: 1 },
  );
  it('accepts only what the zod schema accepts, and builds the same item', () => {
    let accepted = 0;
    fc.assert(
      fc.property(lineValue, (value) => {
        const fast = fastScoreFileItem(value);
        const parsed = ScoreFileLineSchema.safeParse(value);
        if (fast) accepted++;
        if (fast) {
          expect(parsed.success).toBe(true);
          if (parsed.success) expect(fast).toEqual(toItem(parsed.data));
        }
      }),
      { numRuns: 5000 },
    );
    // The generator must reach the fast path often, or the property says little.
    expect(accepted).toBeGreaterThan(500);
  });
  it('takes the fast path for ordinary lines', () => {
    expect(
      fastScoreFileItem({
        listing: { id: 7, marketplace: 'tiki', title: 'Giày', price_vnd: 100000 },
        shop: { id: 's', name: 'S', joined_at: 1_700_000_000 },
      }),
    ).not.toBeNull();
  });
});

describe('score-file drops text no signal reads', () => {
  it('scores the same with the full description and URL as with the condensed description and no URL (if this fails, a signal reads more of them: stop dropping it in scoreFile)', () => {
    const world = [
      { title: 'Giày Nike Air Force 1 rep 1:1', brand: 'Nike', price: 350_000 },
      { title: 'Túi G u c c i hàng Quảng Châu', brand: 'Gucci', price: 500_000 },
      { title: 'Ốp lưng cho iPhone 15', brand: null, price: 50_000 },
      { title: 'Sữa bột Similac chính hãng', brand: 'Similac', price: 900_000 },
    ];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(world.length - 1), fc.string({ maxLength: 80 }), fc.string({ maxLength: 40 })), {
          minLength: 1,
          maxLength: 12,
        }),
        (rows) => {
          const make = (withText: boolean): ScoringItem[] =>
            rows.map(([pick, description, url], i) => ({
              listing: {
                id: String(i),
                marketplace: 'shopee',
                title: world[pick]!.title,
                description: withText
                  ? `${description} ${world[(pick + 1) % world.length]!.title} chính hãng fake, không phải hàng rep, viên nhai, túi xách tay, hàng xách tay Nhật, đã qua sử dụng`
                  : null,
                priceVnd: world[pick]!.price,
                originalPriceVnd: null,
                brand: world[pick]!.brand,
                category: null,
                soldCount: null,
                url: withText ? `/p/${url}-gucci-rep` : null,
              },
              shop: {
                marketplace: 'shopee',
                id: `s${i % 3}`,
                name: `Shop ${i % 3}`,
                address: null,
                declaredLocation: null,
                isOfficial: false,
                joinedAtMs: null,
                followerCount: null,
                rating: null,
                phone: null,
                taxCode: null,
              },
            }));
          const withText = make(true);
          for (const item of withText) dropUnscoredText(item);
          expect(scoreBatch(withText, { catalog: starterCatalog(), nowMs: 0 }).listings).toEqual(
            scoreBatch(make(true), { catalog: starterCatalog(), nowMs: 0 }).listings,
          );
        },
      ),
      { numRuns: 50 },
    );
  });
});
