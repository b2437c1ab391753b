// Issue 16, high: the browser crawl's guard missed redirect hops (a 302 to another loopback port
// was followed) and WebSockets (`new WebSocket('ws://127.0.0.1:PORT')` connected), and Chromium
// resolved names itself (DNS rebinding). A loopback canary listener must never be touched.
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright';
import { guardBrowserTarget, launchGuardedChromium } from '../../crawlers/runner/browser-guard.ts';
import { BROWSER_ARGS } from '../../crawlers/runner/browser-args.ts';
import { startCanary, type Canary } from '../helpers/canary.ts';
import { chromiumPath } from '../helpers/services.ts';

const chromium = chromiumPath();

describe.skipIf(!chromium)('Chromium behind the browser guard', () => {
  let canary: Canary;
  let site: http.Server;
  let siteHost: string;
  let browser: Browser;
  let refused: string[] = [];

  beforeAll(async () => {
    canary = await startCanary();
    site = http.createServer((req, res) => {
      const page = (body: string) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>t</title><body>${body}</body>`);
      if (req.url === '/redirect') return void res.writeHead(302, { location: `${canary.url}/hop` }).end();
      if (req.url === '/ws')
        return page(
          `<script>window.ws = 'pending'; const s = new WebSocket('ws://127.0.0.1:${canary.port}/'); s.onopen = () => (window.ws = 'open'); s.onerror = s.onclose = () => (window.ws = 'closed');</script>`,
        );
      if (req.url === '/sub')
        return page(
          `<img src="${canary.url}/img.png"><img src="http://[::ffff:127.0.0.1]:${canary.port}/x.png"><script>fetch('${canary.url}/api').catch(() => {}); fetch('http://2130706433:${canary.port}/').catch(() => {});</script>`,
        );
      return page('hello from the allowlisted site');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteHost = `127.0.0.1:${(site.address() as net.AddressInfo).port}`;
    const { chromium: launcher } = await import('playwright');
    browser = await launchGuardedChromium(
      launcher,
      { executablePath: chromium!, args: BROWSER_ARGS, headless: true },
      {
        // rebind.test "resolves" to loopback: Chromium must not get to resolve or reach it.
        resolve: async (host) => (host === 'rebind.test' ? ['127.0.0.1'] : ['93.184.215.14']),
        onRefused: (target) => refused.push(target),
      },
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await canary?.close();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  });

  async function newPage() {
    const context = await browser.newContext();
    await guardBrowserTarget(context, [siteHost]);
    return { context, page: await context.newPage() };
  }

  it('loads the allowlisted site through the guard', async () => {
    const { context, page } = await newPage();
    try {
      const response = await page.goto(`http://${siteHost}/`);
      expect(response?.status()).toBe(200);
      expect(await page.textContent('body')).toContain('hello from the allowlisted site');
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a redirect hop to another loopback port', async () => {
    refused = [];
    const { context, page } = await newPage();
    try {
      await page.goto(`http://${siteHost}/redirect`).catch(() => undefined);
      expect(refused.some((target) => target.endsWith(`:${canary.port}`))).toBe(true);
      expect(canary.hits()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses a WebSocket to another loopback port', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`http://${siteHost}/ws`);
      await page.waitForFunction(() => (window as unknown as { ws: string }).ws !== 'pending', undefined, { timeout: 20_000 });
      expect(await page.evaluate(() => (window as unknown as { ws: string }).ws)).toBe('closed');
      expect(canary.hits()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('refuses subresources, fetch and encoded forms, and a name that resolves to loopback', async () => {
    refused = [];
    const { context, page } = await newPage();
    try {
      await page.goto(`http://${siteHost}/sub`);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await page.goto(`http://rebind.test:${canary.port}/`).catch(() => undefined);
      expect(refused.some((target) => target.startsWith('rebind.test'))).toBe(true);
      expect(canary.hits()).toBe(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('the allowlist of a closed context is withdrawn', async () => {
    refused = [];
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://${siteHost}/`).catch(() => undefined);
    expect(refused.some((target) => target === siteHost)).toBe(true);
    await context.close();
  }, 60_000);
});
