import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../src/core/db/migrate.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import type { Db } from '../../src/core/db/types.ts';
import { dbTargets } from '../helpers/db.ts';
import { shop } from '../helpers/records.ts';

const SEEN = new Date('2026-11-24T03:00:00Z');

describe.each(await dbTargets())('migration 0110 (national routing) on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    await upsertShops(
      db,
      [
        shop({ externalId: 'abroad-addr', marketplace: 'shopee', rawAddress: 'Quảng Châu, Trung Quốc' }),
        shop({ externalId: 'abroad-label', marketplace: 'lazada', declaredLocation: 'Nước ngoài' }),
        shop({ externalId: 'nowhere', marketplace: 'tiki', rawAddress: 'Toàn quốc' }),
        shop({ externalId: 'unscored', marketplace: 'tiki' }),
        shop({ externalId: 'placed', marketplace: 'shopee', declaredLocation: 'Hà Nội' }),
      ],
      SEEN,
    );
    // The state a database scored before 0110 is in: no province and no source for the unplaced.
    await db.query(`UPDATE shops SET address_quality = CASE external_id WHEN 'abroad-addr' THEN 'overseas' WHEN 'unscored' THEN NULL
      WHEN 'placed' THEN 'missing' ELSE 'placeholder' END, province_source = NULL, province_code = NULL, province_name = NULL`);
    await db.query(
      `UPDATE shops SET province_code = 1, province_name = 'Thành phố Hà Nội', province_source = 'declared' WHERE external_id = 'placed'`,
    );
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('backfills the national reason of scored shops without a province, and is safe to apply again', async () => {
    // Every statement of 0110 is idempotent, so applying it again replays the upgrade.
    await db.exec(readMigrations().find((m) => m.version === 110)!.sql);
    const { rows } = await db.query<{ external_id: string; province_source: string | null }>(
      'SELECT external_id, province_source FROM shops ORDER BY external_id',
    );
    expect(Object.fromEntries(rows.map((r) => [r.external_id, r.province_source]))).toEqual({
      'abroad-addr': 'overseas',
      'abroad-label': 'overseas',
      nowhere: 'none',
      placed: 'declared',
      unscored: null,
    });
  });

  it('accepts the national reasons and nothing else in province_source', async () => {
    await expect(db.query(`UPDATE shops SET province_source = 'somewhere' WHERE external_id = 'nowhere'`)).rejects.toThrow(
      /province_source_check/,
    );
  });
});
