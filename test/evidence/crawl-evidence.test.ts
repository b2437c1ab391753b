// Crawl-time evidence is the one-load browser capture, also in plain-HTTP mode and in queue jobs:
// `radar crawl --evidence` on the sandbox and a queue-style `processRequests` each leave an evidence
// row with HTTP 200, a PNG screenshot of the listing's page and a WACZ whose digests match.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import type { Db } from '../../src/core/db/types.ts';
import { ConfigSchema } from '../../src/core/config/schema.ts';
import { createLogger } from '../../src/core/log/logger.ts';
import { startCrawlRun } from '../../src/core/db/stores/crawl-runs.ts';
import { startSandbox, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import { getAdapter } from '../../crawlers/adapters/index.ts';
import { evidenceDir } from '../../crawlers/runner/evidence.ts';
import { processRequests } from '../../crawlers/runner/process-requests.ts';
import { createRunnerResources } from '../../crawlers/runner/resources.ts';
import type { CrawlRequest } from '../../crawlers/adapter.ts';
import { runRadar } from '../helpers/cli.ts';
import { startCanary } from '../helpers/canary.ts';
import { runCrawl } from '../../crawlers/runner/run-crawl.ts';
import { json, startToyServer, toyAdapter } from '../crawlers/runner/toy.ts';
import { chromiumPath } from '../helpers/services.ts';
import { sandboxListingUrl } from './fixtures.ts';
import { unzipEntries } from './unzip.ts';

const chromium = chromiumPath();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface EvidenceRow {
  url: string;
  http_status: number;
  final_url: string;
  listing_id: number | null;
  metadata: { crawl_fetch?: { request_url: string; sha256: string; status: number } };
  files: { kind: string; path: string; sha256: string }[];
}

/** The evidence rows, each checked on disk: a PNG screenshot, and a WACZ whose datapackage digests match its files. */
async function checkedEvidence(db: Db, dataDir: string): Promise<EvidenceRow[]> {
  const rows = (await db.query<EvidenceRow>('SELECT url, http_status, final_url, listing_id, metadata, files FROM evidence ORDER BY id'))
    .rows;
  for (const row of rows) {
    const read = (kind: string) => {
      const file = row.files.find((f) => f.kind === kind);
      expect(file, `${kind} of evidence for ${row.url}`).toBeDefined();
      const data = readFileSync(path.join(evidenceDir(dataDir), file!.path));
      expect(sha256(data)).toBe(file!.sha256);
      return data;
    };
    expect(row.http_status).toBe(200);
    expect(read('screenshot').subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const entries = await unzipEntries(read('wacz'));
    const datapackage = JSON.parse(entries.get('datapackage.json')!.toString()) as { resources: { path: string; hash: string }[] };
    expect(datapackage.resources.length).toBe(3);
    for (const resource of datapackage.resources) expect(resource.hash).toBe(`sha256:${sha256(entries.get(resource.path)!)}`);
  }
  return rows;
}

describe.skipIf(!chromium)('crawl-time evidence is a one-load browser capture', () => {
  let sandbox: RunningSandbox;
  let listingPage: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 29, listings: 300, port: 0 });
    listingPage = sandboxListingUrl(sandbox, 'tiki');
  }, 120_000);
  afterAll(async () => sandbox?.close());

  it('`radar crawl --evidence` in plain-HTTP mode stores HTTP 200, a PNG screenshot and a WACZ of the listing page', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'radar-crawl-evidence-'));
    const saved = { ...process.env };
    Object.assign(process.env, { RADAR_DATA_DIR: dir, CHROMIUM_PATH: chromium!, LOG_LEVEL: 'silent' });
    delete process.env.DATABASE_URL;
    try {
      expect(getAdapter('tiki').needsBrowser).toBe(false);
      expect((await runRadar('migrate')).code).toBe(0);
      const crawl = await runRadar(
        'crawl',
        '--adapter',
        'tiki',
        '--url',
        listingPage,
        '--base-url',
        `${sandbox.url}/tiki`,
        '--evidence',
        '--json',
      );
      expect(crawl.code, crawl.stderr).toBe(0);
      expect((JSON.parse(crawl.stdout) as { listings: number }).listings).toBe(1);
      const db = await PgliteDb.open(dir);
      try {
        const rows = await checkedEvidence(db, dir);
        // The listing page, and the shop page the crawl followed: each one capture.
        expect(rows.map((r) => r.metadata.crawl_fetch?.request_url).sort()).toEqual([
          expect.stringContaining('/api/shopping/v2/widgets/seller'),
          expect.stringContaining('/api/v2/products/'),
        ]);
        const row = rows.find((r) => r.listing_id !== null);
        // The listing's public page was captured, not the API call the crawler parsed; that fetch is kept by hash.
        expect(row!.url.startsWith(listingPage)).toBe(true);
        expect(row!.listing_id).not.toBeNull();
        expect(row!.metadata.crawl_fetch).toMatchObject({
          request_url: expect.stringContaining('/api/v2/products/'),
          status: 200,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        const custody = (await db.query<{ action: string }>("SELECT action FROM custody_log WHERE action = 'capture'")).rows;
        expect(custody).toHaveLength(rows.length);
      } finally {
        await db.close();
      }
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('a queue crawl job (processRequests with the worker resources) captures through the worker’s shared Chromium', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'radar-queue-evidence-'));
    const db = await PgliteDb.open();
    const resources = createRunnerResources();
    try {
      await migrate(db);
      const config = ConfigSchema.parse({ dataDir: dir, chromiumPath: chromium! });
      const adapter = getAdapter('tiki');
      const runId = await startCrawlRun(db, {
        adapter: 'tiki',
        marketplace: 'tiki',
        mode: 'url',
        target: listingPage,
        crawlerVersion: 'test',
      });
      const requests: CrawlRequest[] = adapter.startRequests(
        { mode: 'url', url: listingPage },
        { baseUrl: `${sandbox.url}/tiki`, maxPages: 1 },
      );
      const discovered: CrawlRequest[] = [];
      const result = await processRequests(
        requests,
        {
          adapter,
          runId,
          evidence: true,
          baseUrl: `${sandbox.url}/tiki`,
          allowHosts: [new URL(sandbox.url).host],
          requestsPerMinute: 0,
          concurrency: 1,
          resources,
          onDiscovered: (next) => void discovered.push(...next),
        },
        { db, config, log: createLogger({ level: 'silent' }) },
      );
      expect(result.evidence).toBe(1);
      const [row] = await checkedEvidence(db, dir);
      expect(row!.url.startsWith(listingPage)).toBe(true);
      // The worker's Chromium outlives the job: the step borrowed it and did not close it.
      expect((await resources.browser(chromium!)).isConnected()).toBe(true);
    } finally {
      await resources.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('a listing URL from crawled data on a loopback port nobody allowed is refused before any connection, as a failed capture', async () => {
    const canary = await startCanary();
    const server = await startToyServer((req, res) => {
      if (req.url?.startsWith('/search')) return json(res, 200, { items: [{ id: '1' }], next: false });
      if (req.url === '/item/1') return json(res, 200, { id: '1', shop: 's1', price: 100_000 });
      json(res, 404, {});
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'radar-crawl-evidence-ssrf-'));
    const db = await PgliteDb.open();
    try {
      await migrate(db);
      const toy = toyAdapter();
      // The marketplace's data says the listing lives on another loopback port (same site as the crawl by address).
      const adapter = {
        ...toy,
        parse: (...args: Parameters<typeof toy.parse>) => {
          const result = toy.parse(...args);
          if (result.outcome === 'ok') for (const listing of result.listings) listing.url = `${canary.url}/admin`;
          return result;
        },
      };
      const summary = await runCrawl(
        {
          adapter,
          target: { mode: 'query', query: 'x' },
          maxPages: 1,
          baseUrl: server.url,
          allowHosts: [server.host],
          evidence: true,
          requestsPerMinute: 0,
        },
        { db, config: ConfigSchema.parse({ dataDir: dir, chromiumPath: chromium! }), log: createLogger({ level: 'silent' }) },
      );
      expect(summary.listings).toBe(1);
      expect(canary.hits()).toBe(0);
      expect((await db.query('SELECT 1 FROM evidence')).rowCount).toBe(0);
      const failures = (await db.query<{ url: string; reason: string }>('SELECT url, reason FROM capture_failures')).rows;
      expect(failures).toEqual([{ url: `${canary.url}/admin`, reason: expect.stringMatching(/refused by the SSRF guard/) }]);
    } finally {
      await db.close();
      await server.close();
      await canary.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
