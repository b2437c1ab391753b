import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright';
import { startSandbox, reachableListings, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import { chromiumPath } from '../helpers/services.ts';

const executablePath = chromiumPath();
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(!executablePath)('/shopee is a browser-only app', () => {
  let sandbox: RunningSandbox;
  let browser: Browser;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 7, listings: 1000 });
    browser = await chromium.launch({ executablePath: executablePath!, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });

  it('a plain GET of the search page returns the shell with no listing data', async () => {
    const html = await (await fetch(`${sandbox.url}/shopee/search?keyword=nike`)).text();
    const expected = reachableListings(sandbox.world, { skin: 'shopee', query: 'nike' });
    expect(expected.length).toBeGreaterThan(0);
    expect(html).toContain('id="main"');
    for (const id of expected) expect(html).not.toContain(id);
    expect(html).not.toMatch(/data-itemid="\d/u);
  });

  it('a browser renders the listings the page fetches from the v4 API', async () => {
    const page = await browser.newPage();
    const apiCalls: string[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/v4/')) apiCalls.push(response.url());
    });
    await page.goto(`${sandbox.url}/shopee/search?keyword=nike`);
    await page.waitForSelector('#main[data-loaded="true"]', { timeout: 20_000 });
    const rendered = await page.$$eval('[data-sqe="item"]', (items) => items.map((item) => item.getAttribute('data-itemid')));
    expect(rendered).toEqual(reachableListings(sandbox.world, { skin: 'shopee', query: 'nike', maxPages: 1 }));
    expect(apiCalls.some((url) => url.includes('/api/v4/search/search_items'))).toBe(true);

    const first = await page.$eval('[data-sqe="item"] a', (a) => a.getAttribute('href'));
    await page.goto(`${sandbox.url}${first}`);
    await page.waitForSelector('#main[data-loaded="true"]', { timeout: 20_000 });
    expect(await page.textContent('h1.product-name')).toBeTruthy();
    await page.close();
  }, 60_000);
});
