/**
 * One scoring formula: the same sandbox seed scored through score-file, eval, `radar score --all` and
 * the incremental (`--since`) database run gives the same scores, flags and reason order everywhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { ListingRecordSchema } from '../../src/core/domain/records.ts';
import type { Db } from '../../src/core/db/types.ts';
import { sandboxTruth } from '../../src/devtools/eval-truth.ts';
import { runScoreWithLeads } from '../../src/apps/scoring/run-score.ts';
import { scoreTruth, type TruthListing } from '../../scoring/eval.ts';
import { SCORING_VERSION } from '../../scoring/pipeline.ts';
import { scoreFile } from '../../scoring/score-file.ts';
import type { TruthListingFields, TruthShopFields } from '../../src/devtools/sandbox/truth.ts';
import { dbTargets } from '../helpers/db.ts';
import { starterCatalog } from './helpers.ts';
import { ingestDemo } from './fit/demo-db.ts';

/** One listing's outcome as every path reports it. */
type Outcome = { score: number; flagged: boolean; reasons: string[] };
const key = (marketplace: string, id: string) => `${marketplace}:${id}`;
const reasonText = (r: { code: string; weight: number; detail: string }) => `${r.code} ${r.weight} ${r.detail}`;

const catalog = starterCatalog();
const nowMs = Date.parse('2025-09-01T00:00:00Z');
// Seed with networks, decoys and every pattern; small enough for two databases.
const records = [...sandboxTruth(31, 800)] as (TruthListing & {
  listing: TruthListingFields;
  shop: TruthShopFields;
  marketplace: string;
})[];

function viaEval(): Map<string, Outcome> {
  const { truth, result } = scoreTruth(records, { catalog, nowMs });
  const out = new Map<string, Outcome>();
  truth.forEach((record, i) => {
    const scored = result.listings[i]!;
    const l = record.listing as TruthListingFields;
    out.set(key(l.marketplace, l.id), { score: scored.score, flagged: scored.flagged, reasons: scored.reasons.map(reasonText) });
  });
  return out;
}

async function viaScoreFile(): Promise<Map<string, Outcome>> {
  const dir = mkdtempSync(join(tmpdir(), 'radar-four-paths-'));
  try {
    const input = join(dir, 'in.jsonl');
    writeFileSync(input, records.map((r) => JSON.stringify({ listing: r.listing, shop: r.shop })).join('\n'));
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    await scoreFile(input, sink, { catalog, nowMs });
    const out = new Map<string, Outcome>();
    for (const line of text.trim().split('\n')) {
      const row = JSON.parse(line) as {
        id: string;
        marketplace: string;
        score: number;
        flagged: boolean;
        reasons: { code: string; weight: number; detail: string }[];
      };
      out.set(key(row.marketplace, row.id), { score: row.score, flagged: row.flagged, reasons: row.reasons.map(reasonText) });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores the seed's shops (those with listings, as score-file sees them) and listings. */
const ingest = (db: Db) => ingestDemo(db, records, new Date(nowMs));

async function stored(db: Db): Promise<Map<string, Outcome>> {
  const { rows } = await db.query<{
    marketplace: string;
    external_id: string;
    score: number;
    flagged: boolean;
    reasons: { code: string; weight: number; detail: string }[];
  }>(
    'SELECT l.marketplace, l.external_id, ls.score, ls.flagged, ls.reasons FROM listing_scores ls JOIN listings l ON l.id = ls.listing_id WHERE ls.scoring_version = $1',
    [SCORING_VERSION],
  );
  return new Map(
    rows.map((row) => [
      key(row.marketplace, row.external_id),
      { score: row.score, flagged: row.flagged, reasons: row.reasons.map(reasonText) },
    ]),
  );
}

describe.each(await dbTargets())('one formula, four paths, on $name', (target) => {
  let all: { db: Db; cleanup: () => Promise<void> };
  let incremental: { db: Db; cleanup: () => Promise<void> };
  beforeAll(async () => {
    all = await target.open();
    incremental = await target.open();
    await ingest(all.db);
    await ingest(incremental.db);
  }, 120_000);
  afterAll(async () => {
    await all?.cleanup();
    await incremental?.cleanup();
  });

  it('score-file, eval, radar score --all and an incremental run give identical scores, flags and reason order', async () => {
    const evaluated = viaEval();
    const fromFile = await viaScoreFile();
    const allRun = await runScoreWithLeads(all.db, { all: true, catalog, now: new Date(nowMs) });
    const sinceRun = await runScoreWithLeads(incremental.db, { since: new Date(0), catalog, now: new Date(nowMs) });
    expect(allRun.mode).toBe('all');
    expect(sinceRun.mode).toBe('since');
    const fromAll = await stored(all.db);
    const fromIncremental = await stored(incremental.db);

    expect(evaluated.size).toBe(records.length);
    // The seed must exercise what differs between paths: networks and flagged listings.
    expect(allRun.networks).toBeGreaterThan(0);
    expect([...evaluated.values()].some((o) => o.reasons.some((r) => r.startsWith('network.risky_member')))).toBe(true);
    expect([...evaluated.values()].filter((o) => o.flagged).length).toBeGreaterThan(50);
    for (const [name, other] of [
      ['score-file', fromFile],
      ['score --all', fromAll],
      ['incremental', fromIncremental],
    ] as const) {
      expect(other.size, name).toBe(evaluated.size);
      for (const [id, expected] of evaluated) expect(other.get(id), `${name} ${id}`).toEqual(expected);
    }
    expect(allRun.listingsFlagged).toBe([...evaluated.values()].filter((o) => o.flagged).length);
    expect(sinceRun.listingsFlagged).toBe(allRun.listingsFlagged);
    expect(sinceRun.leads).toMatchObject({ listing: allRun.leads.listing, shop: allRun.leads.shop, network: allRun.leads.network });
  }, 240_000);

  it('an incremental run after a change re-scores the changed listing and its network partners, and agrees with --all', async () => {
    // Make one networked shop's listing a blatant fake: its partners gain (or keep) the network reason.
    const { rows } = await all.db.query<{ marketplace: string; external_id: string; shop: string }>(
      `SELECT l.marketplace, l.external_id, s.external_id AS shop FROM listings l JOIN shops s ON s.id = l.shop_id WHERE s.network_id IS NOT NULL ORDER BY l.id LIMIT 1`,
    );
    const row = rows[0]!;
    const later = new Date(Date.now() + 60_000);
    const changed = ListingRecordSchema.parse({
      marketplace: row.marketplace,
      externalId: row.external_id,
      shopExternalId: row.shop,
      title: 'Giày Nike Air Force 1 rep 1:1 siêu cấp',
      priceVnd: 350_000,
    });
    await upsertListings(all.db, [changed], { seenAt: later });
    const run = await runScoreWithLeads(all.db, { catalog, now: new Date(nowMs) });
    expect(run.mode).toBe('incremental');
    expect(run.listingsScored).toBe(1);
    expect(run.networkListingsRescored).toBeGreaterThan(0);
    const afterIncremental = await stored(all.db);
    await runScoreWithLeads(all.db, { all: true, catalog, now: new Date(nowMs) });
    expect(await stored(all.db)).toEqual(afterIncremental);
  }, 240_000);
});
