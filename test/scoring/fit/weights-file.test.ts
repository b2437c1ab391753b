/** The weights file parser: valid files round-trip; anything malformed is refused with one line. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fittedVersion,
  parseWeightsFile,
  serialiseWeightsFile,
  WEIGHTS_FORMAT,
  type WeightsFile,
} from '../../../scoring/fit/weights-file.ts';
import { BUILTIN_SCORING_VERSION } from '../../../scoring/weights.ts';

const code = fc
  .tuple(
    fc.constantFrom('price', 'lexicon', 'brand', 'address', 'identity', 'network'),
    fc.stringMatching(/^[a-z][a-z0-9_]{0,15}$/),
    fc.option(fc.stringMatching(/^[a-z0-9_]{1,8}$/), { nil: undefined }),
  )
  .map(([head, tail, more]) => (more ? `${head}.${tail}.${more}` : `${head}.${tail}`));

const validFile: fc.Arbitrary<WeightsFile> = fc
  .record({
    multipliers: fc.dictionary(code, fc.double({ min: 0, max: 10, noNaN: true }), { maxKeys: 12 }),
    createdAt: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
    seed: fc.nat(),
  })
  .map(({ multipliers, createdAt, seed }) => ({
    format: WEIGHTS_FORMAT,
    version: fittedVersion(BUILTIN_SCORING_VERSION, multipliers),
    base: BUILTIN_SCORING_VERSION,
    created_at: createdAt.toISOString(),
    multipliers,
    training: { seed },
    report: { note: 'x' },
  }));

/** Ways to break a valid file's JSON value. */
const breakage = fc.constantFrom(
  (f: Record<string, unknown>) => ({ ...f, format: 'something-else@1' }),
  (f: Record<string, unknown>) => ({ ...f, version: 'latest' }),
  (f: Record<string, unknown>) => ({ ...f, version: f.base }),
  (f: Record<string, unknown>) => ({ ...f, base: 'v1.0.0' }),
  (f: Record<string, unknown>) => ({ ...f, created_at: 'yesterday' }),
  (f: Record<string, unknown>) => ({ ...f, multipliers: { 'price.below_reference': -1 } }),
  (f: Record<string, unknown>) => ({ ...f, multipliers: { 'price.below_reference': 11 } }),
  (f: Record<string, unknown>) => ({ ...f, multipliers: { 'price.below_reference': '1.2' } }),
  (f: Record<string, unknown>) => ({ ...f, multipliers: { 'Not A Code': 1 } }),
  (f: Record<string, unknown>) => ({ ...f, multipliers: [1, 2] }),
  (f: Record<string, unknown>) => ({ ...f, surprise: true }),
  (f: Record<string, unknown>) => ({ ...f, multipliers: { ...(f.multipliers as object), 'price.edited_by_hand': 2 } }),
  (f: Record<string, unknown>) => {
    const { multipliers: _m, ...rest } = f;
    return rest;
  },
  () => [],
  () => null,
  () => 42,
);

describe('weights file', () => {
  it('round-trips every valid file', () => {
    fc.assert(
      fc.property(validFile, (file) => {
        const parsed = parseWeightsFile(serialiseWeightsFile(file));
        expect(parsed).toEqual(file);
        expect(serialiseWeightsFile(parsed)).toBe(serialiseWeightsFile(file));
      }),
    );
  });

  it('refuses a structurally broken file with one line naming the file', () => {
    fc.assert(
      fc.property(validFile, breakage, (file, breakIt) => {
        const text = JSON.stringify(breakIt(file));
        expect(() => parseWeightsFile(text, 'w.json')).toThrow(/^w\.json: [^\n]+$/);
      }),
    );
  });

  it('refuses arbitrary text (truncated files, garbage) with one line', () => {
    fc.assert(
      fc.property(validFile, fc.nat(), fc.string(), (file, cut, garbage) => {
        const text = serialiseWeightsFile(file);
        for (const candidate of [text.slice(0, cut % text.length), garbage]) {
          let error: Error | null = null;
          try {
            parseWeightsFile(candidate, 'w.json');
          } catch (e) {
            error = e as Error;
          }
          // A truncated file can still be valid only when nothing was cut but whitespace.
          if (error === null) expect(candidate.trim()).toBe(text.trim());
          else expect(error.message).toMatch(/^w\.json: [^\n]+$/);
        }
      }),
    );
  });

  it('names a fit by its factors: equal factors, equal version; different factors, different version', () => {
    expect(fittedVersion('v2.0.0', { 'a.b': 1.5, 'c.d': 0.5 })).toBe(fittedVersion('v2.0.0', { 'c.d': 0.5, 'a.b': 1.5 }));
    expect(fittedVersion('v2.0.0', { 'a.b': 1.5 })).not.toBe(fittedVersion('v2.0.0', { 'a.b': 1.4 }));
    expect(fittedVersion('v2.0.0', {})).toMatch(/^v2\.0\.0-fit\.[0-9a-f]{8}$/);
  });
});
