/** The sandbox's ground truth for `radar eval`: developer tooling, so scoring never imports the sandbox. */
import type { TruthListing } from '../../scoring/eval.ts';
import { generateWorld, truthRecords } from './sandbox/index.ts';

/** Truth listing records of the generated world for `seed` (shop records are skipped by eval). */
export function sandboxTruth(seed: number, listings: number): Iterable<TruthListing> {
  const records: TruthListing[] = [];
  for (const record of truthRecords(generateWorld({ seed, listings }))) if (record.type === 'listing') records.push(record);
  return records;
}
