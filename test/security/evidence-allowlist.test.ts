// Issue 16, high: the evidence worker allowlisted the loopback host of a listing URL that a
// marketplace response supplied, then fetched it over HTTP and in Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawlAllowHosts, createPipelineServices } from '../../src/apps/queue/services.ts';
import { ConfigSchema } from '../../src/core/config/schema.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { createLogger } from '../../src/core/log/logger.ts';
import { startCanary, type Canary } from '../helpers/canary.ts';
import { listing } from '../helpers/records.ts';
import { chromiumPath } from '../helpers/services.ts';

describe('the evidence job never allowlists hosts from crawled data', () => {
  let db: PgliteDb;
  let canary: Canary;
  let sandboxLike: Canary;
  const dir = mkdtempSync(path.join(tmpdir(), 'radar-evidence-ssrf-'));
  let runId: number;
  let listingId: number;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    canary = await startCanary();
    sandboxLike = await startCanary();
    // The operator crawled a loopback base URL (the sandbox); the listing URL points elsewhere on loopback.
    runId = await startCrawlRun(db, {
      adapter: 'tiki',
      marketplace: 'tiki',
      mode: 'query',
      target: 'x',
      crawlerVersion: 't',
      params: { baseUrl: `${sandboxLike.url}/tiki` },
    });
    const rows = await upsertListings(db, [listing({ externalId: 'evil', marketplace: 'tiki', title: 'x', url: `${canary.url}/admin` })], {
      crawlRunId: runId,
    });
    listingId = Number(rows[0]!.id);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await canary?.close();
    await sandboxLike?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the listing URL before any connection and stores nothing', async () => {
    const services = createPipelineServices({
      db,
      log: createLogger({ level: 'silent' }),
      config: ConfigSchema.parse({ dataDir: dir, chromiumPath: chromiumPath() ?? path.join(dir, 'none') }),
    });
    await services.captureEvidence!([listingId], new AbortController().signal, { allowHosts: await crawlAllowHosts(db, runId) });
    await services.captureEvidence!([listingId], new AbortController().signal);
    expect(canary.hits()).toBe(0);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence');
    expect(rows[0]!.n).toBe(0);
  }, 120_000);
});
