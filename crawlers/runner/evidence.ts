import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/core/config/schema.ts';
import type { Db, Queryable } from '../../src/core/db/types.ts';
import type { Logger } from '../../src/core/log/logger.ts';
import { appendCustody } from '../../src/core/db/stores/custody.ts';
import { insertCaptureFailure, insertEvidence, type EvidenceFile } from '../../src/core/db/stores/evidence.ts';
import { CaptureBrowser, NavigationRefused, loadPage, type PageLoad } from '../evidence/capture.ts';
import { createBrowserGuard } from '../evidence/guard.ts';
import { refusalReason } from '../evidence/judge.ts';
import { buildWacz } from '../evidence/wacz.ts';
import { CRAWLER_VERSION } from './version.ts';
import type { DomainRateLimiter } from './rate-limit.ts';

export type { EvidenceFile } from '../../src/core/db/stores/evidence.ts';
export { CaptureBrowser } from '../evidence/capture.ts';

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
  db: Db | Queryable;
  config: Pick<Config, 'dataDir' | 'chromiumPath' | 'allowHosts'> & { operator?: string };
  log: Pick<Logger, 'warn' | 'info'>;
}

export interface WriteEvidenceInput {
  url: string;
  listingId?: number | null;
  shopId?: number | null;
  capturedAt?: Date;
  files: EvidenceFileInput[];
  httpStatus?: number | null;
  finalUrl?: string | null;
  /** Capture metadata kept in meta.json and the evidence row. */
  metadata?: Record<string, unknown>;
  /** Who captured it, for the custody log. */
  operator?: string;
  leadId?: number | null;
}

/** The evidence root: `RADAR_DATA_DIR/evidence`. */
export function evidenceDir(dataDir: string): string {
  return path.resolve(dataDir, 'evidence');
}

