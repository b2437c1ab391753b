// The array literals the batched upserts send must come back from the server exactly as given,
// whatever a marketplace puts in a title: quotes, backslashes, braces, commas, "NULL", Vietnamese.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { booleanArrayLiteral, numberArrayLiteral, textArrayLiteral } from '../../src/core/db/stores/pg-arrays.ts';
import type { Db } from '../../src/core/db/types.ts';
import { dbTargets } from '../helpers/db.ts';

// Postgres text cannot hold NUL; nothing upstream can store it either.
const text = fc.string({ unit: 'binary', maxLength: 40 }).map((value) => value.replace(/\u0000/g, ''));
const tricky = fc.constantFrom('', 'NULL', 'null', '"', '\\', '\\"', '{}', '{a,b}', ' x ', ',', 'Giày "auth" \\ 1:1', 'g u c c i');

describe('array literals', () => {
  it('write numbers, booleans and nulls as Postgres spells them', () => {
    expect(numberArrayLiteral([1, null, 2.5, undefined, -3])).toBe('{1,NULL,2.5,NULL,-3}');
    expect(booleanArrayLiteral([true, false, null])).toBe('{t,f,NULL}');
    expect(textArrayLiteral(['a"b', 'c\\d', null, ''])).toBe('{"a\\"b","c\\\\d",NULL,""}');
    expect(textArrayLiteral([])).toBe('{}');
  });
});

describe.each(await dbTargets())('array literals round-trip through $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
  });
  afterAll(async () => cleanup?.());

  it('text[]', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.oneof(text, tricky), { nil: null }), { maxLength: 12 }), async (values) => {
        const { rows } = await db.query<{ v: (string | null)[] }>('SELECT $1::text[] AS v', [textArrayLiteral(values)]);
        expect(rows[0]!.v).toEqual(values);
      }),
      { numRuns: 200 },
    );
  });

  it('bigint[], real[] and boolean[]', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 10_000_000_000 }), { nil: null }), { maxLength: 12 }),
        fc.array(
          fc.option(
            fc.integer({ min: 0, max: 50 }).map((tenths) => tenths / 10),
            { nil: null },
          ),
          { maxLength: 12 },
        ),
        fc.array(fc.option(fc.boolean(), { nil: null }), { maxLength: 12 }),
        async (bigints, reals, booleans) => {
          const { rows } = await db.query<{ b: (number | null)[]; r: (number | null)[]; f: (boolean | null)[] }>(
            'SELECT $1::bigint[] AS b, $2::real[] AS r, $3::boolean[] AS f',
            [numberArrayLiteral(bigints), numberArrayLiteral(reals), booleanArrayLiteral(booleans)],
          );
          expect(rows[0]!.b.map((value) => (value === null ? null : Number(value)))).toEqual(bigints);
          expect(rows[0]!.r.map((value) => (value === null ? null : Math.round(Number(value) * 10) / 10))).toEqual(reals);
          expect(rows[0]!.f).toEqual(booleans);
        },
      ),
      { numRuns: 100 },
    );
  });
});
