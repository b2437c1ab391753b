/**
 * Done-when of issue 19's "learning from verdicts": on a demo-like database (a sandbox seed stored and
 * scored), 300 verdicts set by following the sandbox truth, `scoring fit` writes a new version whose
 * held-out precision@50 is no worse than the current weights', `scoring use` switches to it, and a
 * rescore stores every score under the new version.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/core/db/types.ts';
import { runFit } from '../../../src/apps/scoring/fit.ts';
import { runScoreWithLeads } from '../../../src/apps/scoring/run-score.ts';
import { useActiveWeights } from '../../../src/apps/scoring/weights.ts';
import { setLeadStatus } from '../../../src/leads/status.ts';
import { activeVersion, loadWeights, setActiveVersion, weightsDir } from '../../../scoring/fit/weights-store.ts';
import { BUILTIN_SCORING_VERSION, SCORING_VERSION, useScoringWeights } from '../../../scoring/weights.ts';
import { dbTargets } from '../../helpers/db.ts';
import { starterCatalog } from '../helpers.ts';
import { DEMO_NOW, demoRecords, ingestDemo, recordKey } from './demo-db.ts';

const catalog = starterCatalog();
const REVIEW_THRESHOLD = 40;
const records = demoRecords(7, 1600);
const truth = new Map(records.map((r) => [recordKey(r.marketplace, r.listing.id), r.label]));

/** The verdict script: the first `count` listing leads get the verdict the sandbox truth says. */
async function setVerdicts(db: Db, count: number): Promise<{ confirmed: number; dismissed: number }> {
  const { rows } = await db.query<{ id: number; marketplace: string; external_id: string }>(
    "SELECT ld.id, l.marketplace, l.external_id FROM leads ld JOIN listings l ON l.id = ld.listing_id WHERE ld.kind = 'listing' ORDER BY ld.id LIMIT $1",
    [count],
  );
  const out = { confirmed: 0, dismissed: 0 };
  for (const row of rows) {
    const counterfeit = truth.get(recordKey(row.marketplace, row.external_id)) === 'counterfeit';
    await setLeadStatus(db, Number(row.id), counterfeit ? 'confirmed' : 'dismissed', { by: 'verdict-script', now: DEMO_NOW });
    out[counterfeit ? 'confirmed' : 'dismissed']++;
  }
  return out;
}

async function versionsOfScores(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.query<{ scoring_version: string; n: number }>(
    'SELECT scoring_version, count(*)::int AS n FROM listing_scores GROUP BY 1',
  );
  return new Map(rows.map((r) => [r.scoring_version, r.n]));
}

