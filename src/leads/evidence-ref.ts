import { createHash } from 'node:crypto';

/** The file name `radar leads pack` and the demo give a lead's evidence pack. */
export function packFileName(leadId: number): string {
  return `evidence-lead-${leadId}.zip`;
}

/**
 * One SHA-256 that names a capture: the digest of its files' own digests, sorted, so a letter or a
 * takedown request can cite one value that any later copy of the capture reproduces.
 */
export function evidenceDigest(files: readonly { sha256?: string }[] | null): string | null {
  const digests = (files ?? []).map((file) => file.sha256).filter((d): d is string => typeof d === 'string' && d.length > 0);
  if (digests.length === 0) return null;
  return createHash('sha256').update(digests.sort().join('\n')).digest('hex');
}
