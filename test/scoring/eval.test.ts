import { describe, expect, it } from 'vitest';
import { evaluateTruth, formatEvalReport, ndcgAt, precisionAt, type TruthListing } from '../../scoring/eval.ts';
import { sandboxTruth } from '../../src/devtools/eval-truth.ts';
import { starterCatalog } from './helpers.ts';

describe('evaluateTruth metrics', () => {
  const record = (label: 'counterfeit' | 'clean', title: string, patterns: string[] = [], hard: string | null = null): TruthListing => ({
    type: 'listing',
    label,
    patterns,
    hard_negative: hard,
    listing: { id: title, marketplace: 'shopee', title, price_vnd: 300_000 },
    shop: { id: `s-${title}`, name: `Shop ${title}`, address: 'Toàn quốc' },
  });
  it('counts true and false positives, per pattern and per hard negative', () => {
    const report = evaluateTruth(
      [
        record('counterfeit', 'Giày Nike rep 1:1', ['slang']),
        record('counterfeit', 'Giày thể thao nam', ['price_far_below_retail']),
        record('clean', 'Ốp lưng cho iPhone 15', [], 'compatibility'),
        record('clean', 'Sách tiếng Việt 5'),
      ],
      { catalog: starterCatalog() },
    );
    expect(report).toMatchObject({ listings: 4, counterfeit: 2, flagged: 1, truePositives: 1, precision: 1, recall: 0.5 });
    expect(report.patterns.slang).toEqual({ total: 1, caught: 1, recall: 1 });
    expect(report.patterns.price_far_below_retail!.caught).toBe(0);
    expect(report.hardNegatives.compatibility).toEqual({ total: 1, flagged: 0, falsePositiveRate: 0 });
    expect(report.f1).toBeCloseTo(2 / 3);
  });
});

describe('ranking metrics', () => {
  it('precision@k counts relevant items among the first k, or all when fewer', () => {
    expect(precisionAt([true, false, true, true], 2)).toBe(0.5);
    expect(precisionAt([true, false], 10)).toBe(0.5);
    expect(precisionAt([], 10)).toBe(0);
  });
  it('NDCG is 1 for relevant items first and lower when they come late', () => {
    expect(ndcgAt([true, true, false], 50, 2)).toBeCloseTo(1);
    const late = ndcgAt([false, true, true], 50, 2);
    expect(late).toBeLessThan(1);
    expect(late).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3)));
  });
});

describe('lead-level evaluation', () => {
  const shopOf = (id: string, over: Record<string, unknown> = {}) => ({ id, name: `Cửa hàng ${id}`, address: 'Toàn quốc', ...over });
  const line = (
    id: string,
    title: string,
    label: 'counterfeit' | 'clean',
    shop: Record<string, unknown>,
    network: string | null = null,
  ): TruthListing => ({
    type: 'listing',
    label,
    patterns: label === 'counterfeit' ? ['slang'] : [],
    hard_negative: null,
    network,
    listing: { id, marketplace: 'shopee', title, price_vnd: 300_000 },
    shop,
  });
  it('scores networks pairwise against the planted ones and routes leads by address, then declared location', () => {
    const report = evaluateTruth(
      [
        line('1', 'Giày Nike rep 1:1', 'counterfeit', shopOf('a', { phone: '0903123456' }), 'net-1'),
        line(
          '2',
          'Giày Adidas rep 1:1',
          'counterfeit',
          shopOf('b', { phone: '+84 903 123 456', address: null, declared_location: 'Hà Nội' }),
          'net-1',
        ),
        line('3', 'Túi LV super fake', 'counterfeit', shopOf('c', { address: '12 Lê Lợi, Phường Sài Gòn, TP. Hồ Chí Minh' }), 'net-1'),
        line('4', 'Sách lớp 5', 'clean', shopOf('d', { tax_code: '0300588569' })),
        line('5', 'Vở ô li', 'clean', shopOf('e', { tax_code: '0300588569' })),
      ],
      { catalog: starterCatalog() },
    );
    // Found: {a, b} (right) and {d, e} (wrong); planted: {a, b, c}.
    expect(report.networks).toMatchObject({ found: 2, planted: 1, largest: 2, largestPlanted: 3, review: 0 });
    expect(report.networks.pairwisePrecision).toBe(0.5);
    expect(report.networks.pairwiseRecall).toBeCloseTo(1 / 3);
    expect(report.flagged).toBe(3);
    expect(report.provinceRouting).toEqual({
      leads: 3,
      routed: 2,
      share: 2 / 3,
      bySource: { address: 1, declared: 1 },
      shareBySource: { address: 1 / 3, declared: 1 / 3 },
    });
    // 'a' wrote "Toàn quốc" and a mobile number: nothing locates it, so it goes nationally, never to a province.
    expect(report.nationalRouting).toEqual({ leads: 3, routed: 1, share: 1 / 3, byReason: { none: 1 }, shareByReason: { none: 1 / 3 } });
    expect(report.precisionAt10).toBe(1);
    expect(report.maxScoreShare).toBe(0);
  });
  it('reports national routing by reason apart from province routing, each lead in exactly one', () => {
    const report = evaluateTruth(
      [
        line('1', 'Giày Nike rep 1:1', 'counterfeit', shopOf('a', { address: null, declared_location: 'Nước ngoài' })),
        line('2', 'Giày Adidas rep 1:1', 'counterfeit', shopOf('b', { address: 'Quảng Châu, Trung Quốc' })),
        line('3', 'Túi LV super fake', 'counterfeit', shopOf('c', { address: 'Inbox shop', phone: '0903123456' })),
        line('4', 'Túi Gucci super fake', 'counterfeit', shopOf('d', { address: null, phone: '028 3822 1234' })),
      ],
      { catalog: starterCatalog() },
    );
    expect(report.flagged).toBe(4);
    expect(report.provinceRouting).toMatchObject({ routed: 1, share: 0.25, bySource: { phone: 1 }, shareBySource: { phone: 0.25 } });
    expect(report.nationalRouting).toEqual({
      leads: 4,
      routed: 3,
      share: 0.75,
      byReason: { overseas: 2, none: 1 },
      shareByReason: { overseas: 0.5, none: 0.25 },
    });
    expect(report.provinceRouting.routed + report.nationalRouting.routed).toBe(report.flagged);
    // The text report keeps them on separate lines, so national is never read as a province.
    const text = formatEvalReport(report);
    expect(text).toMatch(/^province routing: 25\.0% of 4 leads have a province \(phone 1 = 25\.0%\)$/mu);
    expect(text).toMatch(
      /^national routing \(no province, to Ban Chỉ đạo 389\): 75\.0% of 4 leads \(none 1 = 25\.0%, overseas 2 = 50\.0%\)$/mu,
    );
  });
  it('lets the application pass its own province routing', () => {
    const report = evaluateTruth([line('1', 'Giày Nike rep 1:1', 'counterfeit', shopOf('a'))], {
      catalog: starterCatalog(),
      provinceSource: () => 'phone_area',
    });
    expect(report.provinceRouting.bySource).toEqual({ phone_area: 1 });
  });
});

