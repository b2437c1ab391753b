// Done-when of issue 22: a shop the sandbox re-creates with a new id but the same phone raises
// `repeat_offender` naming the earlier lead, through crawl → score → leads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScoreWithLeads } from '../../src/apps/scoring/run-score.ts';
import type { Db } from '../../src/core/db/types.ts';
import { recreations, startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/devtools/sandbox/index.ts';
import { setLeadStatus } from '../../src/leads/status.ts';
import { dbTargets } from '../helpers/db.ts';
import { crawlTiki, restartAtEpoch } from './watch-sandbox.ts';

const OPTIONS: SandboxOptions = { seed: 23, listings: 600, faults: 'none', recreate: { epoch: 1, share: 1 } };

interface LeadRow {
  id: string;
  external_id: string;
  shop_external_id: string;
  phone_e164: string | null;
  reasons: { code: string; detail: string }[];
}

const leadsOf = async (db: Db, externalIds: readonly string[]) =>
  (
    await db.query<LeadRow>(
      `SELECT l.id, li.external_id, s.external_id AS shop_external_id, s.phone_e164, l.reasons
       FROM leads l JOIN listings li ON li.id = l.listing_id JOIN shops s ON s.id = li.shop_id
       WHERE li.marketplace = 'tiki' AND li.external_id = ANY($1::text[]) ORDER BY l.id`,
      [externalIds],
    )
  ).rows;

describe.each(await dbTargets())('re-created shops on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    sandbox = await startSandbox({ ...OPTIONS, epoch: 0 });
  });
  afterAll(async () => {
    await sandbox?.close();
    await cleanup?.();
  });

  it('the new account with the same phone raises repeat_offender naming the earlier confirmed lead', async () => {
    const reborn = recreations(sandbox.world).filter((r) => r.skin === 'tiki');
    expect(reborn.length).toBeGreaterThan(1);

    // Epoch 0: the offending shops are crawled and scored; analysts confirm their leads.
    await crawlTiki(
      db,
      sandbox,
      reborn.map((r) => ({ mode: 'shop', shopId: r.originalShopId })),
    );
    await runScoreWithLeads(db);
    const earlier = new Map<string, number>();
    for (const r of reborn) {
      const leads = await leadsOf(db, r.originalListingIds);
      for (const lead of leads) await setLeadStatus(db, Number(lead.id), 'confirmed', { by: 'analyst' });
      // The earliest confirmed lead of the shop is the one a relisting names.
      if (leads.length > 0 && leads[0]!.phone_e164 !== null) earlier.set(r.newShopId, Number(leads[0]!.id));
    }
    expect(earlier.size).toBeGreaterThan(0);
    // Nothing from the new accounts exists yet.
    expect(
      await leadsOf(
        db,
        reborn.flatMap((r) => r.newListingIds),
      ),
    ).toEqual([]);

    // Epoch 1: the shops are gone and back under new ids; a category crawl finds the new accounts.
    sandbox = await restartAtEpoch(sandbox, OPTIONS, 1);
    const categories = [...new Set(reborn.flatMap((r) => r.newListingIds.map((id) => sandbox.world.findListing('tiki', id)!.category)))];
    await crawlTiki(
      db,
      sandbox,
      categories.map((category) => ({ mode: 'category', category })),
      5,
    );
    await runScoreWithLeads(db);

    let named = 0;
    for (const r of reborn.filter((x) => earlier.has(x.newShopId))) {
      const leads = await leadsOf(db, r.newListingIds);
      expect(leads.length, `re-created shop ${r.newShopId} has leads`).toBeGreaterThan(0);
      for (const lead of leads) {
        expect(lead.shop_external_id).toBe(r.newShopId);
        const reason = lead.reasons.find((x) => x.code === 'repeat_offender');
        expect(reason?.detail, `listing ${lead.external_id}`).toBe(`lead #${earlier.get(r.newShopId)} (phone: ${lead.phone_e164})`);
        named += 1;
      }
    }
    expect(named).toBeGreaterThan(0);
    // No other lead is tied to them by phone.
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM leads l JOIN listings li ON li.id = l.listing_id
       WHERE l.reasons @> '[{"code":"repeat_offender"}]'::jsonb AND l.reasons::text LIKE '%(phone:%' AND NOT (li.external_id = ANY($1::text[]))`,
      [reborn.flatMap((r) => r.newListingIds)],
    );
    expect(rows[0]!.n).toBe(0);
  });
});
