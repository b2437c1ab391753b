import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { listSellerRisks } from '../../src/core/db/stores/seller-risk.ts';
import type { Db } from '../../src/core/db/types.ts';
import {
  SELLER_RISK_VERSION,
  inRiskWindow,
  leadReachWeight,
  refreshSellerRisks,
  sellerReach,
  sellerRisks,
  type SellerRiskInput,
} from '../../src/leads/seller-risk.ts';
import { setLeadStatus } from '../../src/leads/status.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { dbTargets } from '../helpers/db.ts';
import { runRadar } from '../helpers/cli.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

const AS_OF = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const daysBefore = (days: number, extraMs = 0) => new Date(AS_OF.getTime() - days * DAY - extraMs);
const seller = (shopId: number, followers: number | null, confirmed: [sold: number | null, daysAgo: number][]): SellerRiskInput => ({
  sellerKey: `shop:${shopId}`,
  shopIds: [shopId],
  followers,
  confirmed: confirmed.map(([soldCount, days]) => ({ soldCount, confirmedAt: daysBefore(days) })),
});
const byShop = (inputs: SellerRiskInput[]) => new Map(sellerRisks(inputs, AS_OF).map((r) => [r.shopIds[0]!, r]));

describe('seller risk formula', () => {
  it('orders sellers by weighted confirmed leads; ties share a percentile; sellers without leads are at 0', () => {
    const risks = byShop([
      seller(1, 0, []),
      seller(2, 0, [[0, 10]]),
      seller(3, 0, [
        [0, 10],
        [0, 20],
      ]),
      seller(4, 0, [
        [0, 5],
        [0, 6],
      ]),
      seller(5, 0, []),
    ]);
    expect([1, 2, 3, 4, 5].map((id) => risks.get(id)!.percentile)).toEqual([0, 50, 75, 75, 0]);
    expect(risks.get(3)!.weighted).toBe(2);
    expect(risks.get(3)!.version).toBe(SELLER_RISK_VERSION);
  });

  it('counts a confirmation exactly 180 days old, not one a millisecond older, nor one after the as-of date', () => {
    expect(inRiskWindow(daysBefore(180), AS_OF)).toBe(true);
    expect(inRiskWindow(daysBefore(180, 1), AS_OF)).toBe(false);
    expect(inRiskWindow(new Date(AS_OF.getTime() + 1), AS_OF)).toBe(false);
    const risks = byShop([
      seller(1, null, [
        [0, 180],
        [0, 181],
        [0, -1],
      ]),
    ]);
    expect(risks.get(1)!.confirmedLeads).toBe(1);
  });

  it('weighs a lead by its listing’s sold count and the seller by its followers, on a log scale', () => {
    expect(leadReachWeight(0)).toBe(1);
    expect(leadReachWeight(null)).toBe(1);
    expect(leadReachWeight(999)).toBeCloseTo(4, 10);
    expect(sellerReach(9_999)).toBeCloseTo(3, 10);
    const risks = byShop([
      seller(1, 0, [[999, 1]]),
      seller(2, 0, [
        [0, 1],
        [0, 1],
        [0, 1],
      ]),
      seller(3, 9_999, [[0, 1]]),
      seller(4, 0, [[0, 1]]),
    ]);
    expect(risks.get(1)!.weighted).toBeCloseTo(4, 10);
    expect(risks.get(3)!.weighted).toBeCloseTo(3, 10);
    // One listing that sold a thousand outranks three that sold nothing, which tie with a big seller's one lead.
    expect(risks.get(1)!.percentile).toBe(100);
    expect(risks.get(2)!.percentile).toBeCloseTo(risks.get(3)!.percentile, 10);
    expect(risks.get(4)!.percentile).toBe(0);
  });

  it('property: the percentile never decreases as the weighted figure grows, and stays within 0–100', () => {
    const input = fc.array(
      fc.record({
        followers: fc.option(fc.nat(1_000_000)),
        leads: fc.array(fc.tuple(fc.option(fc.nat(100_000)), fc.integer({ min: -5, max: 400 })), { maxLength: 6 }),
      }),
      { minLength: 1, maxLength: 30 },
    );
    fc.assert(
      fc.property(input, (sellers) => {
        const risks = sellerRisks(
          sellers.map((s, i) => seller(i, s.followers, s.leads)),
          AS_OF,
        );
        const sorted = [...risks].sort((a, b) => a.weighted - b.weighted);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.percentile).toBeGreaterThanOrEqual(sorted[i - 1]!.percentile);
        for (const r of risks) expect(r.percentile >= 0 && r.percentile <= 100).toBe(true);
      }),
    );
  });
});

