import { describe, expect, it } from 'vitest';
import { evaluateTruth, sandboxTruth, type TruthListing } from '../../scoring/eval.ts';
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

describe('quality on a sandbox seed not used for tuning', () => {
  it('meets the issue targets at the default threshold', async () => {
    const report = evaluateTruth(await sandboxTruth(1234, 2500), { catalog: starterCatalog() });
    expect(report.listings).toBe(2500);
    expect(report.skipped).toBe(0);
    expect(report.counterfeit).toBeGreaterThan(100);
    expect(report.precision).toBeGreaterThanOrEqual(0.9);
    expect(report.recall).toBeGreaterThanOrEqual(0.85);
    expect(report.precisionAt50).toBeGreaterThanOrEqual(0.95);
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
