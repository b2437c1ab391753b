import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanAddress } from '../../../scoring/address/scan.ts';
import { tokenize } from '../../../scoring/address/tokenize.ts';
import { scanAddressReference } from './scan-reference.ts';

interface Dataset {
  provinces: [number, string][];
  wards: [number, number, string][];
  oldProvinces: [number, string, number][];
  oldDistricts: [number, number, string][];
  oldWards: [number, number, string, number[]][];
}

const data = JSON.parse(readFileSync(new URL('../../../scoring/data/vn-admin.json', import.meta.url), 'utf8')) as Dataset;
/** Official names with and without their unit word, so tagged, untagged and mismatched units all occur. */
const officialNames = [
  ...data.provinces.map((p) => p[1]),
  ...data.oldProvinces.map((p) => p[1]),
  ...data.oldDistricts.map((d) => d[2]),
  ...data.wards.map((w) => w[2]),
  ...data.oldWards.map((w) => w[2]),
];
const bareName = (name: string): string => name.replace(/^(Thành phố|Tỉnh|Quận|Huyện|Thị xã|Phường|Xã|Thị trấn|Đặc khu) /, '');
const part = fc.oneof(
  fc.constantFrom(...officialNames),
  fc.constantFrom(...officialNames).map(bareName),
  fc.constantFrom(...officialNames).map((name) =>
    bareName(name)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/đ/g, 'd'),
  ),
  fc.constantFrom(
    'P.',
    'P',
    'F',
    'Q.',
    'Q',
    'H.',
    'TX.',
    'TP.',
    'Tp',
    'TT',
    'X.',
    'T.',
    'thành phố',
    'thị xã',
    'phường',
    'xã',
    'tỉnh',
    'quận',
    'huyện',
  ),
  fc.constantFrom(
    'Số 12',
    '12/3A',
    '180/19',
    'đường',
    'Lê Lợi',
    'ngõ 5',
    'ấp 3',
    'thôn',
    'phố',
    'Việt Nam',
    'Viet Nam',
    'VN',
    '700000',
    'HCM',
    'HN',
    'Tp.HCM',
  ),
  fc.integer({ min: 0, max: 30 }).map(String),
);
const separator = fc.constantFrom(' ', ', ', ' - ', '; ', ',', '.', ' (', ') ');
const address = fc.array(fc.tuple(part, separator), { maxLength: 8 }).map((parts) => parts.map(([p, s]) => p + s).join(''));

describe('scanAddress (closure-free) against the reference scan', () => {
  it('finds the same units, texts and flags for addresses made of real unit names, markers and street words', () => {
    fc.assert(
      fc.property(address, (text) => {
        const { text: nfc, words } = tokenize(text);
        expect(scanAddress(words, nfc)).toEqual(scanAddressReference(words, nfc));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        const { text: nfc, words } = tokenize(text);
        expect(scanAddress(words, nfc)).toEqual(scanAddressReference(words, nfc));
      }),
      { numRuns: 1000 },
    );
  });
});
