import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../src/core/config/schema.ts';
import type { Queryable } from '../../src/core/db/types.ts';
import type { Logger } from '../../src/core/log/logger.ts';
import { createHttpFetcher } from './http-fetch.ts';
import { CRAWLER_VERSION } from './version.ts';
import { checkUrl } from './ssrf.ts';
import { BROWSER_ARGS } from './browser-args.ts';

/** One file of an evidence bundle as recorded in `evidence.files`. */
export interface EvidenceFile {
  /** screenshot | raw | captured | meta */
  kind: string;
  /** Relative to `RADAR_DATA_DIR/evidence`. */
  path: string;
  sha256: string;
  bytes: number;
  content_type: string;
}

export interface EvidenceRecord {
  id: number;
  url: string;
  capturedAt: string;
  capturedAtLocal: string;
  crawlerVersion: string;
  files: EvidenceFile[];
}

export interface EvidenceFileInput {
  kind: string;
  /** File name inside the bundle folder, e.g. "page.png". */
  name: string;
  content: Buffer | string;
  contentType: string;
}

export interface EvidenceDeps {
  db: Queryable;
  config: Pick<Config, 'dataDir' | 'chromiumPath' | 'allowHosts'>;
  log: Pick<Logger, 'warn' | 'info'>;
}

export interface WriteEvidenceInput {
  url: string;
  listingId?: number | null;
  shopId?: number | null;
  capturedAt?: Date;
  files: EvidenceFileInput[];
}

/** The evidence root: `RADAR_DATA_DIR/evidence`. */
export function evidenceDir(dataDir: string): string {
  return path.resolve(dataDir, 'evidence');
}

/** "2026-11-28T19:04:20+07:00": Vietnam has used UTC+7 without daylight saving since 1975. */
export function formatHoChiMinhTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}+07:00`;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Writes a bundle of files plus a meta.json (URL, both times, crawler version, every file's hash)
 * under `evidence/<UTC date>/<host>/<time>-<url hash>/` and records it in `evidence`.
 */
export async function writeEvidence(input: WriteEvidenceInput, deps: Pick<EvidenceDeps, 'db' | 'config'>): Promise<EvidenceRecord> {
  const at = input.capturedAt ?? new Date();
  const capturedAt = at.toISOString();
  const capturedAtLocal = formatHoChiMinhTime(at);
  let host = 'unknown-host';
  try {
    host = new URL(input.url).host.replace(/[^a-z0-9.-]/gi, '_') || host;
  } catch {
    // The URL is recorded as given; only the folder name needs a host.
  }
  const folder = path.join(capturedAt.slice(0, 10), host, `${capturedAt.replace(/[:.]/g, '').slice(11, 18)}-${sha256(input.url).slice(0, 12)}-${Math.random().toString(36).slice(2, 6)}`);
  const root = evidenceDir(deps.config.dataDir);
  await mkdir(path.join(root, folder), { recursive: true });

  const files: EvidenceFile[] = [];
  for (const file of input.files) {
    const relative = path.join(folder, file.name);
    const buffer = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    await writeFile(path.join(root, relative), buffer);
    files.push({ kind: file.kind, path: relative, sha256: sha256(buffer), bytes: buffer.length, content_type: file.contentType });
  }
  const meta = JSON.stringify({ url: input.url, captured_at: capturedAt, captured_at_local: capturedAtLocal, crawler_version: CRAWLER_VERSION, files }, null, 2);
  const metaPath = path.join(folder, 'meta.json');
  await writeFile(path.join(root, metaPath), meta);
  files.push({ kind: 'meta', path: metaPath, sha256: sha256(meta), bytes: Buffer.byteLength(meta), content_type: 'application/json' });

  const { rows } = await deps.db.query<{ id: number }>(
    `INSERT INTO evidence (listing_id, shop_id, url, captured_at, captured_at_local, crawler_version, files)
     VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7::jsonb) RETURNING id`,
    [input.listingId ?? null, input.shopId ?? null, input.url, capturedAt, capturedAtLocal, CRAWLER_VERSION, JSON.stringify(files)],
  );
  return { id: Number(rows[0]!.id), url: input.url, capturedAt, capturedAtLocal, crawlerVersion: CRAWLER_VERSION, files };
}

/** File name for a raw body, by content type. */
export function rawFileName(contentType: string | null | undefined): string {
  return /json/i.test(contentType ?? '') ? 'page.json' : 'page.html';
}

export interface CaptureEvidenceInput {
  url: string;
  listingId?: number | null;
  shopId?: number | null;
  /** Extra hosts the SSRF guard lets through (the sandbox host), on top of config.allowHosts. */
  allowHosts?: readonly string[];
}

/**
 * Captures evidence for any URL, outside a crawl: the raw HTML or JSON as served, and a
 * full-page Chromium screenshot. Without Chromium it keeps the raw page and warns once.
 */
export async function captureEvidence(input: CaptureEvidenceInput, deps: EvidenceDeps): Promise<EvidenceRecord> {
  const allowHosts = [...deps.config.allowHosts, ...(input.allowHosts ?? [])];
  const capturedAt = new Date();
  const fetchPage = createHttpFetcher({ allowHosts });
  const raw = await fetchPage({ url: input.url, kind: 'listing' });
  const files: EvidenceFileInput[] = [
    { kind: 'raw', name: rawFileName(raw.contentType), content: raw.body, contentType: raw.contentType ?? 'application/octet-stream' },
  ];
  const screenshot = await screenshotPage(input.url, deps.config.chromiumPath, allowHosts, deps.log);
  if (screenshot) files.push({ kind: 'screenshot', name: 'page.png', content: screenshot, contentType: 'image/png' });
  return writeEvidence({ url: input.url, listingId: input.listingId, shopId: input.shopId, capturedAt, files }, deps);
}

async function screenshotPage(url: string, chromiumPath: string, allowHosts: readonly string[], log: Pick<Logger, 'warn'>): Promise<Buffer | null> {
  if (!existsSync(chromiumPath)) {
    log.warn(`Chromium not found at ${chromiumPath}; evidence has the raw page only (set CHROMIUM_PATH or apt-get install chromium)`);
    return null;
  }
  const { chromium } = await import('playwright');
  let browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: BROWSER_ARGS, headless: true });
  } catch (error) {
    log.warn(`Chromium at ${chromiumPath} did not start (${(error as Error).message.split('\n')[0]}); evidence has the raw page only`);
    return null;
  }
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The page's own subresources pass the same SSRF guard as the crawler.
    await page.route('**/*', async (route) => {
      const verdict = await checkUrl(route.request().url(), { allowHosts });
      if (verdict.ok || route.request().url().startsWith('data:')) await route.continue();
      else await route.abort('blockedbyclient');
    });
    await page.goto(url, { waitUntil: 'load', timeout: 45_000 });
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    return await page.screenshot({ fullPage: true, type: 'png' });
  } finally {
    await browser.close();
  }
}
