import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/core/db/migrate.ts';
import { PostgresDb } from '../../src/core/db/postgres.ts';
import { addWatchItem, removeWatchItem, type NewWatchItem } from '../../src/core/db/stores/watch.ts';
import type { Db } from '../../src/core/db/types.ts';
import { planWatchCrawls, watchCrawlPlans } from '../../src/leads/watch-crawl.ts';
import { runRadar } from '../helpers/cli.ts';
import { dbTargets } from '../helpers/db.ts';
import { createScratchDatabase, postgresAdminUrl } from '../helpers/services.ts';
import { seedShopsAndListings } from './seed.ts';

const item = (
  kind: NewWatchItem['kind'],
  value: string,
  marketplace: NewWatchItem['marketplace'] = null,
  url: string | null = null,
): NewWatchItem => ({
  kind,
  value,
  marketplace,
  url,
  note: null,
  provinceCode: null,
  owner: 'test',
});

describe('planWatchCrawls', () => {
  it('one crawl per marketplace, each target once, keywords without a marketplace on each; unmapped marketplaces dropped', () => {
    const plans = planWatchCrawls(
      [
        { watch_item_id: 2, mode: 'query', marketplace: null, value: 'rep' },
        { watch_item_id: 1, mode: 'shop', marketplace: 'tiki', value: 's1' },
        { watch_item_id: 3, mode: 'shop', marketplace: 'tiki', value: 's1' },
        { watch_item_id: 4, mode: 'url', marketplace: 'web', value: 'https://shop.example/p/1' },
      ],
      { keywordMarketplaces: ['tiki', 'sendo'] },
    );
    expect(plans).toEqual([
      { marketplace: 'sendo', adapter: 'sendo', targets: [{ mode: 'query', query: 'rep' }], watchItemIds: [2] },
      {
        marketplace: 'tiki',
        adapter: 'tiki',
        targets: [
          { mode: 'query', query: 'rep' },
          { mode: 'shop', shopId: 's1' },
        ],
        watchItemIds: [1, 2, 3],
      },
    ]);
    expect(
      planWatchCrawls([{ watch_item_id: 4, mode: 'url', marketplace: 'web', value: 'https://shop.example/p/1' }], {
        adapters: { web: 'schemaorg' },
      })[0]!.adapter,
    ).toBe('schemaorg');
  });
});

describe.each(await dbTargets())('watch crawl targets on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ db, cleanup } = await target.open()));
  afterAll(async () => cleanup?.());

  it('watched shops (by url, id, phone, tax code) give their shop pages and their known listings, capped per shop; listings their page', async () => {
    await seedShopsAndListings(
      db,
      [{ externalId: 'a' }, { externalId: 'b' }, { externalId: 'c' }],
      [
        { externalId: 'a1', shopExternalId: 'a' },
        { externalId: 'a2', shopExternalId: 'a' },
        { externalId: 'b1', shopExternalId: 'b' },
        { externalId: 'c1', shopExternalId: 'c' },
      ],
    );
    await db.query(`UPDATE shops SET url = 'https://tiki.example/cua-hang/a', tax_code = '0312345678' WHERE external_id = 'a'`);
    await db.query(`UPDATE listings SET last_seen_at = last_seen_at + interval '1 hour' WHERE external_id = 'a2'`);
    const byUrl = (await addWatchItem(db, item('shop', 'https://tiki.example/cua-hang/a'))).id;
    const byTax = (await addWatchItem(db, item('tax_code', '0312345678'))).id;
    await addWatchItem(db, item('shop', 'not-crawled-yet', 'tiki'));
    await addWatchItem(db, item('listing', 'https://tiki.example/p/c1', 'tiki'));
    await addWatchItem(db, item('listing', 'https://tiki.example/p/never-seen', 'tiki', 'https://tiki.example/p/never-seen?x=1'));
    const plans = await watchCrawlPlans(db, { listingsPerShop: 1 });
    expect(plans).toHaveLength(1);
    expect(plans[0]!.targets).toEqual([
      { mode: 'shop', shopId: 'a' },
      { mode: 'shop', shopId: 'not-crawled-yet' },
      // One listing per shop: the most recently seen.
      { mode: 'url', url: 'https://tiki.example/p/a2' },
      { mode: 'url', url: 'https://tiki.example/p/c1' },
      { mode: 'url', url: 'https://tiki.example/p/never-seen?x=1' },
    ]);
    await removeWatchItem(db, byUrl);
    await removeWatchItem(db, byTax);
    expect((await watchCrawlPlans(db))[0]!.targets.map((t) => (t.mode === 'shop' ? t.shopId : t.mode === 'url' ? t.url : t.query))).toEqual(
      ['not-crawled-yet', 'https://tiki.example/p/c1', 'https://tiki.example/p/never-seen?x=1'],
    );
  });
});

const adminUrl = await postgresAdminUrl();
describe.skipIf(!adminUrl)('radar watch plan (CLI)', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    scratch = await createScratchDatabase(adminUrl!);
    process.env.DATABASE_URL = scratch.url;
    const db = await new PostgresDb(scratch.url).connect();
    await migrate(db);
    await db.close();
  });
  afterAll(async () => {
    process.env = saved;
    await scratch?.drop();
  });

  it('shows each marketplace crawl a watched keyword and shop give', async () => {
    expect((await runRadar('watch', 'plan')).stdout).toContain('nothing to re-crawl');
    expect((await runRadar('watch', 'add', 'rep 1:1', '--kind', 'keyword')).code).toBe(0);
    expect((await runRadar('watch', 'add', '12345', '--kind', 'shop', '--marketplace', 'lazada')).code).toBe(0);
    const out = await runRadar('watch', 'plan', '--marketplaces', 'lazada,tiki');
    expect(out.stdout).toBe(
      'lazada (adapter lazada, items #1 #2):\n  query\trep 1:1\n  shop\t12345\ntiki (adapter tiki, items #1):\n  query\trep 1:1\n',
    );
    const bad = await runRadar('watch', 'plan', '--marketplaces', 'ebay');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--marketplaces');
  });
});
