import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ARGS } from '../../crawlers/runner/browser-args.ts';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { addAccount } from '../../src/apps/console/accounts.ts';
import { startConsole, type RunningConsole } from '../../src/apps/console/server.ts';
import { chromiumPath } from '../helpers/services.ts';
import { HANOI, seedConsole, type ConsoleSeed } from './seed.ts';

// The office key packs are signed with (radar keys init makes one under RADAR_DATA_DIR).
const OFFICE_KEY = generateKeyPairSync('ed25519').privateKey;

const executablePath = chromiumPath();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// Screenshots of each main page; the README's copies in docs/screenshots are refreshed only on request,
// so a test run leaves the tree as it found it.
const SHOTS =
  process.env.RADAR_UPDATE_SCREENSHOTS === '1'
    ? path.resolve('docs/screenshots')
    : mkdtempSync(path.join(tmpdir(), 'radar-console-shots-'));
const PASSWORD = 'correct horse battery';

/** axe-core findings that block: serious or critical. */
async function seriousViolations(page: Page): Promise<{ id: string; impact: string; nodes: string[] }[]> {
  // Evaluated through the DevTools protocol: the console's CSP (script-src 'self') rightly refuses inline tags.
  await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe.skipIf(!executablePath)('analyst console in Chromium', () => {
  let db: PgliteDb;
  let dataDir: string;
  let seed: ConsoleSeed;
  let server: RunningConsole;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    dataDir = mkdtempSync(path.join(tmpdir(), 'radar-console-browser-'));
    seed = await seedConsole(db, dataDir);
    await addAccount(db, { name: 'lan', role: 'national', password: PASSWORD });
    server = await startConsole({ db, evidenceDir: path.join(dataDir, 'evidence'), signingKey: OFFICE_KEY, port: 0 });
    browser = await chromium.launch({ executablePath: executablePath!, args: BROWSER_ARGS });
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 }, timezoneId: 'Asia/Ho_Chi_Minh' });
    page = await context.newPage();
    mkdirSync(SHOTS, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    if (process.env.RADAR_UPDATE_SCREENSHOTS !== '1') rmSync(SHOTS, { recursive: true, force: true });
    await browser?.close();
    await server?.close();
    await db?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs in', async () => {
    await page.goto(`${server.url}/leads`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('#login-name', 'lan');
    await page.fill('#login-password', PASSWORD);
    await page.screenshot({ path: path.join(SHOTS, 'login.png') });
    await Promise.all([page.waitForURL(/\/leads$/), page.click('#login-submit')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Hàng đợi');
    expect(await page.locator('#total').getAttribute('data-total')).toBe(String(seed.total));
  });

  it('filters the queue by province and brand, with the filters in the URL', async () => {
    await page.selectOption('#f-province', String(HANOI.code));
    await page.waitForURL(/province=1/);
    await page.fill('#f-brand', 'Nike');
    await page.press('#f-brand', 'Enter');
    await page.waitForURL(/brand=Nike/);
    await page.waitForFunction(() => document.querySelector('#total')?.getAttribute('data-total') === '15');
    const provinces = await page.$$eval('table.queue tbody tr td:nth-child(6)', (cells) =>
      cells.map((c) => c.firstChild?.textContent?.trim()),
    );
    expect(provinces).toHaveLength(15);
    expect(new Set(provinces)).toEqual(new Set([HANOI.name]));
    const brands = await page.$$eval('table.queue tbody tr .tag', (tags) => tags.map((t) => t.textContent));
    expect(new Set(brands)).toEqual(new Set(['Nike']));
    const url = new URL(page.url());
    expect(url.searchParams.get('province')).toBe('1');
    expect(url.searchParams.get('brand')).toBe('Nike');
    await page.screenshot({ path: path.join(SHOTS, 'queue.png'), fullPage: true });
    // A shared link gives the same list.
    const shared = await context.newPage();
    await shared.goto(page.url());
    expect(await shared.locator('#total').getAttribute('data-total')).toBe('15');
    await shared.close();
  });

  it('has no serious or critical accessibility violations on the queue', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('opens a lead and shows its screenshot', async () => {
    await Promise.all([
      page.waitForURL(new RegExp(`/leads/${seed.evidenceLeadId}$`)),
      page.click(`table.queue a[href="/leads/${seed.evidenceLeadId}"] >> nth=0`),
    ]);
    const img = page.locator('img.screenshot');
    await img.waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.screenshot')?.complete === true);
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(320);
    await expect(page.locator('.evidence .state.verified').first().textContent()).resolves.toContain('Khớp mã băm');
    await expect(page.locator('#shop-province').textContent()).resolves.toBe(HANOI.name);
    await page.screenshot({ path: path.join(SHOTS, 'lead.png'), fullPage: true });
  });

  it('has no serious or critical accessibility violations on the lead detail', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('sets a status with a note and shows it in the history', async () => {
    await page.selectOption('#status-select', 'confirmed');
    await page.fill('#status-note', 'mua thử: hàng giả');
    await Promise.all([page.waitForURL(/ok=saved/), page.click('#status-form button[type=submit]')]);
    await expect(page.locator('#lead-status').textContent()).resolves.toBe('Xác nhận vi phạm');
    const first = page.locator('#history tbody tr').first();
    await expect(first.textContent()).resolves.toContain('mua thử: hàng giả');
    await expect(first.textContent()).resolves.toContain('Mới → Xác nhận vi phạm');
    await expect(first.textContent()).resolves.toContain('lan');
  });

  it('bulk-assigns 10 leads', async () => {
    await page.goto(`${server.url}/leads?province=${HANOI.code}`);
    const boxes = page.locator('input[name="ids"]');
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      await boxes.nth(i).check();
      ids.push((await boxes.nth(i).getAttribute('value'))!);
    }
    await page.selectOption('#bulk-action', 'assign');
    await page.fill('#bulk-assignee', 'minh');
    await Promise.all([page.waitForURL(/done=10/), page.click('#bulk-run')]);
    await expect(page.locator('.flash').textContent()).resolves.toBe('Đã cập nhật 10 đầu mối.');
    const { rows } = await db.query<{ id: number }>("SELECT id FROM leads WHERE assignee = 'minh' ORDER BY id");
    expect(rows.map((r) => String(r.id)).sort()).toEqual([...ids].sort());
    const events = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM lead_events WHERE event = 'assigned' AND actor = 'lan'");
    expect(events.rows[0]!.n).toBe(10);
  });

  it("downloads this week's XLSX for a province and it opens with exceljs", async () => {
    await page.goto(`${server.url}/exports`);
    await page.screenshot({ path: path.join(SHOTS, 'exports.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`a[data-province="${HANOI.code}"]`)]);
    expect(download.suggestedFilename()).toMatch(/^leads-\d{4}-W\d{2}-thanh-pho-ha-noi\.xlsx$/);
    const file = path.join(dataDir, 'download.xlsx');
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const texts: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => texts.push(JSON.stringify(row.values))));
    expect(texts.some((t) => t.includes('Giày Nike Air Force 1 rep 1:1 mẫu 0'))).toBe(true);
    expect(texts.some((t) => t.includes('Giày Nike Jordan'))).toBe(false);
  });

  it('switches the language to English and back', async () => {
    await page.goto(`${server.url}/leads?province=${HANOI.code}`);
    await Promise.all([page.waitForURL(/\/leads\?province=1$/), page.click('#lang-toggle')]);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Queue');
    await expect(page.locator('table.queue tbody').textContent()).resolves.toContain('Price far below the brand reference');
    await page.screenshot({ path: path.join(SHOTS, 'queue-en.png'), fullPage: true });
    await page.click('#lang-toggle');
    await expect(page.locator('h1').textContent()).resolves.toBe('Hàng đợi');
  });

  it('draws the overview charts and the network graph', async () => {
    await page.goto(`${server.url}/overview`);
    await page.locator('#week-chart canvas').waitFor();
    await expect(page.locator(`.tile[href="/leads?province=${HANOI.code}"] .tcount`).textContent()).resolves.toMatch(/^\d+$/);
    await page.screenshot({ path: path.join(SHOTS, 'overview.png'), fullPage: true });
    await page.goto(`${server.url}/networks/${seed.networkId}`);
    await page.locator('#graph canvas').first().waitFor();
    await expect(page.locator('table tbody').textContent()).resolves.toContain('Số điện thoại');
    await page.screenshot({ path: path.join(SHOTS, 'network.png'), fullPage: true });
  });
});
