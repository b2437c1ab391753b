import type { CrawlTarget } from '../../../crawlers/adapter.ts';

/** One crawl the demo runs: which adapter, on which sandbox skin, for what. */
export interface DemoCrawl {
  adapter: string;
  skin: 'shopee' | 'lazada' | 'tiki' | 'sendo' | 'tiktok' | 'shop';
  target: CrawlTarget;
}

/** Which adapter reads which sandbox skin. The independent web shop is read through its schema.org data. */
export const DEMO_SKIN_ADAPTERS = [
  { skin: 'tiki', adapter: 'tiki' },
  { skin: 'lazada', adapter: 'lazada' },
  { skin: 'sendo', adapter: 'sendo' },
  { skin: 'tiktok', adapter: 'tiktok' },
  { skin: 'shop', adapter: 'schemaorg' },
  { skin: 'shopee', adapter: 'shopee' },
] as const;

/**
 * The high-risk categories of the domain brief, swept the way a market-surveillance team would,
 * plus keyword searches for brands that are counterfeited most.
 */
export const DEMO_CATEGORIES = ['fashion', 'shoes-bags', 'cosmetics', 'helmets', 'chargers', 'milk-supplements'] as const;
export const DEMO_QUERIES = ['nike', 'chính hãng'] as const;

/**
 * A real browser costs about ten times an HTTP fetch per page, so the browser skin gets one
 * keyword search and one category: enough to show the path works without dominating the demo's time.
 */
export const DEMO_BROWSER_TARGETS: readonly CrawlTarget[] = [
  { mode: 'query', query: 'nike' },
  { mode: 'category', category: 'helmets' },
];

export function demoPlan(options: { browser: boolean }): DemoCrawl[] {
  const plan: DemoCrawl[] = [];
  for (const { skin, adapter } of DEMO_SKIN_ADAPTERS) {
    if (skin === 'shopee') {
      if (options.browser) for (const target of DEMO_BROWSER_TARGETS) plan.push({ adapter, skin, target });
      continue;
    }
    for (const category of DEMO_CATEGORIES) plan.push({ adapter, skin, target: { mode: 'category', category } });
    for (const query of DEMO_QUERIES) plan.push({ adapter, skin, target: { mode: 'query', query } });
  }
  return plan;
}

export function describeTarget(target: CrawlTarget): string {
  switch (target.mode) {
    case 'category':
      return `category ${target.category}`;
    case 'query':
      return `"${target.query}"`;
    case 'shop':
      return `shop ${target.shopId}`;
    case 'url':
      return target.url;
  }
}
