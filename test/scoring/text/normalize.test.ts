import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldText, foldTextReference, foldUtf8Bytes, tokenize, tokenizeReference, unLeet } from '../../../scoring/text/normalize.ts';

describe('foldText', () => {
  it('removes diacritics, maps đ by hand and lower-cases', () => {
    expect(foldText('Hàng Nhái ĐẸP Chính Hãng').text).toBe('hang nhai dep chinh hang');
  });
  it('treats NFD input like NFC', () => {
    expect(foldText('Xách tay'.normalize('NFD')).text).toBe(foldText('Xách tay').text);
  });
  it('strips zero-width characters and says so', () => {
    const folded = foldText('Gu\u200Bcci');
    expect(folded).toEqual({ text: 'gucci', zeroWidth: true, lookalikes: false });
  });
  it('maps Cyrillic look-alikes to Latin and says so', () => {
    const folded = foldText('Сhаnel'); // Cyrillic С and а
    expect(folded.text).toBe('chanel');
    expect(folded.lookalikes).toBe(true);
    expect(foldText('Chanel').lookalikes).toBe(false);
  });
  it('never throws and always returns trimmed single-spaced text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (input) => {
        const folded = foldText(input);
        expect(folded.text).toBe(folded.text.trim());
        expect(folded.text).not.toMatch(/\s{2}/);
        // Combining marks on their own: none may survive folding.

        expect(folded.text).not.toMatch(/[A-ZĐ\u0300-\u036f\u200B]/);
      }),
    );
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (input) => {
        const once = foldText(input).text;
        expect(foldText(once).text).toBe(once);
      }),
    );
  });
});

describe('tokenize and unLeet', () => {
  it('splits on punctuation and keeps leetspeak symbols inside words', () => {
    expect(tokenize('g.u.c.c.i $upreme n1ke!')).toEqual(['g', 'u', 'c', 'c', 'i', '$upreme', 'n1ke']);
  });
  it('undoes leetspeak', () => {
    expect(unLeet('n1ke')).toBe('nike');
    expect(unLeet('gucc1')).toBe('gucci');
    expect(unLeet('$upreme')).toBe('supreme');
  });
  it('tokens are never empty and contain only word characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (input) => tokenize(foldText(input).text).every((t) => /^[a-z0-9@$!|\u20ac]+$/.test(t))),
    );
  });
});

describe('foldText fast path', () => {
  // Latin, Vietnamese (precomposed and NFD), Greek, Cyrillic, zero-width, Unicode spaces and
  // compatibility characters: every family the per-character table covers, mixed freely.
  const covered = fc.constantFrom(
    ...'aAzZ09 \t\n-.,@$/:%đĐàÀảẢãÃáÁạẠăĂằẰắẮẳẲẵẴặẶâÂầẦấẤẩẨẫẪậẬêÊếẾệỆôÔồỒốỐộỘơƠờỜớỚởỞỡỠợỢưƯừỪứỨửỬữỮựỰýÝỳỲỷỶỹỸỵỴ',
    ...'αβγεηικνορτυχωςΣσάέΑΒΕаеёкмнорстухіїјѕԁԛԝһɡыпглиАВЕКМНОРСТУХ',
    '\u0300',
    '\u0301',
    '\u0303',
    '\u0309',
    '\u0323',
    '\u0306',
    '\u0302',
    '\u031b',
    '\u200B',
    '\u200C',
    '\u200D',
    '\u2060',
    '\uFEFF',
    '\u00AD',
    '\u180E',
    '\u00A0',
    '\u2003',
    '\u202F',
    '\u3000',
    'ﬁ',
    '①',
    'Ａ',
    '¨',
    '´',
    'ß',
    'İ',
    'Ø',
    'æ',
    '½',
    '™',
    '…',
    '\u2028',
    '😀',
    '中',
  );
  it('gives exactly the reference folding', () => {
    fc.assert(
      fc.property(
        fc.array(covered, { maxLength: 40 }).map((chars) => chars.join('')),
        (input) => {
          expect(foldText(input)).toEqual(foldTextReference(input));
        },
      ),
      { numRuns: 5000 },
    );
  });
  it('folds every character of the table exactly as the reference does, alone and between letters and spaces', () => {
    const mismatches: string[] = [];
    for (let code = 0; code < 0x2100; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const ch = String.fromCharCode(code);
      for (const input of [ch, `a${ch}b`, ` ${ch} ${ch}x`]) {
        const fast = foldText(input);
        const reference = foldTextReference(input);
        if (fast.text !== reference.text || fast.zeroWidth !== reference.zeroWidth || fast.lookalikes !== reference.lookalikes)
          mismatches.push(`U+${code.toString(16)} in ${JSON.stringify(input)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
  it('gives exactly the reference folding on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (input) => {
        expect(foldText(input)).toEqual(foldTextReference(input));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('foldUtf8Bytes', () => {
  /** The definition: decode the bytes as Buffer#toString does, then fold. */
  const viaDecode = (bytes: Buffer) => foldTextReference(bytes.toString('utf8'));
  const latin1 = (bytes: Buffer) => bytes.toString('latin1');
  it('folds Vietnamese text held as UTF-8 bytes', () => {
    expect(foldUtf8Bytes(latin1(Buffer.from('Hàng Nhái ĐẸP xách tay', 'utf8'))).text).toBe('hang nhai dep xach tay');
  });
  it('gives the reference folding of the decoded text, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(foldUtf8Bytes(latin1(bytes))).toEqual(viaDecode(bytes));
      }),
      { numRuns: 3000 },
    );
  });
  it('gives the reference folding of the decoded text, for any bytes (cut, overlong and stray sequences too)', () => {
    const interesting = fc.constantFrom(
      0x00,
      0x20,
      0x41,
      0x7f,
      0x80,
      0xa0,
      0xbf,
      0xc0,
      0xc1,
      0xc2,
      0xc3,
      0xdf,
      0xe0,
      0xe1,
      0xe2,
      0xe3,
      0xed,
      0xef,
      0xf0,
      0xf4,
      0xff,
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(interesting, fc.integer({ min: 0, max: 255 })), { maxLength: 40 }), (values) => {
        const bytes = Buffer.from(values);
        expect(foldUtf8Bytes(latin1(bytes))).toEqual(viaDecode(bytes));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('tokenize', () => {
  it('keeps symbol substitutions inside words and a lone "@" in dotted names', () => {
    expect(tokenize('d!or guc|ci est€e c.h.@.n.e.l sale! | freeship')).toEqual([
      'd!or',
      'guc|ci',
      'est€e',
      'c',
      'h',
      '@',
      'n',
      'e',
      'l',
      'sale',
      'freeship',
    ]);
    expect(unLeet('d!or')).toBe('dior');
    expect(unLeet('bal€nciaga')).toBe('balenciaga');
  });
  it('gives the tokens of the split-and-trim definition', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...'ab z09@$ .-_!|€é中'), { maxLength: 30 }).map((chars) => chars.join('')),
        (input) => {
          expect(tokenize(input)).toEqual(tokenizeReference(input));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
