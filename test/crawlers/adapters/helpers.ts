import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { CapturedResponse, CrawlRequest, FetchedPage, MarketplaceAdapter, PageKind, ParseResult } from '../../../crawlers/adapter.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixture(path: string): string {
  return readFileSync(`${FIXTURES}${path}`, 'utf8');
}

export function page(body: string, url: string, extra: Partial<FetchedPage> = {}): FetchedPage {
  return { url, status: 200, contentType: null, body, ...extra };
}

export function request(url: string, kind: PageKind, extra: Partial<CrawlRequest> = {}): CrawlRequest {
  return { url, kind, ...extra };
}

export type Ok = Extract<ParseResult, { outcome: 'ok' }>;

export function expectOk(result: ParseResult): Ok {
  if (result.outcome !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

export function expectBlocked(result: ParseResult): string {
  expect(result.outcome).toBe('blocked');
  return (result as { reason: string }).reason;
}

/** Arbitrary bytes, arbitrary JSON and JSON-ish pages never make `parse` throw. */
export function fuzzAdapter(adapter: MarketplaceAdapter, url: string, captured = false): void {
  const body = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify({ data: value, items: value, mods: { listItems: value } })),
    fc
      .jsonValue({ maxDepth: 3 })
      .map(
        (value) =>
          `<html><script>app.run(${JSON.stringify(value)})</script><script id="__MODERN_ROUTER_DATA__">${JSON.stringify({ loaderData: value })}</script></html>`,
      ),
  );
  fc.assert(
    fc.property(body, fc.constantFrom<PageKind>('search', 'listing', 'shop'), fc.constantFrom(200, 403, 404, 500), (text, kind, status) => {
      const capturedResponses: CapturedResponse[] | undefined = captured
        ? [{ url: `${url}/api/v4/search/search_items?x=1`, status, body: text }]
        : undefined;
      const result = adapter.parse(
        { url, status, contentType: null, body: text, ...(capturedResponses ? { captured: capturedResponses } : {}) },
        { url, kind, page: 1, maxPages: 3 },
      );
      expect(['ok', 'blocked', 'error']).toContain(result.outcome);
      if (result.outcome === 'blocked') expect(result.reason.length).toBeGreaterThan(0);
      if (result.outcome === 'error') expect(result.message.length).toBeGreaterThan(0);
    }),
    { numRuns: 400 },
  );
}