describe('quality on a sandbox seed not used for tuning', () => {
  it('meets the issue targets at the default threshold', async () => {
    const report = evaluateTruth(sandboxTruth(1234, 2500), { catalog: starterCatalog() });
    expect(report.listings).toBe(2500);
    expect(report.skipped).toBe(0);
    expect(report.counterfeit).toBeGreaterThan(100);
    expect(report.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.recall).toBeGreaterThanOrEqual(0.9);
    expect(report.precisionAt50).toBeGreaterThanOrEqual(0.98);
    expect(report.maxScoreShare).toBeLessThanOrEqual(0.05);
    expect(report.networks.pairwisePrecision).toBeGreaterThanOrEqual(0.9);
    expect(report.networks.pairwiseRecall).toBeGreaterThanOrEqual(0.8);
    expect(report.networks.largest).toBeLessThanOrEqual(2 * report.networks.largestPlanted);
    // Every decoy kind is planted, and none is flagged or networked for what makes it a decoy.
    expect(Object.keys(report.decoys).sort()).toEqual(['declared_only', 'generic_name', 'market_building']);
    for (const [kind, decoy] of Object.entries(report.decoys)) {
      expect(decoy.shops, kind).toBeGreaterThan(5);
      expect(decoy.networked, kind).toBe(0);
      expect(decoy.flaggedClean, kind).toBe(0);
    }
    // The top of the ranking is not flat: scores spread among the leads.
    expect(report.ndcgAt50).toBeGreaterThanOrEqual(0.98);
    for (const [pattern, stats] of Object.entries(report.patterns)) {
      expect(stats.caught, `pattern ${pattern} never caught`).toBeGreaterThan(0);
      expect(stats.recall, `pattern ${pattern}`).toBeGreaterThanOrEqual(0.7);
    }
    for (const [kind, stats] of Object.entries(report.hardNegatives)) {
      expect(stats.falsePositiveRate, `hard negative ${kind}`).toBeLessThanOrEqual(0.1);
    }
  });
});

describe('the independent labelled set (eval/labelled)', () => {
  it('meets the issue 19 targets at the default threshold and groups errors by reason code', async () => {
    const { readLabelledFile } = await import('../../scoring/eval.ts');
    const { compileCatalog, loadCatalogFile } = await import('../../scoring/catalog.ts');
    const here = (p: string) => new URL(`../../eval/labelled/${p}`, import.meta.url).pathname;
    const records = readLabelledFile(here('listings.jsonl'));
    expect(records.length).toBeGreaterThanOrEqual(600);
    expect(new Set(records.map((r) => (r.shop as { id: string }).id)).size).toBeGreaterThanOrEqual(150);
    expect(new Set(records.map((r) => (r.listing as { marketplace: string }).marketplace)).size).toBe(6);
    const report = evaluateTruth(records, { catalog: compileCatalog(loadCatalogFile(here('catalog.yaml'))) });
    expect(report.skipped).toBe(0);
    expect(report.precision).toBeGreaterThanOrEqual(0.95);
    expect(report.recall).toBeGreaterThanOrEqual(0.92);
    expect(report.precisionAt50).toBeGreaterThanOrEqual(0.98);
    for (const [kind, stats] of Object.entries(report.hardNegatives)) expect(stats.falsePositiveRate, kind).toBeLessThanOrEqual(0.05);
    for (const group of [...report.errors.falsePositives, ...report.errors.falseNegatives]) expect(group.count).toBeGreaterThan(0);
  });
  it('rejects a line without a label, naming the line', async () => {
    const { readLabelledFile } = await import('../../scoring/eval.ts');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'labelled-')), 'x.jsonl');
    writeFileSync(file, '{"label":"counterfeit","listing":{},"shop":null}\n{"listing":{}}\n');
    expect(() => readLabelledFile(file)).toThrow(/x\.jsonl:2: label/);
  });
});
