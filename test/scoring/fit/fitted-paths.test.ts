/**
 * Fitted weights keep the one formula: eval (the batch) and `radar score --all` (the database run)
 * give the same scores, flags and reasons under a fitted version, and the rows carry it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/core/db/types.ts';
import { runScoreWithLeads } from '../../../src/apps/scoring/run-score.ts';
import { scoreTruth } from '../../../scoring/eval.ts';
import { fittedVersion } from '../../../scoring/fit/weights-file.ts';
import { BUILTIN_SCORING_VERSION, useScoringWeights } from '../../../scoring/weights.ts';
import { dbTargets } from '../../helpers/db.ts';
import { starterCatalog } from '../helpers.ts';
import { DEMO_NOW, demoRecords, ingestDemo, recordKey } from './demo-db.ts';

const catalog = starterCatalog();
const records = demoRecords(31, 800);
// Factors on every family, the peer and network reasons and the shop facts under the cap included.
const multipliers = {
  'lexicon.counterfeit': 0.7,
  'price.below_peers': 1.8,
  'network.risky_member': 2.5,
  'address.placeholder': 2,
  'identity.tax_code_missing': 3,
  'brand.stated_mismatch': 0.4,
};
const version = fittedVersion(BUILTIN_SCORING_VERSION, multipliers);
type Outcome = { score: number; flagged: boolean; reasons: string[] };
const text = (r: { code: string; weight: number; detail: string }) => `${r.code} ${r.weight} ${r.detail}`;

describe.each((await dbTargets()).slice(0, 1))('fitted weights on every path ($name)', (target) => {
  let opened: { db: Db; cleanup: () => Promise<void> };
  beforeAll(async () => {
    opened = await target.open();
    await ingestDemo(opened.db, records);
  }, 120_000);
  afterAll(async () => {
    useScoringWeights(null);
    await opened?.cleanup();
  });

  it('eval and radar score --all agree under a fitted version', async () => {
    useScoringWeights({ version, multipliers });
    const { truth, result } = scoreTruth(records, { catalog, nowMs: DEMO_NOW.getTime() });
    const evaluated = new Map<string, Outcome>();
    truth.forEach((record, i) => {
      const l = record.listing as { marketplace: string; id: string };
      const s = result.listings[i]!;
      evaluated.set(recordKey(l.marketplace, l.id), { score: s.score, flagged: s.flagged, reasons: s.reasons.map(text) });
    });
    const run = await runScoreWithLeads(opened.db, { all: true, catalog, now: DEMO_NOW });
    expect(run.scoringVersion).toBe(version);
    const { rows } = await opened.db.query<{
      marketplace: string;
      external_id: string;
      score: number;
      flagged: boolean;
      reasons: { code: string; weight: number; detail: string }[];
      scoring_version: string;
    }>(
      'SELECT l.marketplace, l.external_id, ls.score, ls.flagged, ls.reasons, ls.scoring_version FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id',
    );
    expect(new Set(rows.map((r) => r.scoring_version))).toEqual(new Set([version]));
    const stored = new Map(
      rows.map((r) => [recordKey(r.marketplace, r.external_id), { score: r.score, flagged: r.flagged, reasons: r.reasons.map(text) }]),
    );
    expect(stored.size).toBe(evaluated.size);
    for (const [key, outcome] of evaluated) expect(stored.get(key), key).toEqual(outcome);
    // The factors did change scores (the test would pass vacuously otherwise).
    useScoringWeights(null);
    const builtIn = scoreTruth(records, { catalog, nowMs: DEMO_NOW.getTime() }).result.listings;
    expect(builtIn.filter((s, i) => s.score !== result.listings[i]!.score).length).toBeGreaterThan(10);
    expect(result.listings.some((s) => s.reasons.some((r) => r.code === 'network.risky_member'))).toBe(true);
  }, 300_000);
});
