import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { emptyResult, type CrawlRequest, type FetchedPage, type MarketplaceAdapter, type ParseResult } from '../../../crawlers/adapter.ts';
import { ListingRecordSchema, ShopRecordSchema } from '../../../src/core/domain/records.ts';

/**
 * A toy marketplace for runner tests: `/search?page=N` lists item ids as JSON, `/item/ID` is one
 * item. The server's behaviour per path is scripted by the test through `handler`.
 */
export type Route = (req: http.IncomingMessage, res: http.ServerResponse, hits: number) => void;

export interface ToyServer {
  url: string;
  host: string;
  hits: Map<string, number>;
  close(): Promise<void>;
}

export async function startToyServer(route: Route): Promise<ToyServer> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const key = req.url ?? '/';
    const count = (hits.get(key) ?? 0) + 1;
    hits.set(key, count);
    route(req, res, count);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The toy wire format: search pages `{items:[{id, shop, price}], next}`, items `{id, shop, price}` or `{removed:true}` or `{blocked:true}`. */
export function toyAdapter(): MarketplaceAdapter {
  return {
    name: 'toy',
    marketplace: 'tiki',
    needsBrowser: false,
    defaultBaseUrl: 'https://toy.invalid',
    startRequests(target, options) {
      if (target.mode !== 'query') return [];
      return [
        {
          url: `${options.baseUrl}/search?q=${encodeURIComponent(target.query)}&page=1`,
          kind: 'search',
          page: 1,
          maxPages: options.maxPages,
        },
      ];
    },
    parse(page: FetchedPage, request: CrawlRequest): ParseResult {
      let data: unknown;
      try {
        data = JSON.parse(page.body);
      } catch {
        return { outcome: 'error', message: 'not JSON' };
      }
      if (!data || typeof data !== 'object') return { outcome: 'error', message: 'not an object' };
      const body = data as Record<string, unknown>;
      if (body.blocked) return { outcome: 'blocked', reason: 'toy block page' };
      const result = emptyResult();
      const base = new URL(page.url).origin;
      if (request.kind === 'search') {
        for (const item of (body.items as { id: string }[]) ?? []) {
          result.requests.push({ url: `${base}/item/${item.id}`, kind: 'listing', uniqueKey: `toy:${item.id}` });
        }
        const pageNo = request.page ?? 1;
        if (body.next && pageNo < (request.maxPages ?? 1)) {
          result.requests.push({
            url: page.url.replace(/page=\d+/, `page=${pageNo + 1}`),
            kind: 'search',
            page: pageNo + 1,
            maxPages: request.maxPages,
          });
        }
        return result;
      }
      const id = request.url.split('/').pop()!;
      if (body.removed) {
        result.removed.push({ marketplace: 'tiki', externalId: id });
        return result;
      }
      const shopId = String(body.shop);
      result.shops.push(ShopRecordSchema.parse({ marketplace: 'tiki', externalId: shopId, name: `Shop ${shopId}` }));
      result.listings.push(
        ListingRecordSchema.parse({
          marketplace: 'tiki',
          externalId: id,
          shopExternalId: shopId,
          title: `Item ${id}`,
          priceVnd: Number(body.price),
          url: page.url,
        }),
      );
      return result;
    },
  };
}
