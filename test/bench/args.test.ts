import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgsError, DEFAULT_OUT, parseBenchArgs } from '../../bench/lib/args.ts';
import { SUITE_NAMES } from '../../bench/suites/index.ts';

describe('parseBenchArgs', () => {
  it('defaults to every suite, 3 repeats, full size', () => {
    expect(parseBenchArgs([], SUITE_NAMES)).toMatchObject({ quick: false, only: [], repeats: 3, out: DEFAULT_OUT });
  });

  it('reads --quick and --only, repeated or comma-separated', () => {
    const args = parseBenchArgs(['--quick', '--only', 'ingest,queue', '--only', 'memory'], SUITE_NAMES);
    expect(args.quick).toBe(true);
    expect(args.only).toEqual(['ingest', 'queue', 'memory']);
  });

  it('names the known suites when --only names an unknown one', () => {
    expect(() => parseBenchArgs(['--only', 'ingets'], SUITE_NAMES)).toThrow(
      /unknown suite "ingets"; known suites: sandbox-serve, crawl-static, crawl-browser/,
    );
  });

  it('refuses fewer than 3 repeats and unknown flags', () => {
    expect(() => parseBenchArgs(['--repeats', '2'], SUITE_NAMES)).toThrow(/>= 3/);
    expect(() => parseBenchArgs(['--fast'], SUITE_NAMES)).toThrow(/--help/);
  });

  it('lists every suite the issue asks for', () => {
    expect([...SUITE_NAMES].sort()).toEqual([
      'console',
      'crawl-browser',
      'crawl-static',
      'ingest',
      'memory',
      'queue',
      'sandbox-serve',
      'score-db',
      'score-offline',
    ]);
  });

  it('either parses or throws an ArgsError for any argument list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom('--quick', '--only', '--repeats', 'ingest', '5', '--out')), { maxLength: 6 }),
        (argv) => {
          try {
            const args = parseBenchArgs(argv, SUITE_NAMES);
            expect(args.repeats).toBeGreaterThanOrEqual(3);
            for (const name of args.only) expect(SUITE_NAMES).toContain(name);
          } catch (error) {
            expect(error).toBeInstanceOf(ArgsError);
          }
        },
      ),
    );
  });
});
