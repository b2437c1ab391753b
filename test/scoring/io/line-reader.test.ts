import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { forEachLine, linesReference } from '../../../scoring/io/line-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'line-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** File contents made of text, every kind of line break and stray bytes (invalid UTF-8 included). */
const piece = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', '\r\r', '\n\n'),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => Buffer.from(text, 'utf8')),
  fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)),
);
const contents = fc
  .array(piece, { maxLength: 30 })
  .map((pieces) => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));

async function read(
  bytes: Buffer,
  encoding: 'utf8' | 'latin1',
  chunkBytes: number,
): Promise<{ lines: string[]; numbers: number[]; count: number }> {
  const file = join(dir, 'in.txt');
  writeFileSync(file, bytes);
  const lines: string[] = [];
  const numbers: number[] = [];
  const count = await forEachLine(
    file,
    (line, lineNumber) => {
      lines.push(line);
      numbers.push(lineNumber);
    },
    encoding,
    chunkBytes,
  );
  return { lines, numbers, count };
}

describe('forEachLine', () => {
  it('gives the lines of decoding the whole file and splitting it on every line break, numbered from 1, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        contents,
        fc.constantFrom<'utf8' | 'latin1'>('utf8', 'latin1'),
        fc.integer({ min: 1, max: 40 }),
        async (bytes, encoding, chunkBytes) => {
          const expected = linesReference(bytes, encoding);
          const actual = await read(bytes, encoding, chunkBytes);
          expect(actual.lines).toEqual(expected);
          expect(actual.numbers).toEqual(expected.map((_, i) => i + 1));
          expect(actual.count).toBe(expected.length);
        },
      ),
      { numRuns: 400 },
    );
  });
  it('follows readline on the edge cases', async () => {
    expect((await read(Buffer.from('a\r\nb\rc\n\nd'), 'utf8', 2)).lines).toEqual(['a', 'b', 'c', '', 'd']);
    expect((await read(Buffer.from(''), 'utf8', 4)).lines).toEqual([]);
    expect((await read(Buffer.from('x\r'), 'utf8', 4)).lines).toEqual(['x']);
  });
});
