import { chromium } from 'playwright';

/** Chromium flags for a headless Debian Chromium that phones nowhere home (as the crawlers use). */
const PDF_BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface RenderPdfOptions {
  /** Debian's Chromium. @default '/usr/bin/chromium' */
  chromiumPath?: string;
}

/**
 * A4 PDF of a self-contained HTML page, rendered by Chromium with scripts and network off: the page
 * is ours, and a letter or summary must look the same wherever it is printed.
 */
export async function renderPdf(html: string, options: RenderPdfOptions = {}): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath: options.chromiumPath ?? '/usr/bin/chromium', args: PDF_BROWSER_ARGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}
