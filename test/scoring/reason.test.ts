import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatVnd, sortReasons } from '../../scoring/reason.ts';
import type { Reason } from '../../src/core/domain/reasons.ts';

describe('formatVnd', () => {
  /** The digit-by-digit definition the faster grouping must match. */
  const reference = (vnd: number): string => {
    const digits = Math.round(Math.abs(vnd)).toString();
    let out = '';
    for (let i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += '.';
      out += digits[i];
    }
    return `${vnd < 0 ? '-' : ''}${out} ₫`;
  };
  it('groups thousands with dots', () => {
    expect(formatVnd(1_250_000)).toBe('1.250.000 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
  });
  it('matches the digit-by-digit grouping', () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.double({ min: -1e15, max: 1e15, noNaN: true })), (vnd) => {
        expect(formatVnd(vnd)).toBe(reference(vnd));
      }),
    );
  });
});

describe('sortReasons', () => {
  it('sorts strongest first and keeps equal weights in order, like a stable Array sort', () => {
    const reason = fc.record({ code: fc.string({ maxLength: 3 }), weight: fc.integer({ min: -50, max: 50 }), detail: fc.string({ maxLength: 3 }), en: fc.constant(''), vi: fc.constant('') });
    fc.assert(
      fc.property(fc.array(reason, { maxLength: 20 }), (reasons: Reason[]) => {
        const expected = [...reasons].sort((a, b) => b.weight - a.weight);
        expect(sortReasons([...reasons])).toEqual(expected);
      }),
    );
  });
});
