/** How the demo's leads compare with the sandbox's ground truth, over the listings that were crawled. */
export interface TruthCheck {
  crawled: number;
  counterfeit: number;
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
}

/**
 * `labels` maps `marketplace:external_id` to the truth label; `crawled` are the listings in the
 * database with whether scoring flagged them. Listings the truth does not know are ignored.
 */
export function checkAgainstTruth(
  labels: ReadonlyMap<string, 'counterfeit' | 'clean'>,
  crawled: Iterable<{ key: string; flagged: boolean }>,
): TruthCheck {
  let total = 0;
  let counterfeit = 0;
  let flagged = 0;
  let truePositives = 0;
  for (const listing of crawled) {
    const label = labels.get(listing.key);
    if (!label) continue;
    total++;
    if (label === 'counterfeit') counterfeit++;
    if (listing.flagged) {
      flagged++;
      if (label === 'counterfeit') truePositives++;
    }
  }
  return {
    crawled: total,
    counterfeit,
    flagged,
    truePositives,
    precision: flagged === 0 ? 0 : truePositives / flagged,
    recall: counterfeit === 0 ? 0 : truePositives / counterfeit,
  };
}

/**
 * The key a crawled listing has in the sandbox truth. Marketplace listings keep the marketplace's own
 * id; independent web-shop listings are keyed by host + path, so their truth id is the number in `/p/{id}-`.
 */
export function truthKey(marketplace: string, externalId: string): string {
  if (marketplace === 'web') {
    const match = /\/p\/(\d+)-/.exec(externalId);
    if (match) return `web:${match[1]}`;
  }
  return `${marketplace}:${externalId}`;
}