describe.each(await dbTargets())('seller risk from the database on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await target.open()));
  afterAll(async () => cleanup?.());

  it('uses the time each lead was confirmed, the listing’s sold count and the shop’s followers; stores the figures under the version', async () => {
    const { listingIds, shopIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'big' }, { externalId: 'small' }, { externalId: 'stale' }, { externalId: 'clean' }],
      [
        { externalId: 'b1', shopExternalId: 'big' },
        { externalId: 's1', shopExternalId: 'small' },
        { externalId: 's2', shopExternalId: 'small' },
        { externalId: 'o1', shopExternalId: 'stale' },
        { externalId: 'c1', shopExternalId: 'clean' },
      ],
    );
    await db.query(`UPDATE listings SET sold_count = 999 WHERE external_id = 'b1'`);
    await db.query(`UPDATE shops SET follower_count = 9999 WHERE external_id = 'big'`);
    await upsertLeads(
      db,
      ['b1', 's1', 's2', 'o1', 'c1'].map((id) => listingCandidate(listingIds.get(id)!, 90)),
      daysBefore(400),
    );
    const leadOf = async (externalId: string) =>
      Number(
        (
          await db.query<{ id: string }>(`SELECT l.id FROM leads l JOIN listings li ON li.id = l.listing_id WHERE li.external_id = $1`, [
            externalId,
          ])
        ).rows[0]!.id,
      );
    await setLeadStatus(db, await leadOf('b1'), 'confirmed', { by: 'analyst', now: daysBefore(180) });
    await setLeadStatus(db, await leadOf('s1'), 'confirmed', { by: 'analyst', now: daysBefore(10) });
    await setLeadStatus(db, await leadOf('s2'), 'referred', { by: 'analyst', now: daysBefore(3) });
    await setLeadStatus(db, await leadOf('o1'), 'confirmed', { by: 'analyst', now: daysBefore(180, 1000) });
    await setLeadStatus(db, await leadOf('c1'), 'dismissed', { by: 'analyst', now: daysBefore(1) });

    await db.transaction((tx) => refreshSellerRisks(tx, AS_OF));
    const rows = await listSellerRisks(db, SELLER_RISK_VERSION, { limit: 10, all: true });
    const of = (external: string) => rows.find((r) => r.shop_id === shopIds.get(external))!;
    expect(of('big')).toMatchObject({ confirmed_leads: 1, percentile: 100, version: SELLER_RISK_VERSION });
    expect(of('big').weighted).toBeCloseTo(12, 6);
    expect(of('small')).toMatchObject({ confirmed_leads: 2, weighted: 2 });
    expect(of('stale')).toMatchObject({ confirmed_leads: 0, weighted: 0, percentile: 0 });
    expect(of('clean')).toMatchObject({ confirmed_leads: 0, percentile: 0 });
    expect(of('small').percentile).toBeCloseTo(66.7, 6);
    // Without --all, only sellers with a counted lead, riskiest first.
    expect((await listSellerRisks(db, SELLER_RISK_VERSION, { limit: 10 })).map((r) => r.shop_id)).toEqual([
      shopIds.get('big'),
      shopIds.get('small'),
    ]);
    expect(of('big').seller_key).toBe(`shop:${shopIds.get('big')}`);
    // Recomputing later moves the window: the big seller's confirmation drops out.
    await refreshSellerRisks(db, new Date(AS_OF.getTime() + DAY));
    expect((await listSellerRisks(db, SELLER_RISK_VERSION, { limit: 10 })).map((r) => r.shop_id)).toEqual([shopIds.get('small')]);
  });
});

