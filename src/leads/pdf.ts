import { existsSync } from 'node:fs';

/** Chromium flags for a headless Debian Chromium that phones nowhere home (as the crawlers use). */
const PDF_BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RenderPdfOptions {
  /** Debian's Chromium. @default '/usr/bin/chromium' */
  chromiumPath?: string;
  /** Page margins; without them the page's own `@page` rule decides. @default undefined */
  margin?: { top: string; bottom: string; left: string; right: string };
}

/**
 * A4 PDF of a self-contained HTML page (an evidence summary, a referral letter), printed by Chromium
 * with scripts off and every fetch refused: the page embeds all it shows, and must print the same anywhere.
 */
export async function renderPdf(html: string, options: RenderPdfOptions = {}): Promise<Buffer> {
  const chromiumPath = options.chromiumPath ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}`);
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: PDF_BROWSER_ARGS, headless: true });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort('blockedbyclient')));
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      ...(options.margin ? { margin: options.margin } : { preferCSSPageSize: true }),
    });
  } finally {
    await browser.close();
  }
}
