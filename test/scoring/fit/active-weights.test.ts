/** Active weights reach every offline path (batch, score-file), change nothing when built-in, and the CLI switches them. */
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sandboxTruth } from '../../../src/devtools/eval-truth.ts';
import { scoreTruth, type TruthListing } from '../../../scoring/eval.ts';
import { fittedVersion, WEIGHTS_FORMAT } from '../../../scoring/fit/weights-file.ts';
import { saveWeights, weightsDir, activeVersion } from '../../../scoring/fit/weights-store.ts';
import { scoreFromEvidence } from '../../../scoring/reason.ts';
import { scoreFile } from '../../../scoring/score-file.ts';
import { BUILTIN_SCORING_VERSION, SCORING_VERSION, useScoringWeights } from '../../../scoring/weights.ts';
import { runRadar } from '../../helpers/cli.ts';
import { starterCatalog } from '../helpers.ts';

const catalog = starterCatalog();
const nowMs = Date.parse('2025-09-01T00:00:00Z');
const records = [...sandboxTruth(31, 600)] as (TruthListing & { listing: object; shop: object })[];
const multipliers = {
  'lexicon.counterfeit': 0.5,
  'price.below_peers': 2,
  'network.risky_member': 0,
  'identity.official_store': 1.5,
  'address.placeholder': 3,
};
const fitted = { version: fittedVersion(BUILTIN_SCORING_VERSION, multipliers), multipliers };

describe('active scoring weights', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-weights-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(() => useScoringWeights(null));

  it('built-in weights are untouched; fitted factors scale each reason and the score is still the noisy-OR of its reasons', () => {
    const builtIn = scoreTruth(records, { catalog, nowMs }).result.listings;
    useScoringWeights(fitted);
    expect(SCORING_VERSION).toBe(fitted.version);
    const reweighed = scoreTruth(records, { catalog, nowMs }).result.listings;
    useScoringWeights(null);
    expect(SCORING_VERSION).toBe(BUILTIN_SCORING_VERSION);
    expect(scoreTruth(records, { catalog, nowMs }).result.listings).toEqual(builtIn);

    let changed = 0;
    reweighed.forEach((listing, i) => {
      expect(listing.score).toBe(scoreFromEvidence(listing.evidence));
      expect(listing.evidence).toBe(listing.reasons.reduce((sum, r) => sum + r.weight, 0));
      if (listing.score !== builtIn[i]!.score) changed++;
      const lexicon = listing.reasons.find((r) => r.code === 'lexicon.counterfeit');
      const before = builtIn[i]!.reasons.find((r) => r.code === 'lexicon.counterfeit');
      if (lexicon && before) expect(lexicon.weight).toBe(Math.round(before.weight * 0.5));
      expect(listing.reasons.some((r) => r.code === 'network.risky_member' && r.weight !== 0)).toBe(false);
    });
    expect(changed).toBeGreaterThan(0);
  });

  it('score-file lines carry the active version', async () => {
    const input = path.join(dataDir, 'in.jsonl');
    writeFileSync(
      input,
      records
        .slice(0, 20)
        .map((r) => JSON.stringify({ listing: r.listing, shop: r.shop }))
        .join('\n'),
    );
    const run = async () => {
      let text = '';
      const sink = new Writable({ write: (chunk: Buffer, _e, done) => ((text += chunk.toString('utf8')), done()) });
      await scoreFile(input, sink, { catalog, nowMs });
      return text
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { scoring_version: string }).scoring_version);
    };
    expect(new Set(await run())).toEqual(new Set([BUILTIN_SCORING_VERSION]));
    useScoringWeights(fitted);
    expect(new Set(await run())).toEqual(new Set([fitted.version]));
  });

  it('radar scoring use / list: refuses unknown versions (exit 2), switches to a stored one and back', async () => {
    const previous = process.env.RADAR_DATA_DIR;
    process.env.RADAR_DATA_DIR = dataDir;
    try {
      const unknown = await runRadar('scoring', 'use', 'v2.0.0-fit.00000000');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
      saveWeights(dataDir, {
        format: WEIGHTS_FORMAT,
        version: fitted.version,
        base: BUILTIN_SCORING_VERSION,
        created_at: new Date(nowMs).toISOString(),
        multipliers,
        training: {},
      });
      expect((await runRadar('scoring', 'use', fitted.version)).code).toBe(0);
      expect(activeVersion(dataDir)).toBe(fitted.version);
      const listed = JSON.parse((await runRadar('scoring', 'list', '--json')).stdout) as { version: string; active: boolean }[];
      expect(listed.filter((row) => row.active).map((row) => row.version)).toEqual([fitted.version]);
      expect((await runRadar('scoring', 'show', '--json')).stdout).toContain(fitted.version);
      expect((await runRadar('scoring', 'use', BUILTIN_SCORING_VERSION)).code).toBe(0);
      expect(activeVersion(dataDir)).toBe(BUILTIN_SCORING_VERSION);
    } finally {
      if (previous === undefined) delete process.env.RADAR_DATA_DIR;
      else process.env.RADAR_DATA_DIR = previous;
    }
  });

  it('radar scoring fit with too few labelled listings says so in one line, exits 2 and writes nothing', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'radar-weights-few-'));
    const previous = process.env.RADAR_DATA_DIR;
    process.env.RADAR_DATA_DIR = empty;
    try {
      const labels = path.join(empty, 'few.jsonl');
      writeFileSync(labels, readFileSync('eval/labelled/listings.jsonl', 'utf8').split('\n').slice(0, 30).join('\n'));
      const result = await runRadar('scoring', 'fit', '--labels', labels, '--catalog', 'eval/labelled/catalog.yaml');
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/only 30 .*at least 200.*nothing changed/);
      expect(existsSync(weightsDir(empty))).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.RADAR_DATA_DIR;
      else process.env.RADAR_DATA_DIR = previous;
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
