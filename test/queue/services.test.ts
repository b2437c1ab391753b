// The real score, evidence and export stages behind the queue processors, on PGlite and Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/core/log/logger.ts';
import { ConfigSchema } from '../../src/core/config/schema.ts';
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import { createPipelineServices, lastFinishedWeek } from '../../src/apps/queue/services.ts';
import { startSandbox, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import type { Db } from '../../src/core/db/types.ts';
import { dbTargets } from '../helpers/db.ts';
import { listing, shop } from '../helpers/records.ts';

const log = createLogger({ level: 'silent' });
const never = new AbortController().signal;

describe('lastFinishedWeek', () => {
  it('is the Monday–Sunday week before the current one, in Hà Nội time', async () => {
    // Monday 2026-11-30 07:00 in Hà Nội is 00:00 UTC: the week that just ended is 2026-W48.
    expect(await lastFinishedWeek(new Date('2026-11-30T00:00:00Z'))).toBe('2026-W48');
    // Sunday 23:30 in Hà Nội is still inside W48, so the finished week is W47.
    expect(await lastFinishedWeek(new Date('2026-11-29T16:30:00Z'))).toBe('2026-W47');
  });
});

describe.each(await dbTargets())('pipeline services on $name', (target) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let sandbox: RunningSandbox;
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-services-'));
  let ids: number[] = [];
  let runId: number;

  beforeAll(async () => {
    ({ db, cleanup } = await target.open());
    sandbox = await startSandbox({ seed: 3, listings: 50, faults: 'none', port: 0 });
    // The run's operator-given base URL is what allowlists the loopback sandbox for evidence (issue 16).
    runId = await startCrawlRun(db, {
      adapter: 'tiki',
      marketplace: 'tiki',
      mode: 'query',
      target: 'nike',
      crawlerVersion: 'test',
      params: { baseUrl: `${sandbox.url}/tiki` },
    });
    await upsertShops(db, [shop({ externalId: 's1', marketplace: 'tiki', name: 'Kho sỉ hàng hiệu', rawAddress: 'Việt Nam' })]);
    const rows = await upsertListings(
      db,
      [
        listing({
          externalId: 'fake-1',
          marketplace: 'tiki',
          shopExternalId: 's1',
          title: 'Giày Nike Air Jordan 1 rep 1:1 hàng super fake',
          brand: 'Nike',
          priceVnd: 150_000,
          url: `${sandbox.url}/tiki/`,
        }),
        listing({
          externalId: 'plain-1',
          marketplace: 'tiki',
          title: 'Bút bi Thiên Long',
          priceVnd: 5_000,
          url: `${sandbox.url}/tiki/robots.txt`,
        }),
      ],
      { crawlRunId: runId },
    );
    ids = rows.map((r) => Number(r.id));
  });

  afterAll(async () => {
    await sandbox?.close();
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const services = () =>
    createPipelineServices({ db, log, config: ConfigSchema.parse({ dataDir: dir, chromiumPath: path.join(dir, 'no-chromium') }) });

  it('scores the changed listings and returns only the flagged ones among those asked for', async () => {
    const { flaggedListingIds } = await services().scoreListings!(ids, never);
    const { rows } = await db.query<{ listing_id: string; flagged: boolean }>(
      `SELECT listing_id, flagged FROM listing_scores ORDER BY listing_id`,
    );
    expect(rows.map((r) => Number(r.listing_id))).toEqual([...ids].sort((a, b) => a - b));
    expect(flaggedListingIds).toEqual(rows.filter((r) => r.flagged).map((r) => Number(r.listing_id)));
    expect(flaggedListingIds).toContain(ids[0]);
    expect(flaggedListingIds).not.toContain(ids[1]);
  });

  it('refuses to capture a loopback page nobody allowed, as a failed capture (the host of a crawled URL is never allowlisted)', async () => {
    await services().captureEvidence!([ids[1]!], never);
    expect((await db.query('SELECT 1 FROM evidence')).rowCount).toBe(0);
    const { rows } = await db.query<{ listing_id: string; reason: string }>(`SELECT listing_id, reason FROM capture_failures`);
    expect(rows.map((r) => Number(r.listing_id))).toEqual([ids[1]]);
    expect(rows[0]!.reason).toMatch(/Chromium not found|SSRF guard/);
  });

  it('exports the weekly leads, one file per province', async () => {
    const outDir = path.join(dir, 'exports');
    const week = await lastFinishedWeek(new Date(Date.now() + 7 * 24 * 3_600_000));
    const { files } = await services().exportWeeklyLeads!({ outDir, provinces: [], format: 'csv', week }, never);
    expect(files.length).toBeGreaterThan(0);
    expect(readdirSync(outDir).sort()).toEqual(files.map((f) => path.basename(f)).sort());
    expect(files.every((f) => f.includes(week))).toBe(true);
  });

  it('stops on an aborted signal instead of working on', async () => {
    const aborted = AbortSignal.abort('shutdown');
    await expect(services().scoreListings!(ids, aborted)).rejects.toThrow(/aborted/);
    await expect(services().exportWeeklyLeads!({ outDir: dir, provinces: [], format: 'csv' }, aborted)).rejects.toThrow(/aborted/);
  });
});
