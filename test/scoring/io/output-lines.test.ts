import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Reason } from '../../../src/core/domain/reasons.ts';
import { ChunkedLineWriter, OutputLineEncoder, outputLineReference, type ScoreFileOutput } from '../../../scoring/io/output-lines.ts';
import { SCORING_CONFIG } from '../../../scoring/config.ts';
import type { ScoringItem } from '../../../scoring/pipeline.ts';

/** Text JSON must escape or encode: quotes, backslashes, control characters, Vietnamese, astral and lone surrogates. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom('Giày "Nike" \\ chính hãng', 'tab\there', 'line\nbreak', '\u0001\u001f\u007f', '😀', '\ud800', 'Đồng Nai'),
  );
const number = fc.oneof(
  fc.integer({ min: -100, max: 100 }),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 1e21, 1.5e-7, Infinity, -Infinity, NaN),
);
const reason = fc.record({
  code: fc.oneof(
    fc.constantFrom(
      'address.placeholder',
      'identity.new_shop',
      'network.risky_member',
      'identity.authorised_seller',
      'price.below_reference',
      'lexicon.counterfeit',
    ),
    text(8),
  ),
  weight: number,
  detail: text(20),
  en: text(10),
  vi: text(10),
});
/** Rows of one run: shops repeat, and shop-level reasons are shared objects among a shop's rows, as the batch makes them. */
const run = fc
  .record({
    shops: fc.array(fc.record({ id: text(6), reasons: fc.array(reason, { maxLength: 3 }) }), { minLength: 1, maxLength: 4 }),
    rows: fc.array(
      fc.record({
        id: text(8),
        marketplace: fc.oneof(fc.constantFrom('shopee', 'tiki'), text(4)),
        shop: fc.integer({ min: -1, max: 3 }),
        own: fc.array(reason, { maxLength: 3 }),
        score: number,
        flagged: fc.boolean(),
        reference: fc.oneof(fc.constant(null), number),
      }),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map(({ shops, rows }) => ({ shops, rows: rows.map((row) => ({ ...row, shop: row.shop >= shops.length ? -1 : row.shop })) }));

function output(
  row: { id: string; marketplace: string; score: number; flagged: boolean; reference: number | null },
  shopId: string | null,
  reasons: readonly Reason[],
): ScoreFileOutput {
  return {
    id: row.id,
    marketplace: row.marketplace,
    shop_id: shopId,
    score: row.score,
    flagged: row.flagged,
    red_flag: row.score > SCORING_CONFIG.redThreshold,
    reasons: reasons.map((r) => ({ code: r.code, weight: r.weight, detail: r.detail, en: r.en, vi: r.vi })),
    reference_price_vnd: row.reference,
    scoring_version: 'v-test',
  };
}

describe('score-file output lines', () => {
  it('are exactly JSON.stringify as UTF-8 bytes, line after line of one run', () => {
    fc.assert(
      fc.property(run, ({ shops, rows }) => {
        const encoder = new OutputLineEncoder(shops.length, 'v-test');
        const shopObjects = shops.map((shop) => ({
          marketplace: 'shopee',
          id: shop.id,
          name: 'n',
          address: null,
          declaredLocation: null,
          isOfficial: false,
          joinedAtMs: null,
          followerCount: null,
          rating: null,
          phone: null,
          taxCode: null,
        }));
        for (const row of rows) {
          const reasons = [...row.own, ...(row.shop >= 0 ? shops[row.shop]!.reasons : [])];
          const item = {
            listing: { id: row.id, marketplace: row.marketplace },
            shop: row.shop >= 0 ? shopObjects[row.shop]! : null,
          } as unknown as ScoringItem;
          const line = encoder.line(item, row.shop, row.score, row.flagged, reasons, row.reference);
          expect(line).toBe(outputLineReference(output(row, row.shop >= 0 ? shops[row.shop]!.id : null, reasons)));
        }
      }),
      { numRuns: 1500 },
    );
  });
  it('are written in chunks that hold every line once, in order, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text(30), { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), async (texts, chunkBytes) => {
        const lines = texts.map((t) =>
          outputLineReference(output({ id: t, marketplace: 'tiki', score: 1, flagged: false, reference: null }, null, [])),
        );
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on('data', (chunk: Buffer) => chunks.push(chunk));
        const writer = new ChunkedLineWriter(out, chunkBytes);
        for (const line of lines) await writer.push(line);
        writer.flush();
        out.end();
        await new Promise((resolve) => out.on('end', resolve));
        expect(Buffer.concat(chunks).toString('latin1')).toBe(lines.join(''));
      }),
      { numRuns: 200 },
    );
  });
});