describe.each(await dbTargets())('scoring fit from verdicts on $name', (target) => {
  let opened: { db: Db; cleanup: () => Promise<void> };
  let dataDir: string;
  beforeAll(async () => {
    useScoringWeights(null);
    opened = await target.open();
    await ingestDemo(opened.db, records);
    // The office reviews leads from 40 up, so analysts see borderline listings too: verdicts only on
    // listings over 70 would be nearly all "confirmed" on the sandbox, with nothing to tell apart.
    await runScoreWithLeads(opened.db, { all: true, catalog, now: DEMO_NOW, threshold: REVIEW_THRESHOLD });
  }, 300_000);
  afterAll(async () => {
    useScoringWeights(null);
    await opened?.cleanup();
  });
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const freshDataDir = () => (dataDir = mkdtempSync(path.join(tmpdir(), 'radar-fit-')));

  it('with fewer than 200 verdicts refuses in one line and writes nothing', async () => {
    const dir = freshDataDir();
    const set = await setVerdicts(opened.db, 150);
    expect(set.confirmed + set.dismissed).toBe(150);
    const result = await runFit({ dataDir: dir, db: opened.db, catalog, seed: 1 });
    expect(result.status).toBe('too_few');
    if (result.status !== 'too_few') return;
    expect(result.message).toMatch(/only 150 verdict/);
    expect(result.message).not.toContain('\n');
    expect(existsSync(weightsDir(dir))).toBe(false);
    expect(activeVersion(dir)).toBe(BUILTIN_SCORING_VERSION);
  }, 120_000);

  it('300 verdicts: fit writes a new inactive version no worse on held-out precision@50; use + rescore carries it', async () => {
    const dir = freshDataDir();
    // 150 already set by the test above (describe runs in order); the script sets the first 300.
    const set = await setVerdicts(opened.db, 300);
    expect(set.confirmed + set.dismissed).toBe(300);
    expect(set.dismissed).toBeGreaterThan(0);
    const result = await runFit({ dataDir: dir, db: opened.db, catalog, seed: 1 });
    expect(result.status).toBe('fitted');
    if (result.status !== 'fitted') return;
    const report = result.report;
    console.log(
      `[${target.name}] verdicts ${report.data.verdicts} (${report.data.counterfeit} confirmed, ${report.data.clean} dismissed); λ=${report.lambda}; unreviewed flagged ${report.unreviewed?.flaggedBefore} → ${report.unreviewed?.flaggedAfter}; cv ${report.crossValidation.map((c) => `${c.lambda}:${c.logLoss.toFixed(3)}/${c.unreviewedFlagged}`).join(' ')}; held-out p@50 ${report.heldOut.before.precisionAt50.toFixed(3)} → ${report.heldOut.after.precisionAt50.toFixed(3)}, brier ${report.heldOut.before.brier.toFixed(4)} → ${report.heldOut.after.brier.toFixed(4)}, precision ${report.heldOut.before.precision.toFixed(3)} → ${report.heldOut.after.precision.toFixed(3)}, recall ${report.heldOut.before.recall.toFixed(3)} → ${report.heldOut.after.recall.toFixed(3)}`,
    );
    console.log(`[${target.name}] factors: ${report.factors.map((f) => `${f.code} ${f.after} (${f.examples})`).join(', ')}`);
    expect(report.data.verdicts).toBe(300);
    expect(report.perFold).toHaveLength(5);
    expect(report.data.heldOut + report.data.training).toBe(300);
    expect(report.heldOut.after.precisionAt50).toBeGreaterThanOrEqual(report.heldOut.before.precisionAt50);
    // The listings nobody judged were checked, and the chosen fit does not flood them with new flags.
    expect(report.unreviewed?.listings).toBe(records.length - 300);
    expect(report.unreviewed!.flaggedAfter).toBeLessThanOrEqual(report.unreviewed!.limit);
    expect(result.version).not.toBe(BUILTIN_SCORING_VERSION);
    expect(result.file).not.toBeNull();
    expect(loadWeights(dir, result.version)?.multipliers).toBeDefined();
    // The same data and seed give the same version and report; a dry run writes nothing new.
    const again = await runFit({ dataDir: dir, db: opened.db, catalog, seed: 1, dryRun: true });
    expect(again.status === 'fitted' && again.version).toBe(result.version);
    expect(again.status === 'fitted' && again.report).toEqual(report);
    expect(again.status === 'fitted' && again.file).toBeNull();
    // Fitting never activates.
    expect(activeVersion(dir)).toBe(BUILTIN_SCORING_VERSION);
    expect(useActiveWeights(dir)).toBe(BUILTIN_SCORING_VERSION);

    setActiveVersion(dir, result.version);
    expect(useActiveWeights(dir)).toBe(result.version);
    expect(SCORING_VERSION).toBe(result.version);
    const rescored = await runScoreWithLeads(opened.db, { catalog, now: DEMO_NOW, threshold: REVIEW_THRESHOLD });
    // A new version has no earlier run: the incremental run scores everything under it.
    expect(rescored.mode).toBe('all');
    expect(rescored.scoringVersion).toBe(result.version);
    const versions = await versionsOfScores(opened.db);
    expect(versions.get(result.version)).toBe(records.length);
    // The old version's rows stay as they were.
    expect(versions.get(BUILTIN_SCORING_VERSION)).toBe(records.length);
    const { rows } = await opened.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM leads WHERE kind = 'listing' AND scoring_version = $1",
      [result.version],
    );
    expect(rows[0]!.n).toBeGreaterThan(0);
    // Flag quality of the whole database under each version, against the sandbox truth.
    const quality = await opened.db.query<{ scoring_version: string; flagged: number; tp: number }>(
      `SELECT ls.scoring_version, count(*) FILTER (WHERE ls.score >= 70)::int AS flagged,
              count(*) FILTER (WHERE ls.score >= 70 AND l.marketplace || ':' || l.external_id = ANY($1::text[]))::int AS tp
         FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id GROUP BY 1 ORDER BY 1`,
      [records.filter((r) => r.label === 'counterfeit').map((r) => recordKey(r.marketplace, r.listing.id))],
    );
    const counterfeit = records.filter((r) => r.label === 'counterfeit').length;
    for (const q of quality.rows)
      console.log(
        `[${target.name}] whole database under ${q.scoring_version} at 70: flagged ${q.flagged}, precision ${(q.tp / q.flagged).toFixed(3)}, recall ${(q.tp / counterfeit).toFixed(3)}`,
      );

    useScoringWeights(null);
    expect(readdirSync(weightsDir(dir))).toEqual([`${result.version}.json`]);
  }, 300_000);
});
