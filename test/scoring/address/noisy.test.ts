/**
 * Addresses as people type them, built from the official lists: glued words ("TỉnhThái Nguyên",
 * "TP.HồChíMinh"), one-letter and dotted abbreviations ("T.Giang", "TBình Dương", "H.", "X."),
 * missing separators, doubled commas and typos in unit words. A wrong province is worse than none.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveAddress } from '../../../scoring/address/index.ts';
import { adminDatasetSchema } from '../../../scoring/address/dataset-schema.ts';

const data = adminDatasetSchema.parse(JSON.parse(readFileSync(new URL('../../../scoring/data/vn-admin.json', import.meta.url), 'utf8')));
const provinceName = new Map(data.provinces);
const oldProvinceName = new Map(data.oldProvinces.map(([code, name]) => [code, name]));
const newWardProvince = new Map(data.wards.map(([code, province]) => [code, province]));
const oldDistrict = new Map(data.oldDistricts.map(([code, province, name]) => [code, { province, name }]));

function stride<T>(rows: readonly T[], wanted: number): T[] {
  const step = Math.max(1, Math.floor(rows.length / wanted));
  return rows.filter((_, i) => i % step === 0);
}

let seed = 19;
const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const UNIT = /^(Thành phố|Tỉnh|Quận|Huyện|Thị xã|Phường|Xã|Thị trấn|Đặc khu) /;
const SHORT: Record<string, string[]> = {
  'Thành phố': ['TP.', 'Tp.', 'TP', 'T.P'],
  Tỉnh: ['T.', 'T', 'Tỉnh'],
  Quận: ['Q.', 'Q'],
  Huyện: ['H.', 'H'],
  'Thị xã': ['TX.', 'Tx'],
  Phường: ['P.', 'P', 'F.'],
  Xã: ['X.', 'X'],
  'Thị trấn': ['TT.', 'Tt'],
  'Đặc khu': ['Đặc khu'],
};
const TYPOS: Record<string, string[]> = {
  'Thành phố': ['Thành phô', 'Thanh pho', 'Thàng phố', 'Thành phồ'],
  Tỉnh: ['Tinh', 'Tỉn', 'Tỉng', 'Tĩnh'],
  Quận: ['Quân', 'Quạn', 'Quan'],
  Huyện: ['Huyên', 'Huyen', 'Huỵen'],
  'Thị xã': ['Thi xa', 'Thị xả'],
  Phường: ['Phuờng', 'Phương', 'Phường', 'Phuong', 'Phừong'],
  Xã: ['Xả', 'Xa'],
  'Thị trấn': ['Thi tran', 'Thị trân'],
  'Đặc khu': ['Dac khu'],
};
const split = (name: string): [string, string] => {
  const m = UNIT.exec(name);
  return m ? [m[1]!, name.slice(m[0].length)] : ['', name];
};
const camel = (bare: string) => bare.replace(/ /g, '');
/** "Tiền Giang" → "T.Giang": the first syllable's initial, a dot, the rest. */
const initialed = (bare: string) => {
  const words = bare.split(' ');
  return words.length < 2 ? bare : `${words[0]![0]}.${words.slice(1).join(' ')}`;
};

type Noise = 'glued' | 'glued_name' | 'abbreviated' | 'initialed' | 'no_separators' | 'doubled_commas' | 'unit_typo';
const NOISES: Noise[] = ['glued', 'glued_name', 'abbreviated', 'initialed', 'no_separators', 'doubled_commas', 'unit_typo'];

function noisy(parts: string[], noise: Noise): string {
  const last = parts.length - 1;
  const out = parts.map((part, i) => {
    const [unit, bare] = split(part);
    if (!unit) return part;
    switch (noise) {
      case 'glued':
        return `${unit === 'Thành phố' && i === last ? pick(['TP.', 'Tp']) : unit}${bare}`;
      case 'glued_name':
        return i === last ? `${unit === 'Thành phố' ? 'TP.' : unit} ${camel(bare)}` : part;
      case 'abbreviated':
        return `${pick(SHORT[unit]!)}${pick(['', ' '])}${bare}`;
      case 'initialed':
        return i === last ? initialed(bare) : `${pick(SHORT[unit]!)} ${bare}`;
      case 'unit_typo':
        return `${pick(TYPOS[unit]!)} ${bare}`;
      default:
        return part;
    }
  });
  if (noise === 'no_separators') return out.join(' ');
  if (noise === 'doubled_commas') return out.join(pick([', , ', ',, ', ' ,, ']));
  return out.join(', ');
}

