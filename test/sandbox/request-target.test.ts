import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTarget, sandboxHeaders } from '../../src/devtools/sandbox/request-target.ts';

/** What the server did before the fast path: the WHATWG URL of the target. */
function viaUrl(raw: string): { pathname: string; query: string } {
  const url = new URL(raw, 'http://127.0.0.1:4000');
  return { pathname: url.pathname, query: url.searchParams.toString() };
}

function parsed(raw: string): { pathname: string; query: string } {
  const target = parseTarget(raw, '127.0.0.1:4000');
  return { pathname: target.pathname, query: target.query?.toString() ?? '' };
}

// Characters that matter to URL parsing: separators, dots, escapes, ones URL re-encodes, non-ASCII.
const targetChar = fc.constantFrom(
  'a',
  'Z',
  '0',
  '-',
  '_',
  '.',
  '~',
  '/',
  '%',
  '2',
  'e',
  'E',
  '?',
  '&',
  '=',
  '+',
  '#',
  ' ',
  '"',
  "'",
  '<',
  '\\',
  '|',
  '{',
  'ệ',
  '\u200b',
  ':',
  '@',
  ';',
  ',',
);

describe('parseTarget', () => {
  it('reads the paths and queries crawlers send', () => {
    expect(parsed('/tiki/api/v2/products/270000123')).toEqual({ pathname: '/tiki/api/v2/products/270000123', query: '' });
    expect(parsed('/tiki/api/v2/products?q=m%C5%A9&page=2')).toEqual({ pathname: '/tiki/api/v2/products', query: 'q=m%C5%A9&page=2' });
    expect(parseTarget('/shop/p/1-a', 'h').query).toBeNull();
  });
  it('gives what new URL gives, for any target', () => {
    fc.assert(
      fc.property(fc.string({ unit: targetChar, maxLength: 40 }), (rest) => {
        const raw = `/${rest}`;
        let expected: { pathname: string; query: string } | Error;
        try {
          expected = viaUrl(raw);
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) expect(() => parsed(raw)).toThrow();
        else expect(parsed(raw)).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });
  it('leaves dot segments, "//" and absolute targets to URL', () => {
    for (const raw of ['/a/../b', '/a/%2e%2E/b', '/./x', '//host/x', 'http://other/x?y=1', '/x#frag?y'])
      expect(parsed(raw)).toEqual(viaUrl(raw));
  });
});

describe('sandboxHeaders', () => {
  it('keeps the first Host and joins repeated x-sandbox-epoch values, as req.headers does', () => {
    expect(sandboxHeaders(['Host', 'a:1', 'X-Sandbox-Epoch', '2', 'host', 'b:2', 'x-sandbox-epoch', '3'])).toEqual({
      host: 'a:1',
      epoch: '2, 3',
    });
    expect(sandboxHeaders(['Accept', '*/*'])).toEqual({ host: undefined, epoch: undefined });
  });
});
