import { createWriteStream } from 'node:fs';
import { loadTruth } from './repo.ts';

/** A sandbox truth record carrying a listing, in score-file input shape. */
interface TruthListingLine {
  type: 'listing';
  listing: Record<string, unknown>;
  shop: Record<string, unknown> | null;
}

function isListingLine(record: unknown): record is TruthListingLine {
  const value = record as Partial<TruthListingLine> | null;
  return (
    typeof value === 'object' && value !== null && value.type === 'listing' && typeof value.listing === 'object' && value.listing !== null
  );
}

/**
 * Writes `listings` sandbox listings as score-file lines (`{"listing":…,"shop":…}`), straight from the
 * generator's own truth records. Returns how many lines were written.
 */
export async function writeTruthJsonl(path: string, options: { seed: number; listings: number }): Promise<number> {
  const truth = await loadTruth();
  const world = truth.generateWorld({ seed: options.seed, listings: options.listings });
  const out = createWriteStream(path);
  let written = 0;
  let buffer = '';
  for (const record of truth.truthRecords(world)) {
    if (!isListingLine(record)) continue;
    buffer += `${JSON.stringify({ listing: record.listing, shop: record.shop })}\n`;
    written++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  await new Promise<void>((resolve, reject) => out.end(buffer, (error?: Error | null) => (error ? reject(error) : resolve())));
  return written;
}