interface Case {
  text: string;
  noise: Noise;
  expected: number;
}
const cases: Case[] = [];
for (const [code, province, name] of stride(data.wards, 500)) {
  for (const noise of NOISES)
    cases.push({ text: noisy([`Số ${(code % 97) + 1} Trần Phú`, name, provinceName.get(province)!], noise), noise, expected: province });
}
for (const [, districtCode, name, targets] of stride(data.oldWards, 500)) {
  if (targets[0] === undefined) continue;
  const district = oldDistrict.get(districtCode)!;
  for (const noise of NOISES) {
    cases.push({
      text: noisy([`${(districtCode % 300) + 1}/4 Ng-T- Thuật`, name, district.name, oldProvinceName.get(district.province)!], noise),
      noise,
      expected: newWardProvince.get(targets[0])!,
    });
  }
}

describe('noisy addresses', () => {
  it('has every noise class over all 34 provinces', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5000);
    expect(new Set(cases.map((c) => c.expected)).size).toBe(34);
  });
  it('resolves ≥ 97% to the right 2025 province, and < 0.5% to a wrong one', () => {
    const byNoise = new Map<Noise, { total: number; right: number; wrong: number }>();
    const wrong: string[] = [];
    let right = 0;
    let confidentlyWrong = 0;
    for (const c of cases) {
      const r = resolveAddress(c.text);
      const stats = byNoise.get(c.noise) ?? { total: 0, right: 0, wrong: 0 };
      byNoise.set(c.noise, stats);
      stats.total++;
      if (r.province_code === c.expected) {
        right++;
        stats.right++;
      } else if (r.province_code !== null) {
        confidentlyWrong++;
        stats.wrong++;
        if (wrong.length < 30) wrong.push(`  ${JSON.stringify(c.text)} → ${r.province} (want ${provinceName.get(c.expected)})`);
      }
    }
    const report = [...byNoise]
      .map(
        ([noise, s]) =>
          `${noise}: ${((100 * s.right) / s.total).toFixed(1)}% right, ${((100 * s.wrong) / s.total).toFixed(2)}% wrong (${s.total})`,
      )
      .join('\n');
    console.log(
      `noisy addresses: ${((100 * right) / cases.length).toFixed(2)}% right, ${((100 * confidentlyWrong) / cases.length).toFixed(2)}% confidently wrong of ${cases.length}\n${report}\n${wrong.join('\n')}`,
    );
    expect(right / cases.length).toBeGreaterThanOrEqual(0.97);
    expect(confidentlyWrong / cases.length).toBeLessThan(0.005);
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => void resolveAddress(text)),
      { numRuns: 2000 },
    );
  });
});

describe('noise repairs', () => {
  it('splits glued words and expands an initialed province', () => {
    expect(resolveAddress('12 Lê Lợi, PhườngBến Thành, TP.HồChíMinh').province_code).toBe(79);
    expect(resolveAddress('Xã Tân Hòa, TBình Dương').province_code).toBe(79);
    expect(resolveAddress('Ấp 3, Xã Tân Hòa, Huyện Chợ Gạo, T.Giang').province_code).toBe(82);
  });
  it('says ambiguous, with both provinces, when an initial fits two', () => {
    const r = resolveAddress('Số 5 Trần Phú, H.Giang');
    expect(r.province_code).toBeNull();
    expect(r.ambiguous?.map((p) => p.province_code).sort()).toEqual([8, 92]);
    expect(r.issues.join()).toContain('ambiguous');
  });
});
