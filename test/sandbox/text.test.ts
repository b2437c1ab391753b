import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, formatVnd, scriptJson } from '../../src/devtools/sandbox/text.ts';

// The straightforward versions the fast ones replaced: every rendered page must stay byte for byte the same.
const referenceFormatVnd = (value: number): string => String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/gu, '.');
const referenceEscapeHtml = (text: string): string =>
  text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
const referenceScriptJson = (value: unknown): string => JSON.stringify(value).replace(/</gu, '\\u003c');

describe('text helpers keep their output', () => {
  it('formatVnd groups thousands with dots', () => {
    expect(formatVnd(1_250_000)).toBe('1.250.000');
    expect(formatVnd(-1234.4)).toBe('-1.234');
    expect(formatVnd(999)).toBe('999');
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.constantFrom(0, -0, 1e21, -1e21, Infinity)), (value) => {
        expect(formatVnd(value)).toBe(referenceFormatVnd(value));
      }),
      { numRuns: 2000 },
    );
  });
  it('escapeHtml escapes the four special characters', () => {
    expect(escapeHtml('a & "b" <c>')).toBe('a &amp; &quot;b&quot; &lt;c&gt;');
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'ệ', '&', '<', '>', '"', "'", ' ', '\u200b') }), (text) => {
        expect(escapeHtml(text)).toBe(referenceEscapeHtml(text));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(escapeHtml(text)).toBe(referenceEscapeHtml(text));
      }),
    );
  });
  it('scriptJson never lets "</script>" through', () => {
    expect(scriptJson({ a: '</script>' })).toBe('{"a":"\\u003c/script>"}');
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(scriptJson(value)).toBe(referenceScriptJson(value));
      }),
    );
  });
});
