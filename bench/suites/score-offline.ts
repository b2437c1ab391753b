import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { checkoutCommit } from '../lib/commit-checkout.ts';
import { DependencyMissingError, fn, importRepoModule } from '../lib/deps.ts';
import { measurePair, stopwatch, type Trial } from '../lib/measure.ts';
import { pinToOneCore } from '../lib/pin.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from '../lib/suite.ts';
import { writeTruthJsonl } from '../lib/truth-file.ts';

/**
 * The commit whose `score-offline` run recorded 64.8k listings/s (bench/README, 2026-11-29) on the
 * host where the issue set "stays ≥ 50,000 listings/s": scoring at 50/64.8 of its speed, measured
 * on the same machine in the same run, is what 50k was there, whatever this host's speed.
 */
const REFERENCE_COMMIT = 'bf0616c2dc868832a4c51a2559e1677511be2c37';
const REFERENCE_RATE = 64_800;
const TARGET_RATE = 50_000;

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

type ModuleImporter = (relativePath: string, requiredExports: readonly string[]) => Promise<Record<string, unknown>>;

/** One `radar score-file` run as a trial, with the modules `load` imports (ours or a commit's). */
async function scoreFileTrial(load: ModuleImporter): Promise<(file: string) => Promise<Trial>> {
  const scoring = await load('scoring/score-file.ts', ['scoreFile']);
  const catalogModule = await load('scoring/catalog.ts', ['compileCatalog', 'loadStarterCatalog']);
  const addressModule = await load('scoring/address/index.ts', ['clearAddressCaches']);
  const scoreFile = fn<ScoreFile>(scoring, 'scoreFile', 'scoring/score-file.ts');
  const compileCatalog = fn<(file: unknown) => unknown>(catalogModule, 'compileCatalog', 'scoring/catalog.ts');
  const catalogFile = fn<() => unknown>(catalogModule, 'loadStarterCatalog', 'scoring/catalog.ts')();
  const clearAddressCaches = fn<() => void>(addressModule, 'clearAddressCaches', 'scoring/address/index.ts');
  return async (file) => {
    // Every trial starts as a new `radar score-file` process would: no address resolved yet,
    // and a freshly compiled catalogue (its stated-brand and typo lookups are memoised on it).
    clearAddressCaches();
    const catalog = compileCatalog(catalogFile);
    const elapsed = stopwatch();
    const summary = await scoreFile(file, devNull(), { catalog });
    const seconds = elapsed();
    if (summary.invalid > 0) throw new Error(`score-file rejected ${summary.invalid} of the sandbox's own lines`);
    return { count: summary.scored, seconds };
  };
}

const suite: Suite = {
  name: 'score-offline',
  async run(ctx, { progress, report, fail }) {
    const scoring = await importRepoModule('scoring/score-file.ts', ['Latin1LineParser']);
    const lineReader = await importRepoModule('scoring/io/line-reader.ts', ['forEachLine']);
    const Parser = fn<LineParser>(scoring, 'Latin1LineParser', 'scoring/score-file.ts');
    const forEachLine = fn<ForEachLine>(lineReader, 'forEachLine', 'scoring/io/line-reader.ts');
    const ours = await scoreFileTrial(importRepoModule);

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
        () => ours(file),
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
        target: { on: 'value', op: '>=', threshold: TARGET_RATE },
      });

      progress(`checking out ${REFERENCE_COMMIT} to score the same file with its scoreFile`);
      let reference: (file: string) => Promise<Trial>;
      try {
        const root = checkoutCommit(REFERENCE_COMMIT);
        const rootUrl = pathToFileURL(`${root}/`);
        reference = await scoreFileTrial((relativePath, required) => importRepoModule(relativePath, required, rootUrl));
      } catch (error) {
        if (!(error instanceof DependencyMissingError)) throw error;
        fail('score-offline.vs-reference', error.message);
        return;
      }
      const versus = await measurePair(
        ctx.repeats,
        () => ours(file),
        () => reference(file),
        progress,
        { ours: 'scoreFile', baseline: `scoreFile at ${REFERENCE_COMMIT.slice(0, 7)}` },
      );
      report({
        name: 'score-offline.vs-reference',
        unit: 'listings/s',
        value: round(versus.ours.median, 0),
        samples: versus.ours.samples.map((sample) => round(sample, 0)),
        baselineName: `scoreFile at ${REFERENCE_COMMIT.slice(0, 7)}, same file (${REFERENCE_RATE.toLocaleString('en')} listings/s where the 50k target was set)`,
        baselineValue: round(versus.baseline.median, 0),
        baselineSamples: versus.baseline.samples.map((sample) => round(sample, 0)),
        params: { listings: lines, reference: REFERENCE_COMMIT, cpu: pinned, repeats: ctx.repeats, quick: ctx.quick },
        target: { on: 'ratio', op: '>=', threshold: round(TARGET_RATE / REFERENCE_RATE, 3) },
        note: `ratio × ${REFERENCE_RATE.toLocaleString('en')} is the rate this code would have on that host`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