/** "2026-11-28T19:04:20+07:00": Vietnam has used UTC+7 without daylight saving since 1975. */
export function formatHoChiMinhTime(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}+07:00`;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The operator for the custody log: `--by`, then config/RADAR_OPERATOR, then the OS user. */
export function resolveOperator(by: string | undefined, config: { operator?: string }): string {
  return by?.trim() || config.operator?.trim() || process.env.USER || os.userInfo().username || 'operator';
}

async function writeBundle(root: string, folder: string, inputs: EvidenceFileInput[]): Promise<EvidenceFile[]> {
  await mkdir(path.join(root, folder), { recursive: true });
  const files: EvidenceFile[] = [];
  for (const file of inputs) {
    const relative = path.join(folder, file.name);
    const buffer = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    await writeFile(path.join(root, relative), buffer);
    files.push({ kind: file.kind, path: relative, sha256: sha256(buffer), bytes: buffer.length, content_type: file.contentType });
  }
  return files;
}

function bundleFolder(url: string, capturedAt: string, prefix = ''): string {
  let host = 'unknown-host';
  try {
    host = new URL(url).host.replace(/[^a-z0-9.-]/gi, '_') || host;
  } catch {
    // The URL is recorded as given; only the folder name needs a host.
  }
  return path.join(
    `${prefix}${capturedAt.slice(0, 10)}`,
    host,
    `${capturedAt.replace(/[:.]/g, '').slice(11, 18)}-${sha256(url).slice(0, 12)}-${Math.random().toString(36).slice(2, 6)}`,
  );
}

/**
 * Writes a bundle of files plus a meta.json (URL, both times, crawler version, capture metadata, every
 * file's hash) under `evidence/<UTC date>/<host>/<time>-<url hash>/`, records it in `evidence` and
 * appends a `capture` entry to the custody log.
 */
export async function writeEvidence(input: WriteEvidenceInput, deps: Pick<EvidenceDeps, 'db' | 'config'>): Promise<EvidenceRecord> {
  const at = input.capturedAt ?? new Date();
  const capturedAt = at.toISOString();
  const capturedAtLocal = formatHoChiMinhTime(at);
  const folder = bundleFolder(input.url, capturedAt);
  const root = evidenceDir(deps.config.dataDir);
  const files = await writeBundle(root, folder, input.files);
  const meta = JSON.stringify(
    {
      url: input.url,
      final_url: input.finalUrl ?? null,
      http_status: input.httpStatus ?? null,
      captured_at: capturedAt,
      captured_at_local: capturedAtLocal,
      crawler_version: CRAWLER_VERSION,
      ...(input.metadata ?? {}),
      files,
    },
    null,
    2,
  );
  files.push(...(await writeBundle(root, folder, [{ kind: 'meta', name: 'meta.json', content: meta, contentType: 'application/json' }])));
  // The evidence row and its custody entry commit together, or neither does.
  const id = await inTransaction(deps.db, async (tx) => {
    const evidenceId = await insertEvidence(tx, {
      listingId: input.listingId ?? null,
      shopId: input.shopId ?? null,
      url: input.url,
      capturedAt,
      capturedAtLocal,
      crawlerVersion: CRAWLER_VERSION,
      files,
      httpStatus: input.httpStatus,
      finalUrl: input.finalUrl,
      metadata: input.metadata,
    });
    await appendCustody(tx, {
      action: 'capture',
      actor: input.operator ?? resolveOperator(undefined, deps.config),
      evidenceId,
      leadId: input.leadId ?? null,
      at,
      fileSha256: files.map((f) => f.sha256),
      data: {
        url: input.url,
        final_url: input.finalUrl ?? null,
        http_status: input.httpStatus ?? null,
        files: files.map((f) => ({ path: f.path, sha256: f.sha256 })),
      },
    });
    return evidenceId;
  });
  return { id, url: input.url, capturedAt, capturedAtLocal, crawlerVersion: CRAWLER_VERSION, files };
}

function inTransaction<T>(db: Db | Queryable, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return 'transaction' in db && typeof db.transaction === 'function' ? db.transaction(fn) : fn(db);
}

/** File name for a raw body, by content type. */
export function rawFileName(contentType: string | null | undefined): string {
  return /json/i.test(contentType ?? '') ? 'page.json' : 'page.html';
}

export interface CaptureEvidenceInput {
  url: string;
  listingId?: number | null;
  shopId?: number | null;
  leadId?: number | null;
  /** Extra hosts the SSRF guard lets through (the sandbox host), on top of config.allowHosts. Never a host read from a crawled page. */
  allowHosts?: readonly string[];
  /** Who captures (`--by`); default config.operator, then the OS user. */
  operator?: string;
  /** More capture metadata, e.g. the crawl fetch this capture backs (kept in meta.json, the evidence row and a failure's row). */
  metadata?: Record<string, unknown>;
}

export interface CaptureOptions {
  /** A Chromium shared by a batch of captures; without it each capture starts and stops its own. */
  browser?: CaptureBrowser;
  /** Politeness shared with crawls of the same host. */
  limiter?: Pick<DomainRateLimiter, 'wait'>;
  /** Aborts the page load; the capture is then not recorded. */
  signal?: AbortSignal;
}

export type CaptureResult =
  | { ok: true; url: string; evidence: EvidenceRecord; httpStatus: number; finalUrl: string; screenshot: boolean }
  | { ok: false; url: string; failureId: number; reason: string; httpStatus: number | null; finalUrl: string | null };

function captureMetadata(load: PageLoad | null, operator: string, at: Date, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    timezone: 'Asia/Ho_Chi_Minh',
    captured_at_utc: at.toISOString(),
    captured_at_local: formatHoChiMinhTime(at),
    operator,
    machine: { hostname: os.hostname(), platform: `${os.platform()} ${os.release()}`, arch: os.arch(), node: process.version },
    crawler_version: CRAWLER_VERSION,
    ...(load
      ? {
          browser: `Chromium ${load.browserVersion}`,
          user_agent: load.userAgent,
          requested_url: load.requestedUrl,
          final_url: load.finalUrl,
          http_status: load.status,
          response_headers: load.headers,
          redirects: load.redirects,
          title: load.title,
          load_started_utc: load.startedAt.toISOString(),
          load_finished_utc: load.finishedAt.toISOString(),
          responses_archived: load.exchanges.length,
          data_responses: load.data.map((d) => ({ url: d.url, status: d.status })),
          refused_requests: load.refused.slice(0, 50),
        }
      : {}),
  };
}

/**
 * Captures one page as evidence from one Chromium load: raw document, rendered DOM, full-page
 * screenshot, the data calls, a WACZ of every response and the capture metadata. A load that shows an
 * error, a block or captcha, a login wall or an empty shell is stored as a failed capture with its
 * reason, never as evidence. Navigation and every request pass the SSRF guard.
 */
export async function captureEvidence(
  input: CaptureEvidenceInput,
  deps: EvidenceDeps,
  options: CaptureOptions = {},
): Promise<CaptureResult> {
  const allowHosts = [...deps.config.allowHosts, ...(input.allowHosts ?? [])];
  const operator = resolveOperator(input.operator, deps.config);
  const at = new Date();
  const fail = async (reason: string, load: PageLoad | null): Promise<CaptureResult> => {
    const capturedAt = at.toISOString();
    const files = load?.screenshot
      ? await writeBundle(evidenceDir(deps.config.dataDir), bundleFolder(input.url, capturedAt, 'failed/'), [
          { kind: 'screenshot', name: 'page.png', content: load.screenshot, contentType: 'image/png' },
        ])
      : [];
    const failureId = await inTransaction(deps.db, async (tx) => {
      const id = await insertCaptureFailure(tx, {
        listingId: input.listingId ?? null,
        shopId: input.shopId ?? null,
        url: input.url,
        finalUrl: load?.finalUrl ?? null,
        httpStatus: load?.status ?? null,
        reason,
        capturedAt,
        capturedAtLocal: formatHoChiMinhTime(at),
        metadata: captureMetadata(load, operator, at, input.metadata),
        files,
      });
      await appendCustody(tx, {
        action: 'capture_failed',
        actor: operator,
        leadId: input.leadId ?? null,
        at,
        data: { url: input.url, failure_id: id, reason, http_status: load?.status ?? null },
      });
      return id;
    });
    deps.log.warn(`capture of ${input.url} refused as evidence: ${reason}`);
    return { ok: false, url: input.url, failureId, reason, httpStatus: load?.status ?? null, finalUrl: load?.finalUrl ?? null };
  };

  if (!existsSync(deps.config.chromiumPath))
    return fail(`no browser: Chromium not found at ${deps.config.chromiumPath} (set CHROMIUM_PATH or apt-get install chromium)`, null);
  const browser = options.browser ?? new CaptureBrowser(deps.config.chromiumPath);
  const allow = createBrowserGuard({ allowHosts });
  let load: PageLoad;
  try {
    if (options.limiter) await options.limiter.wait(new URL(input.url).host, options.signal);
    load = await loadPage(input.url, { allow, allowHosts, browser: await browser.get() });
  } catch (error) {
    if (error instanceof NavigationRefused) return fail(`refused by the SSRF guard: ${input.url}`, null);
    return fail(`the page did not load: ${(error as Error).message.split('\n')[0]}`, null);
  } finally {
    if (!options.browser) await browser.close();
  }
  // Playwright does not route redirect hops; where the load ended must pass the guard too.
  for (const hop of [load.finalUrl, ...load.redirects.map((r) => r.location).filter((l): l is string => !!l)]) {
    if (!(await allow(new URL(hop, load.requestedUrl).toString()))) return fail(`refused by the SSRF guard: redirected to ${hop}`, null);
  }
  const reason = refusalReason({
    status: load.status,
    finalUrl: load.finalUrl,
    title: load.title,
    visibleText: load.visibleText,
    html: load.dom,
    data: load.data,
  });
  if (reason) return fail(reason, load);
  if (!load.screenshot) return fail('no screenshot: Chromium could not render the page', load);

  const metadata = captureMetadata(load, operator, at, input.metadata);
  const { wacz } = await buildWacz({
    pageUrl: load.finalUrl,
    title: load.title,
    capturedAt: at,
    exchanges: load.exchanges,
    text: load.visibleText,
    software: `${CRAWLER_VERSION} (Chromium ${load.browserVersion})`,
    info: { operator, hostname: os.hostname() },
  });
  const files: EvidenceFileInput[] = [
    { kind: 'screenshot', name: 'page.png', content: load.screenshot, contentType: 'image/png' },
    {
      kind: 'raw',
      name: rawFileName(load.headers['content-type']),
      content: load.rawDocument,
      contentType: load.headers['content-type'] ?? 'application/octet-stream',
    },
    { kind: 'dom', name: 'dom.html', content: load.dom, contentType: 'text/html; charset=utf-8' },
    ...load.data.map((d, index): EvidenceFileInput => ({
      kind: 'captured',
      name: `data-${index + 1}.json`,
      content: JSON.stringify({ url: d.url, status: d.status, content_type: d.contentType, body: d.body }),
      contentType: 'application/json',
    })),
    { kind: 'wacz', name: 'capture.wacz', content: wacz, contentType: 'application/wacz' },
  ];
  const evidence = await writeEvidence(
    {
      url: input.url,
      listingId: input.listingId,
      shopId: input.shopId,
      leadId: input.leadId,
      capturedAt: at,
      files,
      httpStatus: load.status,
      finalUrl: load.finalUrl,
      metadata,
      operator,
    },
    deps,
  );
  deps.log.info(`captured ${load.finalUrl} (HTTP ${load.status}, ${files.length} files) as evidence ${evidence.id}`);
  return { ok: true, url: input.url, evidence, httpStatus: load.status, finalUrl: load.finalUrl, screenshot: true };
}
