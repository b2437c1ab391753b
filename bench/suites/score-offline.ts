import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fn, importRepoModule } from '../lib/deps.ts';
import { measurePair, stopwatch, type Trial } from '../lib/measure.ts';
import { pinToOneCore } from '../lib/pin.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';
import { writeTruthJsonl } from '../lib/truth-file.ts';

type ScoreFile = (
  inPath: string,
  out: NodeJS.WritableStream,
  options: { catalog: unknown },
) => Promise<{ scored: number; invalid: number }>;
type ForEachLine = (path: string, onLine: (line: string, lineNumber: number) => void, encoding: 'latin1') => Promise<number>;
type LineParser = new () => { parse(raw: string): { ok: boolean } | null };

function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

/**
 * The floor under scoring: read and validate every line with score-file's own reader and parser
 * (lines as bytes, the text scoring reads decoded), score nothing.
 */
async function parseOnly(file: string, Parser: LineParser, forEachLine: ForEachLine): Promise<Trial> {
  const elapsed = stopwatch();
  const parser = new Parser();
  let valid = 0;
  await forEachLine(
    file,
    (line) => {
      if (parser.parse(line)?.ok) valid++;
    },
    'latin1',
  );
  return { count: valid, seconds: elapsed() };
}

const suite: Suite = {
  name: 'score-offline',
  async run(ctx, { progress, report }) {
    const scoring = await importRepoModule('scoring/score-file.ts', ['scoreFile', 'Latin1LineParser']);
    const lineReader = await importRepoModule('scoring/io/line-reader.ts', ['forEachLine']);
    const catalogModule = await importRepoModule('scoring/catalog.ts', ['compileCatalog', 'loadStarterCatalog']);
    const scoreFile = fn<ScoreFile>(scoring, 'scoreFile', 'scoring/score-file.ts');
    const Parser = fn<LineParser>(scoring, 'Latin1LineParser', 'scoring/score-file.ts');
    const forEachLine = fn<ForEachLine>(lineReader, 'forEachLine', 'scoring/io/line-reader.ts');
    const addressModule = await importRepoModule('scoring/address/index.ts', ['clearAddressCaches']);
    const compileCatalog = fn<(file: unknown) => unknown>(catalogModule, 'compileCatalog', 'scoring/catalog.ts');
    const catalogFile = fn<() => unknown>(catalogModule, 'loadStarterCatalog', 'scoring/catalog.ts')();
    const clearAddressCaches = fn<() => void>(addressModule, 'clearAddressCaches', 'scoring/address/index.ts');

    const listings = ctx.quick ? 20_000 : 200_000;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'radar-bench-score-'));
    try {
      const file = path.join(dir, 'listings.jsonl');
      progress(`writing ${listings} sandbox listings (truth records, seed 8) to ${file}`);
      const lines = await writeTruthJsonl(file, { seed: 8, listings });
      const pinned = pinToOneCore(0);
      progress(`scoring ${lines} listings, ${pinned}`);
      const result = await measurePair(
        ctx.repeats,
        async () => {
          // Every trial starts as a new `radar score-file` process would: no address resolved yet,
          // and a freshly compiled catalogue (its stated-brand and typo lookups are memoised on it).
          clearAddressCaches();
          const catalog = compileCatalog(catalogFile);
          const elapsed = stopwatch();
          const summary = await scoreFile(file, devNull(), { catalog });
          const seconds = elapsed();
          if (summary.invalid > 0) throw new Error(`score-file rejected ${summary.invalid} of the sandbox's own lines`);
          return { count: summary.scored, seconds };
        },
        () => parseOnly(file, Parser, forEachLine),
        progress,
        { ours: 'scoreFile', baseline: 'read + parse only' },
      );
      report({
        name: 'score-offline',
        unit: 'listings/s',
        value: round(result.ours.median, 0),
        samples: result.ours.samples.map((sample) => round(sample, 0)),
        baselineName:
          'read (score-file’s chunked byte reader) + JSON.parse + validate the same file with score-file’s line parser, no scoring',
        baselineValue: round(result.baseline.median, 0),
        baselineSamples: result.baseline.samples.map((sample) => round(sample, 0)),
        params: {
          listings: lines,
          source: 'sandbox truthRecords, seed 8',
          catalog: 'catalog/brands.starter.yaml',
          caches: 'address and catalogue memos emptied before every trial',
          cpu: pinned,
          output: 'lines built, then discarded',
          repeats: ctx.repeats,
          quick: ctx.quick,
        },
        target: { on: 'value', op: '>=', threshold: 50_000 },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
