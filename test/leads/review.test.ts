import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/core/db/types.ts';
import { listLeads } from '../../src/leads/list.ts';
import { leadDetails } from '../../src/leads/show.ts';
import { renderLeadDetails } from '../../src/leads/show-text.ts';
import { leadStats } from '../../src/leads/stats.ts';
import { setLeadStatus } from '../../src/leads/status.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { dbTargets } from '../helpers/db.ts';
import { listingCandidate, reason, seedShopsAndListings } from './seed.ts';

describe.each(await dbTargets())('review workflow on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let ids: number[];

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    const { listingIds, shopIds } = await seedShopsAndListings(
      db,
      [
        { externalId: 'hn', provinceCode: 1, provinceName: 'Thành phố Hà Nội', name: 'Mỹ phẩm HN' },
        { externalId: 'dn', marketplace: 'lazada', provinceCode: 48, provinceName: 'Thành phố Đà Nẵng', name: 'Đồng hồ ĐN' },
      ],
      [
        { externalId: 'a', shopExternalId: 'hn', brand: 'Dior', title: 'Son Dior giá sỉ' },
        { externalId: 'b', shopExternalId: 'dn', marketplace: 'lazada', brand: 'Rolex', title: 'Rolex Submariner' },
        { externalId: 'c', shopExternalId: 'hn', title: 'Nước hoa Chanel no.5' },
      ],
    );
    const brand = reason('brand.slang', 25, 'Replica slang', 'Từ lóng hàng nhái', 'siêu cấp');
    const addr = reason('address.placeholder', 30, 'Placeholder address', 'Địa chỉ giả');
    await upsertLeads(
      db,
      [
        listingCandidate(listingIds.get('a')!, 90, { reasons: [addr, brand], scoringVersion: 'v1' }),
        listingCandidate(listingIds.get('b')!, 70, { reasons: [brand], scoringVersion: 'v2' }),
        listingCandidate(listingIds.get('c')!, 60, { reasons: [addr], scoringVersion: 'v2' }),
        {
          kind: 'shop',
          shopId: shopIds.get('hn')!,
          score: 80,
          scoringVersion: 'v2',
          reasons: [addr],
          provinceCode: 1,
          provinceName: 'Thành phố Hà Nội',
        },
      ],
      new Date('2026-11-25T00:00:00Z'),
    );
    ids = (await db.query<{ id: number }>('SELECT id FROM leads ORDER BY id')).rows.map((r) => r.id);
  });
  afterAll(async () => cleanup?.());

  it('filters by score, province without accents, brand, marketplace, kind and since', async () => {
    expect((await listLeads(db, { minScore: 75 })).map((r) => r.score)).toEqual([90, 80]);
    expect((await listLeads(db, { province: 'da nang' })).map((r) => r.subject)).toEqual(['Rolex Submariner']);
    expect((await listLeads(db, { province: '1', kind: 'listing' })).map((r) => r.subject)).toEqual([
      'Son Dior giá sỉ',
      'Nước hoa Chanel no.5',
    ]);
    expect((await listLeads(db, { brand: 'chanel' })).map((r) => r.subject)).toEqual(['Nước hoa Chanel no.5']);
    expect((await listLeads(db, { marketplace: 'lazada' })).map((r) => r.marketplace)).toEqual(['lazada']);
    expect(await listLeads(db, { since: '2026-11-26' })).toEqual([]);
    await expect(listLeads(db, { minScore: 'lots' })).rejects.toThrow();
  });

  it('writes every status change to lead_events, keeps the assignee and remembers the dismissed score', async () => {
    await setLeadStatus(db, ids[0]!, 'reviewing', { by: 'lan' });
    await setLeadStatus(db, ids[0]!, 'confirmed', { by: 'minh', note: 'replica confirmed by brand' });
    await setLeadStatus(db, ids[1]!, 'dismissed', { by: 'lan', note: 'authorised reseller' });
    await setLeadStatus(db, ids[2]!, 'referred', { by: 'lan' });
    const { rows } = await db.query<{ event: string; from_status: string; to_status: string; actor: string; note: string | null }>(
      'SELECT event, from_status, to_status, actor, note FROM lead_events WHERE lead_id = $1 ORDER BY id',
      [ids[0]],
    );
    expect(rows).toEqual([
      { event: 'created', from_status: null, to_status: 'new', actor: 'scoring', note: null },
      { event: 'status', from_status: 'new', to_status: 'reviewing', actor: 'lan', note: null },
      { event: 'status', from_status: 'reviewing', to_status: 'confirmed', actor: 'minh', note: 'replica confirmed by brand' },
    ]);
    const lead = (
      await db.query<{ assignee: string; dismissed_score: number | null }>('SELECT assignee, dismissed_score FROM leads WHERE id = $1', [
        ids[1],
      ])
    ).rows[0]!;
    expect(lead).toEqual({ assignee: 'lan', dismissed_score: 70 });
    await expect(setLeadStatus(db, 999_999, 'confirmed')).rejects.toThrow(/no lead with id 999999/);
  });

  it('reports the confirmed share per scoring version and per reason', async () => {
    const stats = await leadStats(db);
    expect(stats.total).toMatchObject({ confirmed: 2, dismissed: 1, reviewed: 3, open: 1 });
    expect(stats.byScoringVersion).toEqual([
      { group: 'v1', confirmed: 1, dismissed: 0, reviewed: 1, open: 0, confirmedShare: 1 },
      { group: 'v2', confirmed: 1, dismissed: 1, reviewed: 2, open: 1, confirmedShare: 0.5 },
    ]);
    const slang = stats.byReason.find((r) => r.group === 'brand.slang')!;
    expect(slang.confirmedShare).toBe(0.5);
  });

  it('shows a shop lead with its listings, reasons and history', async () => {
    const details = await leadDetails(db, ids[3]!);
    expect(details.shops.map((s) => s.name)).toEqual(['Mỹ phẩm HN']);
    expect(details.listings.map((l) => l.title).sort()).toEqual(['Nước hoa Chanel no.5', 'Son Dior giá sỉ']);
    const text = renderLeadDetails(details);
    expect(text).toContain('Địa chỉ giả');
    expect(text).toContain('== History ==');
  });
});