describe.each(await dbTargets())('seller risk of a network of accounts on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await target.open()));
  afterAll(async () => cleanup?.());

  it('pools the leads and followers of every account of a network into one seller, ranked once', async () => {
    const { listingIds, shopIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'n-a' }, { externalId: 'n-b' }, { externalId: 'solo' }, { externalId: 'quiet' }],
      [
        { externalId: 'na1', shopExternalId: 'n-a' },
        { externalId: 'nb1', shopExternalId: 'n-b' },
        { externalId: 'so1', shopExternalId: 'solo' },
        { externalId: 'so2', shopExternalId: 'solo' },
      ],
    );
    const network = Number(
      (await db.query<{ id: string }>(`INSERT INTO networks (network_key) VALUES ('phone:+84901234567') RETURNING id`)).rows[0]!.id,
    );
    await db.query(`UPDATE shops SET network_id = $1, follower_count = 9 WHERE external_id IN ('n-a', 'n-b')`, [network]);
    await upsertLeads(
      db,
      ['na1', 'nb1', 'so1'].map((id) => listingCandidate(listingIds.get(id)!, 90)),
      daysBefore(60),
    );
    const { rows: leads } = await db.query<{ id: string }>(`SELECT id FROM leads ORDER BY id`);
    for (const lead of leads) await setLeadStatus(db, Number(lead.id), 'confirmed', { by: 'analyst', now: daysBefore(30) });
    await refreshSellerRisks(db, AS_OF);
    const rows = await listSellerRisks(db, SELLER_RISK_VERSION, { limit: 10, all: true });
    const of = (external: string) => rows.find((r) => r.shop_id === shopIds.get(external))!;
    // Two leads × reach of 18 followers: 2 × (1 + log10(19) / 2).
    const pooled = 2 * (1 + Math.log10(19) / 2);
    for (const account of ['n-a', 'n-b']) {
      expect(of(account)).toMatchObject({ seller_key: `network:${network}`, confirmed_leads: 2, percentile: 100 });
      expect(of(account).weighted).toBeCloseTo(pooled, 6);
    }
    // Three sellers, not four: the solo shop outranks one of two others (the quiet shop).
    expect(of('solo')).toMatchObject({ seller_key: `shop:${shopIds.get('solo')}`, confirmed_leads: 1, weighted: 1, percentile: 50 });
    expect(of('quiet').percentile).toBe(0);
  });
});

const adminUrl = await postgresAdminUrl();
describe.skipIf(!adminUrl)('radar sellers risk (CLI)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    process.env.DATABASE_URL = scratch.url;
    const db = await new PostgresDb(scratch.url).connect();
    await migrate(db);
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 'risky', name: 'Kho Sỉ Hàng Hiệu' }, { externalId: 'calm' }],
      [
        { externalId: 'r1', shopExternalId: 'risky' },
        { externalId: 'k1', shopExternalId: 'calm' },
      ],
    );
    await upsertLeads(db, [listingCandidate(listingIds.get('r1')!, 90)], daysBefore(30));
    const lead = Number((await db.query<{ id: string }>(`SELECT id FROM leads`)).rows[0]!.id);
    await setLeadStatus(db, lead, 'confirmed', { by: 'analyst', now: daysBefore(20) });
    await db.close();
  });
  afterAll(async () => {
    process.env = saved;
    await scratch?.drop();
  });

  it('lists the risky seller with its percentile and the formula version; a bad --as-of is one line', async () => {
    const text = await runRadar('sellers', 'risk', '--as-of', AS_OF.toISOString());
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(SELLER_RISK_VERSION);
    expect(text.stdout).toMatch(/100\.0\t1\.00\t1\t\ttiki:risky Kho Sỉ Hàng Hiệu/);
    const json = await runRadar('sellers', 'risk', '--as-of', AS_OF.toISOString(), '--all', '--json');
    expect((JSON.parse(json.stdout) as { external_id: string; percentile: number }[]).map((r) => [r.external_id, r.percentile])).toEqual([
      ['risky', 100],
      ['calm', 0],
    ]);
    const bad = await runRadar('sellers', 'risk', '--as-of', 'yesterday-ish');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--as-of');
  });
});
