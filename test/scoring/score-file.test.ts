import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScoreFileLine, scoreFile } from '../../scoring/score-file.ts';
import { starterCatalog } from './helpers.ts';

const line = (listing: object, shop: object | null = { id: 's1', name: 'Shop' }) => JSON.stringify({ listing, shop });

describe('score-file line parser', () => {
  it('accepts the documented fields', () => {
    const parsed = parseScoreFileLine(line({ id: 42, marketplace: 'tiki', title: 'Giày', price_vnd: 100000, original_price_vnd: null, brand: 'Nike' }, { id: 's', name: 'S', is_official: true, joined_at: '2024-01-01T00:00:00Z', follower_count: 3 }));
    expect(parsed.ok && parsed.item.listing.id).toBe('42');
    expect(parsed.ok && parsed.item.shop?.joinedAtMs).toBe(Date.parse('2024-01-01T00:00:00Z'));
  });
  it('explains what is wrong with a bad line', () => {
    expect(parseScoreFileLine('{')).toMatchObject({ ok: false, error: expect.stringContaining('not JSON') });
    expect(parseScoreFileLine(line({ id: '1', marketplace: 'tiki' }))).toMatchObject({ ok: false, error: expect.stringContaining('listing.title') });
  });
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ listing: v, shop: v }))), (input) => {
        const parsed = parseScoreFileLine(input);
        if (!parsed.ok) expect(parsed.error.length).toBeGreaterThan(0);
      }),
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
        line({ id: 'a', marketplace: 'shopee', title: 'Túi Gucci rep 1:1', price_vnd: 500000 }, { id: 's1', name: 'Túi Đẹp', address: 'Toàn quốc' }),
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
    const lines = chunks.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 'b']);
    expect(lines[0]).toMatchObject({ flagged: true, reasons: expect.arrayContaining([expect.objectContaining({ code: 'lexicon.counterfeit', weight: expect.any(Number), detail: expect.any(String) })]) });
    expect(lines[1].flagged).toBe(false);
  });
});
