import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  resolveProvince,
  resolveMarketplace,
  resolveLeadStatus,
  resolveLeadKind,
  resolveExportFormat,
} from '../../src/apps/cli/filters.ts';
import { closestChoices, editDistance, plainChoices, resolveChoice } from '../../src/core/choices.ts';
import { UserError } from '../../src/core/errors.ts';

const HCM = { code: 79, name: 'Thành phố Hồ Chí Minh' };

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('--province', () => {
  it.each([
    'hcm',
    'HCM',
    'TPHCM',
    'TP.HCM',
    'tp hcm',
    'SG',
    'Sài Gòn',
    'Hồ Chí Minh',
    'ho chi minh',
    'Thành phố Hồ Chí Minh',
    'TP. Hồ Chí Minh',
    '79',
  ])('"%s" selects the 2025 TP. Hồ Chí Minh', (input) => expect(resolveProvince(input)).toEqual(HCM));

  it.each([
    ['Bình Dương', 79],
    ['Bà Rịa - Vũng Tàu', 79],
    ['Quảng Nam', 48],
    ['Bạc Liêu', 96],
    ['Hà Nam', 37],
    ['HN', 1],
    ['ha noi', 1],
    ['ĐN', 48],
    ['Huế', 46],
  ])('old names and abbreviations map to the 2025 province: "%s" → %i', (input, code) => {
    expect(resolveProvince(input).code).toBe(code);
  });

  it('stops with exit 2 and the closest provinces for an unknown name or code', () => {
    const unknown = userError(() => resolveProvince('xyz'));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toMatch(/^unknown --province "xyz"; did you mean /);
    expect(unknown.message).not.toContain('\n');
    expect(userError(() => resolveProvince('ho chi mnh')).message).toContain('did you mean Thành phố Hồ Chí Minh?');
    expect(userError(() => resolveProvince('999')).message).toMatch(/unknown --province code 999; 2025 province codes are 1, 4,/);
    expect(userError(() => resolveProvince('Nước ngoài')).message).toMatch(/outside Vietnam/);
  });

  it('every 2025 province resolves from its own name and code (property over the 34)', () => {
    const codes = [
      1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96,
    ];
    for (const code of codes) {
      const province = resolveProvince(String(code));
      expect(resolveProvince(province.name)).toEqual(province);
    }
  });
});

describe('other enumerated filters', () => {
  it('resolves marketplaces, statuses, kinds and formats case-insensitively, with aliases', () => {
    expect(resolveMarketplace('Shopee')).toBe('shopee');
    expect(resolveMarketplace('TikTok Shop')).toBe('tiktok');
    expect(resolveLeadStatus('Confirmed')).toBe('confirmed');
    expect(resolveLeadKind('shops')).toBe('shop');
    expect(resolveExportFormat('XLSX')).toBe('xlsx');
  });

  it('`shoppe` suggests shopee, and only the close matches', () => {
    const error = userError(() => resolveMarketplace('shoppe'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('unknown --marketplace "shoppe"; did you mean shopee? (one of: shopee, lazada, tiki, sendo, tiktok, web)');
    expect(userError(() => resolveLeadStatus('confimed')).message).toContain('did you mean confirmed?');
    expect(userError(() => resolveLeadKind('netwrk')).message).toContain('did you mean network?');
  });

  it('a value always resolves to itself and a near miss is always suggested (property)', () => {
    const values = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'web'] as const;
    const choices = plainChoices(values);
    fc.assert(
      fc.property(fc.constantFrom(...values), fc.nat(), (value, at) => {
        expect(resolveChoice('--m', value.toUpperCase(), choices)).toBe(value);
        const typo = value.slice(0, at % value.length) + value.slice((at % value.length) + 1);
        if (typo.length < 3 || values.includes(typo as never)) return;
        expect(closestChoices(typo, choices).map((c) => c.value)).toContain(value);
      }),
    );
  });

  it('edit distance counts a transposition as one edit and is symmetric (property)', () => {
    expect(editDistance('shopee', 'shoppe')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
      }),
    );
  });
});
