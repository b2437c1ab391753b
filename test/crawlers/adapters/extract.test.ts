import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../../../crawlers/adapters/extract.ts';
import { UserError } from '../../../src/core/errors.ts';
import { runRadar } from '../../helpers/cli.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = `${root}test/fixtures/`;

async function radar(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [`${root}bin/radar.mjs`, ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'silent' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('extractFile (radar extract)', () => {
  it('gives one line per listing, shop and removed listing, tagged with "record"', () => {
    const { lines } = extractFile({ adapter: 'sendo', kind: 'search', file: `${fixtures}sendo/search-giay.json` });
    expect(lines.map((line) => line.record)).toEqual(['listing', 'listing', 'shop', 'shop']);
    const removed = extractFile({
      adapter: 'tiki',
      kind: 'listing',
      file: `${fixtures}tiki/product-removed.json`,
      url: 'https://tiki.vn/api/v2/products/42',
      status: 404,
    });
    expect(removed.lines).toEqual([{ record: 'removed', marketplace: 'tiki', externalId: '42' }]);
  });

  it("defaults the URL to the adapter's real host so links resolve", () => {
    const { lines, url } = extractFile({ adapter: 'shopee', kind: 'search', file: `${fixtures}shopee/search-mu-bao-hiem.json` });
    expect(url).toBe('https://shopee.vn/search-mu-bao-hiem.json');
    expect(lines[0]!.url).toBe('https://shopee.vn/product/700100201/23011000101');
  });

  it('names the fix for bad flags and unreadable files', () => {
    expect(() => extractFile({ adapter: 'tiki', kind: 'product', file: 'x' })).toThrow(/--kind must be one of search, listing, shop/u);
    expect(() => extractFile({ adapter: 'tiki', kind: 'search', file: `${fixtures}nope.json` })).toThrow(UserError);
    expect(() => extractFile({ adapter: 'tiki', kind: 'search', file: `${fixtures}tiki/seller-widget.json`, url: 'not a url' })).toThrow(
      /--url must be an absolute URL/u,
    );
  });
});

describe('radar extract / parse-price CLI', () => {
  it('prints JSON Lines for a page and {"blocked": true} with exit 3 for a gate', async () => {
    const ok = await runRadar('extract', '--adapter', 'lazada', '--kind', 'search', `${fixtures}lazada/catalog-sac-nhanh.json`, '--no-raw');
    expect(ok.code).toBe(0);
    const records = ok.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.filter((r) => r.record === 'listing')).toHaveLength(3);
    expect(records.every((r) => !('raw' in r))).toBe(true);
    expect(ok.stderr).toContain('3 listing(s)');

    const gate = await runRadar('extract', '--adapter', 'lazada', '--kind', 'search', `${fixtures}lazada/punish-gate.html`);
    expect(gate.code).toBe(3);
    expect(JSON.parse(gate.stdout)).toMatchObject({ blocked: true, reason: expect.stringContaining('punish') });

    const wrongKind = await runRadar('extract', '--adapter', 'tiki', '--kind', 'listing', `${fixtures}tiki/seller-widget.json`);
    expect(wrongKind.code).toBe(2); // a parse failure is a user error (issue 16)
    expect(wrongKind.stdout).toBe('');
    expect(wrongKind.stderr).toMatch(/Check --adapter and --kind/u);
  });

  it('parse-price prints amount and currency, and exits 2 with a hint on nonsense', async () => {
    const ok = await runRadar('parse-price', '1,2 triệu');
    expect(JSON.parse(ok.stdout)).toEqual({ amount: 1_200_000, currency: 'VND' });
    const bad = await runRadar('parse-price', 'giá tốt');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/cannot parse price "giá tốt".*Forms that parse/u);
  });

  it('parse-price --file reads one text per line and prints one JSON line each; --currency-hint and --locale decide ambiguous marks', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = `${mkdtempSync(`${tmpdir()}/radar-prices-`)}/prices.txt`;
    writeFileSync(file, 'Giá: 1.250.000₫ (đã gồm VAT)\nChỉ còn 299K\n\nLiên hệ\ngiá tốt\n£25.00 (tax incl.)\n');
    const batch = await runRadar('parse-price', '--file', file);
    expect(batch.code).toBe(0);
    const lines = batch.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { text: 'Giá: 1.250.000₫ (đã gồm VAT)', amount: 1_250_000, currency: 'VND', skipped: ['Giá', '(đã gồm VAT)'] },
      { text: 'Chỉ còn 299K', amount: 299_000, currency: 'VND', skipped: ['Chỉ còn'] },
      { text: 'Liên hệ', amount: null, currency: null, reason: expect.any(String), skipped: ['Liên hệ'] },
      { text: 'giá tốt', error: expect.stringContaining('no number') },
      { text: '£25.00 (tax incl.)', amount: 25, currency: 'GBP', skipped: ['(tax incl.)'] },
    ]);
    expect(batch.stderr).toMatch(/1 line\(s\) without a price/u);
    expect(JSON.parse((await runRadar('parse-price', 'Rs. 5,990', '--currency-hint', 'NPR')).stdout)).toEqual({
      amount: 5990,
      currency: 'NPR',
    });
    expect(JSON.parse((await runRadar('parse-price', '$24.99', '--locale', 'en-AU')).stdout)).toEqual({ amount: 24.99, currency: 'AUD' });
    expect((await runRadar('parse-price', '--file', `${file}.missing`)).code).toBe(2);
  });

  it('the installed binary runs extract end to end', async () => {
    const result = await radar('extract', '--adapter', 'shopee', '--kind', 'search', `${fixtures}shopee/blocked-90309999.json`);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({ blocked: true, reason: expect.stringContaining('90309999') });
  }, 60_000);
});
