// A capture's WACZ opens in ReplayWeb.page (the npm package's own ui.js and sw.js, served from
// http://localhost as its service worker needs): the replayed listing page shows the listing's title.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium as playwright, type Browser, type Frame } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { createLogger } from '../../src/core/log/logger.ts';
import { startSandbox, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import { captureEvidence, CaptureBrowser, evidenceDir } from '../../crawlers/runner/evidence.ts';
import { chromiumPath } from '../helpers/services.ts';
import { sandboxListingUrl } from './fixtures.ts';

const chromium = chromiumPath();
const REPLAY = path.resolve('node_modules/replaywebpage');

/** Serves ReplayWeb.page's embed page, its ui.js and sw.js, and one WACZ (with Range requests, as wabac reads it). */
async function serveReplay(wacz: Buffer, pageUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const ui = readFileSync(path.join(REPLAY, 'ui.js'));
  const sw = readFileSync(path.join(REPLAY, 'sw.js'));
  const embed = `<!doctype html><html><head><meta charset="utf-8"><script src="/ui.js"></script></head><body>
<replay-web-page source="/capture.wacz" url="${pageUrl}" replaybase="/replay/" embed="replayonly" style="display:block;height:800px"></replay-web-page></body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(embed);
    if (url.pathname === '/ui.js' || url.pathname === '/replay/ui.js')
      return void res.writeHead(200, { 'content-type': 'application/javascript' }).end(ui);
    if (url.pathname === '/replay/sw.js') return void res.writeHead(200, { 'content-type': 'application/javascript' }).end(sw);
    if (url.pathname === '/capture.wacz') {
      const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const headers = { 'content-type': 'application/wacz', 'accept-ranges': 'bytes' };
      if (!range)
        return void res.writeHead(200, { ...headers, 'content-length': wacz.length }).end(req.method === 'HEAD' ? undefined : wacz);
      const start = Number(range[1]);
      const end = Math.min(range[2] ? Number(range[2]) : wacz.length - 1, wacz.length - 1);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${wacz.length}`, 'content-length': end - start + 1 });
      return void res.end(req.method === 'HEAD' ? undefined : wacz.subarray(start, end + 1));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** The frame ReplayWeb.page renders the archived page in (its URL carries the original URL after `mp_/`). */
function replayedFrame(frames: Frame[], pageUrl: string): Frame | undefined {
  return frames.find((frame) => frame.url().includes('mp_/') && frame.url().endsWith(pageUrl.replace(/^https?:\/\//, '')));
}

describe.skipIf(!chromium)('a capture’s WACZ in ReplayWeb.page', () => {
  let sandbox: RunningSandbox;
  let db: PgliteDb;
  let dir: string;
  let wacz: Buffer;
  let pageUrl: string;
  let title: string;
  let viewer: Browser;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 31, listings: 300, port: 0 });
    db = await PgliteDb.open();
    await migrate(db);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-replay-'));
    const browser = new CaptureBrowser(chromium!);
    try {
      const capture = await captureEvidence(
        { url: sandboxListingUrl(sandbox, 'tiki') },
        {
          db,
          config: { dataDir: dir, chromiumPath: chromium!, allowHosts: [new URL(sandbox.url).host] },
          log: createLogger({ level: 'silent' }),
        },
        { browser },
      );
      if (!capture.ok) throw new Error(capture.reason);
      pageUrl = capture.finalUrl;
      wacz = readFileSync(path.join(evidenceDir(dir), capture.evidence.files.find((f) => f.kind === 'wacz')!.path));
      title = readFileSync(path.join(evidenceDir(dir), capture.evidence.files.find((f) => f.kind === 'dom')!.path), 'utf8')
        .match(/<h1[^>]*>([^<]+)<\/h1>/)![1]!
        .trim();
    } finally {
      await browser.close();
    }
    // The sandbox stops before replay: whatever the viewer shows comes from the WACZ alone.
    await sandbox.close();
    viewer = await playwright.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox'] });
  }, 240_000);
  afterAll(async () => {
    await viewer?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('replays the listing page with its title, from the WACZ alone', async () => {
    expect(title.length).toBeGreaterThan(5);
    const server = await serveReplay(wacz, pageUrl);
    const context = await viewer.newContext();
    try {
      const page = await context.newPage();
      const consoleLines: string[] = [];
      page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
      await page.goto(server.url);
      // A first visit can stall while ReplayWeb.page's service worker takes control; a reader would
      // reload, so the test does too.
      let frame: Frame | undefined;
      for (let attempt = 1; attempt <= 3 && !frame; attempt++) {
        if (attempt > 1) await page.reload();
        const deadline = Date.now() + 30_000;
        while (!(frame = replayedFrame(page.frames(), pageUrl)) && Date.now() < deadline) await page.waitForTimeout(500);
      }
      if (!frame)
        throw new Error(
          `no replayed frame for ${pageUrl}; frames: ${page
            .frames()
            .map((f) => f.url())
            .join(', ')}; console: ${consoleLines.slice(-10).join(' | ')}`,
        );
      await frame.waitForSelector('h1', { timeout: 60_000 });
      expect((await frame.locator('h1').first().innerText()).trim()).toBe(title);
    } finally {
      await context.close();
      await server.close();
    }
  }, 240_000);
});
