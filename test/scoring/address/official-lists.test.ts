/**
 * Accuracy on a test set built from the official lists: 2025 wards written in the new scheme and
 * pre-2025 wards written with their district, each in the common forms people type.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveAddress } from '../../../scoring/address/index.ts';
import { adminDatasetSchema } from '../../../scoring/address/dataset-schema.ts';
import { stripDiacritics } from '../../../scoring/address/normalize.ts';

const data = adminDatasetSchema.parse(JSON.parse(readFileSync(new URL('../../../scoring/data/vn-admin.json', import.meta.url), 'utf8')));
const provinceName = new Map(data.provinces);
const oldProvinceName = new Map(data.oldProvinces.map(([code, name]) => [code, name]));
const newWardProvince = new Map(data.wards.map(([code, province]) => [code, province]));
const oldDistrict = new Map(data.oldDistricts.map(([code, province, name]) => [code, { province, name }]));

/** Every k-th row, so the sample spans all provinces in list order. */
function stride<T>(rows: readonly T[], wanted: number): T[] {
  const step = Math.max(1, Math.floor(rows.length / wanted));
  return rows.filter((_, i) => i % step === 0);
}

const ABBREVIATIONS: [RegExp, string][] = [
  [/^Phường /, 'P.'],
  [/^Xã /, 'X.'],
  [/^Thị trấn /, 'TT.'],
  [/^Quận /, 'Q.'],
  [/^Huyện /, 'H.'],
  [/^Thị xã /, 'TX.'],
  [/^Thành phố /, 'TP.'],
  [/^Tỉnh /, ''],
];
const abbreviate = (name: string): string => ABBREVIATIONS.reduce((s, [re, short]) => s.replace(re, short), name);
const shortProvince = (name: string): string =>
  name === 'Thành phố Hồ Chí Minh' ? 'TP.HCM' : name === 'Thành phố Hà Nội' ? 'HN' : name.replace(/^(Tỉnh|Thành phố) /, '');

interface Case {
  text: string;
  expectedProvince: number;
}

function variants(street: string, parts: string[], shortParts: string[]): string[] {
  const full = [street, ...parts].join(', ');
  const short = [street, ...shortParts].join(', ');
  return [
    full,
    stripDiacritics(full),
    short,
    stripDiacritics(short).toUpperCase(),
    full.normalize('NFD'),
    `  ${short.replace(/, /g, ' - ')} .`,
  ];
}

const cases: Case[] = [];
for (const [code, province, name] of stride(data.wards, 600)) {
  const provinceFull = provinceName.get(province)!;
  for (const text of variants(
    `Số ${(code % 97) + 1} Đường Trần Phú`,
    [name, provinceFull],
    [abbreviate(name), shortProvince(provinceFull)],
  )) {
    cases.push({ text, expectedProvince: province });
  }
}
for (const [, districtCode, name, targets] of stride(data.oldWards, 600)) {
  const target = targets[0];
  if (target === undefined) continue;
  const district = oldDistrict.get(districtCode)!;
  const oldProvince = oldProvinceName.get(district.province)!;
  for (const text of variants(
    `${(districtCode % 300) + 1}/4 Lê Lợi`,
    [name, district.name, oldProvince],
    [abbreviate(name), abbreviate(district.name), shortProvince(oldProvince)],
  )) {
    cases.push({ text, expectedProvince: newWardProvince.get(target)! });
  }
}

describe('resolution accuracy on the official lists', () => {
  it('builds a test set of at least 1,000 wards in each scheme, across all provinces', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6 * 1000);
    expect(new Set(cases.map((c) => c.expectedProvince)).size).toBe(34);
  });

  it('resolves at least 98% of old- and new-scheme addresses to the right 2025 province', () => {
    const misses = cases.filter((c) => resolveAddress(c.text).province_code !== c.expectedProvince);
    const accuracy = 1 - misses.length / cases.length;
    if (misses.length > 0) {
      console.log(
        `address accuracy ${(accuracy * 100).toFixed(2)}% (${misses.length} misses of ${cases.length}); first misses:\n` +
          misses
            .slice(0, 40)
            .map(
              (m) =>
                `  ${JSON.stringify(m.text)} → ${resolveAddress(m.text).province ?? 'null'} (want ${provinceName.get(m.expectedProvince)})`,
            )
            .join('\n'),
      );
    }
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
  });

  it('classifies full new-scheme addresses with a street as complete and resolves the ward', () => {
    const sample = stride(data.wards, 200);
    const wrong = sample.filter(([code, province, name]) => {
      const r = resolveAddress(`Số 7 Đường Trần Phú, ${name}, ${provinceName.get(province)}`);
      return r.quality !== 'complete' || r.ward_code !== code;
    });
    expect(wrong.length / sample.length).toBeLessThanOrEqual(0.02);
  });
});
