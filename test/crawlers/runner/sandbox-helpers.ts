import type { RunningSandbox, Skin } from '../../../src/devtools/sandbox/index.ts';
import { getAdapter } from '../../../crawlers/adapters/index.ts';
import { runCrawl } from '../../../crawlers/runner/run-crawl.ts';
import type { Db } from '../../../src/core/db/types.ts';
import { testDeps } from './deps.ts';

/** The HTTP adapters and the skin each one reads; Shopee needs a browser and has its own file. */
export const HTTP_ADAPTERS: { name: string; skin: Skin; siteFile?: string }[] = [
  { name: 'tiki', skin: 'tiki' },
  { name: 'sendo', skin: 'sendo' },
  { name: 'lazada', skin: 'lazada' },
  { name: 'tiktok', skin: 'tiktok' },
  { name: 'schemaorg', skin: 'shop' },
  { name: 'selectors', skin: 'shop', siteFile: 'crawlers/sites/sandbox-shop.yaml' },
];
export const QUERY = 'son';
export const MAX_PAGES = 3;

/** Web shops key listings by URL; the sandbox truth keys them by product id (`/shop/p/{id}-slug`). */
export function collectedIds(rows: { external_id: string; url: string | null }[]): Set<string> {
  const ids = new Set<string>();
  for (const row of rows) {
    ids.add(row.external_id);
    const web = /\/p\/(\d+)-/.exec(row.url ?? row.external_id);
    if (web) ids.add(web[1]!);
  }
  return ids;
}

export async function crawlSkin(db: Db, sandbox: RunningSandbox, adapterName: string, skin: Skin, siteFile?: string) {
  const adapter = getAdapter(adapterName, siteFile ? { siteFile } : {});
  return runCrawl(
    {
      adapter,
      target: { mode: 'query', query: QUERY },
      maxPages: MAX_PAGES,
      baseUrl: `${sandbox.url}/${skin}`,
      allowHosts: [new URL(sandbox.url).host],
      requestsPerMinute: 0,
      retryBaseMs: 50,
    },
    testDeps(db),
  );
}
