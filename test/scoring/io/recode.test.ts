import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  latin1FromUtf8,
  latin1FromUtf8Reference,
  recode,
  recodeReference,
  utf8FromLatin1,
  utf8FromLatin1Reference,
} from '../../../scoring/io/recode.ts';

/** Any bytes as a latin1 string, short or long enough to miss the scratch buffer. */
const byteStrings = fc
  .oneof(
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 8 },
    { arbitrary: fc.uint8Array({ minLength: 21_800, maxLength: 22_000 }), weight: 1 },
  )
  .map((bytes) => Buffer.from(bytes).toString('latin1'));
/** Any text: Vietnamese, astral symbols, lone surrogates; short or long. */
const texts = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }), weight: 4 },
  { arbitrary: fc.constantFrom('Giày Nike chính hãng', 'Đồng Nai', '\ud800 lone', 'ascii only'), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 21_000, maxLength: 22_000 }), weight: 1 },
);

describe('latin1 / UTF-8 recoders', () => {
  it('decode UTF-8 bytes exactly as Buffer#toString does', () => {
    fc.assert(
      fc.property(byteStrings, (bytes) => {
        expect(utf8FromLatin1(bytes)).toBe(utf8FromLatin1Reference(bytes));
        expect(recode(bytes, 'latin1', 'utf8')).toBe(recodeReference(bytes, 'latin1', 'utf8'));
      }),
      { numRuns: 2000 },
    );
  });
  it('encode text to UTF-8 bytes exactly as Buffer.from does', () => {
    fc.assert(
      fc.property(texts, (text) => {
        expect(latin1FromUtf8(text)).toBe(latin1FromUtf8Reference(text));
        expect(recode(text, 'utf8', 'latin1')).toBe(recodeReference(text, 'utf8', 'latin1'));
      }),
      { numRuns: 1000 },
    );
  });
  it('round-trips well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        expect(utf8FromLatin1(latin1FromUtf8(text))).toBe(text);
      }),
    );
  });
  it('returns ASCII as it is', () => {
    expect(utf8FromLatin1('plain id 42')).toBe('plain id 42');
    expect(latin1FromUtf8('plain id 42')).toBe('plain id 42');
  });
});
