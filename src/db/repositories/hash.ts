import { createHash } from 'node:crypto';

/** Stable short hash of the fields that matter; drives "changed since" for incremental scoring. */
export function contentHash(values: readonly unknown[]): string {
  return createHash('sha1').update(JSON.stringify(values)).digest('base64url').slice(0, 22);
}
