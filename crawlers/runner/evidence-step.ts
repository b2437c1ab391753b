import type { CrawlRequest, FetchedPage, ParseResult } from '../adapter.ts';
import { findListingId, findShopId } from '../../src/core/db/stores/record-ids.ts';
import { rawFileName, writeEvidence, type EvidenceFileInput } from './evidence.ts';

/** What the evidence step needs: the database and data folder `writeEvidence` writes to, and the sink to flush first. */
export interface EvidenceStepContext {
  deps: Parameters<typeof writeEvidence>[1];
  sink: { flush(): Promise<void> };
  /** Counts one bundle written. */
  written(): void;
}

/** Keeps the raw page (plus the transport's extra files) of a listing or shop page as evidence. */
export type EvidenceStep = (page: FetchedPage, request: CrawlRequest, result: Extract<ParseResult, { outcome: 'ok' }>, extra?: () => Promise<EvidenceFileInput[]>) => Promise<void>;

export function createEvidenceStep(context: EvidenceStepContext): EvidenceStep {
  const { deps, sink } = context;
  return async (page, request, result, extra) => {
    if (request.kind !== 'listing' && request.kind !== 'shop') return;
    // Evidence rows point at listing/shop ids, so the records must be written first.
    await sink.flush();
    const listing = request.kind === 'listing' ? result.listings[0] : undefined;
    const shop = result.shops[0];
    const [listingId, shopId] = await Promise.all([listing ? findListingId(deps.db, listing) : null, shop ? findShopId(deps.db, shop) : null]);
    const files: EvidenceFileInput[] = [
      { kind: 'raw', name: rawFileName(page.contentType), content: page.body, contentType: page.contentType ?? 'application/octet-stream' },
      ...(extra ? await extra() : []),
    ];
    await writeEvidence({ url: page.url, listingId, shopId, files }, deps);
    context.written();
  };
}
