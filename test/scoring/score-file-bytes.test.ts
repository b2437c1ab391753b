import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dropUnscoredText,
  Latin1LineParser,
  parseScoreFileLine,
  scoreFile,
  scoreItems,
  type ParsedLine,
} from '../../scoring/score-file.ts';
import { utf8FromLatin1 } from '../../scoring/io/recode.ts';
import { starterCatalog } from './helpers.ts';

/** What score-file did before it read bytes: decode the line as UTF-8, skip it if blank, parse, drop unread text. */
function viaUtf8(bytes: Buffer): ParsedLine | null {
  const line = bytes.toString('utf8');
  if (line.charCodeAt(0) !== 0x7b && line.trim() === '') return null;
  const parsed = parseScoreFileLine(line);
  if (parsed.ok) dropUnscoredText(parsed.item);
  return parsed;
}

const latin1 = (bytes: Buffer): string => bytes.toString('latin1');

/** Text with Vietnamese, look-alike and invisible characters, quotes, backslashes and astral symbols. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.constantFrom('Giày Nike chính hãng', 'Túi \u200bGucci', 'Sіmilac', '"quoted" \\ back', 'Đồng Nai', '😀 emoji', ''),
  );

const lineValue = fc.record(
  {
    listing: fc.record(
      {
        id: fc.oneof(text(8), fc.nat()),
        marketplace: fc.oneof(fc.constantFrom('shopee', 'tiki'), text(4)),
        title: text(30),
        price_vnd: fc.oneof(fc.nat(), fc.constant(null)),
        brand: fc.oneof(text(10), fc.constant(null)),
        category: fc.oneof(text(10), fc.constant(null)),
        url: fc.oneof(text(20), fc.constant(null)),
        description: fc.oneof(text(40), fc.constant(null)),
      },
      { requiredKeys: ['id', 'marketplace', 'title'] },
    ),
    shop: fc.oneof(
      fc.constant(null),
      fc.record(
        {
          id: fc.oneof(text(6), fc.nat()),
          name: text(20),
          address: fc.oneof(text(30), fc.constant(null)),
          declared_location: text(10),
          joined_at: fc.oneof(fc.constant('2024-01-01T00:00:00Z'), text(12), fc.nat()),
          phone: text(12),
          tax_code: text(12),
        },
        { requiredKeys: ['id', 'name'] },
      ),
    ),
  },
  { requiredKeys: ['listing'] },
);

/** A line's bytes: well-formed JSON, or JSON bent the ways real files are (escapes, stray bytes, BOM, blanks). */
const lineBytes = fc.oneof(
  { arbitrary: lineValue.map((value) => Buffer.from(JSON.stringify(value), 'utf8')), weight: 6 },
  // Non-ASCII written as \u escapes (JSON.stringify leaves no raw character below a space).
  {
    arbitrary: lineValue.map((value) =>
      Buffer.from(
        JSON.stringify(value).replace(/[^ -\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`),
        'utf8',
      ),
    ),
    weight: 1,
  },
  // A stray byte anywhere: invalid UTF-8 inside a string, or broken JSON.
  {
    arbitrary: fc.tuple(lineValue, fc.nat(), fc.integer({ min: 0x20, max: 0xff })).map(([value, at, byte]) => {
      const bytes = Buffer.from(JSON.stringify(value), 'utf8');
      const cut = at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, cut), Buffer.from([byte]), bytes.subarray(cut)]);
    }),
    weight: 2,
  },
  { arbitrary: lineValue.map((value) => Buffer.from(`\ufeff${JSON.stringify(value)}`, 'utf8')), weight: 1 },
  {
    arbitrary: fc
      .constantFrom('', '   ', '\t', '\u00a0', '\u3000', '\ufeff', ' {}', '{', '[]', 'null')
      .map((line) => Buffer.from(line, 'utf8')),
    weight: 1,
  },
  {
    arbitrary: fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes.filter((byte) => byte !== 0x0a && byte !== 0x0d))),
    weight: 1,
  },
);

describe('score-file reads lines as bytes', () => {
  it('decodes a latin1 string of UTF-8 bytes as Buffer#toString would, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        expect(utf8FromLatin1(buffer.toString('latin1'))).toBe(buffer.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('parses every line exactly as decoding it as UTF-8 first would: same item, same error, same blank lines', () => {
    fc.assert(
      fc.property(lineBytes, (bytes) => {
        const expected = viaUtf8(bytes);
        const actual = new Latin1LineParser().parse(latin1(bytes));
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('shares the first copy of a shop among its lines and decodes its text once', () => {
    const parser = new Latin1LineParser();
    const line = (id: string, name: string) =>
      latin1(Buffer.from(JSON.stringify({ listing: { id, marketplace: 'shopee', title: 'Giày' }, shop: { id: 's1', name } }), 'utf8'));
    const first = parser.parse(line('1', 'Cửa hàng Đẹp'));
    const second = parser.parse(line('2', 'Renamed'));
    expect(first?.ok && second?.ok).toBe(true);
    if (first?.ok && second?.ok) {
      expect(second.item.shop).toBe(first.item.shop);
      expect(first.item.shop?.name).toBe('Cửa hàng Đẹp');
    }
  });

  it('writes exactly the bytes of JSON.stringify for every result', async () => {
    const titles = [
      'Giày Nike Air Force 1 rep 1:1',
      'Túi G u c c i hàng Quảng Châu',
      'Ốp lưng cho iPhone 15',
      'Sữa bột Similac chính hãng',
      'Nước hoa Dior "Sauvage" \\ fake',
    ];
    const row = fc.record({
      id: text(6),
      title: fc.tuple(fc.constantFrom(...titles), text(6)).map(([title, tail]) => `${title} ${tail}`),
      price: fc.constantFrom(50_000, 350_000, 900_000, 123_457, 4_000_000),
      shop: fc.nat(4),
      shopName: text(10),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 25 }), async (rows) => {
        const lines = rows.map((r) =>
          JSON.stringify({
            listing: { id: r.id || 'x', marketplace: 'shopee', title: r.title, price_vnd: r.price, original_price_vnd: r.price * 4 },
            shop: { id: `s${r.shop}`, name: r.shopName, address: 'Toàn quốc' },
          }),
        );
        const dir = mkdtempSync(join(tmpdir(), 'score-file-bytes-'));
        const input = join(dir, 'in.jsonl');
        writeFileSync(input, `${lines.join('\n')}\n`);
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on('data', (chunk: Buffer) => chunks.push(chunk));
        await scoreFile(input, out, { catalog: starterCatalog(), nowMs: 1.7e12 });
        const items = lines.map((line) => {
          const parsed = viaUtf8(Buffer.from(line, 'utf8'));
          if (!parsed?.ok) throw new Error('test line did not parse');
          return parsed.item;
        });
        // Later lines of a shop use its first line's copy, as score-file does.
        const firstShop = new Map<string, (typeof items)[number]['shop']>();
        for (const item of items)
          if (item.shop) item.shop = firstShop.get(item.shop.id) ?? (firstShop.set(item.shop.id, item.shop), item.shop);
        const expected = scoreItems(items, { catalog: starterCatalog(), nowMs: 1.7e12 })
          .map((line) => `${JSON.stringify(line)}\n`)
          .join('');
        expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });
});
