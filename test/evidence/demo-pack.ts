// What the demo's evidence pack must hold (issue 17): a 200 capture, a PNG of the listing page, a WACZ
// whose datapackage digests match, a signed manifest, and verify-pack intact against the office key.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createPublicKey } from 'node:crypto';
import { findSigningKey } from '../../src/leads/keys.ts';
import type { PackManifest } from '../../src/leads/pack.ts';
import { verifyEvidencePack, type VerifyPackResult } from '../../src/leads/verify-pack.ts';
import { unzipEntries } from './unzip.ts';

export interface DemoPackFacts {
  verify: VerifyPackResult;
  listingHttpStatus: number | null;
  screenshotIsPng: boolean;
  screenshotUrl: string | null;
  waczDigestsMatch: boolean;
  signed: boolean;
}

export async function demoPackFacts(packFile: string, dataDir: string): Promise<DemoPackFacts> {
  const key = findSigningKey({ dataDir });
  const verify = await verifyEvidencePack(packFile, { trustedKeys: key ? [createPublicKey(key)] : [] });
  const entries = await unzipEntries(readFileSync(packFile));
  const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as PackManifest;
  const listingUrl = manifest.urls[0] ?? null;
  const listingCapture = manifest.captures.find((c) => c.url === listingUrl) ?? manifest.captures[0];
  const shot = manifest.files.find((f) => f.kind === 'screenshot' && f.evidence_id === listingCapture?.evidence_id);
  const wacz = manifest.files.find((f) => f.kind === 'wacz' && f.evidence_id === listingCapture?.evidence_id);
  let waczDigestsMatch = false;
  if (wacz) {
    const inner = await unzipEntries(entries.get(wacz.entry)!);
    const datapackage = JSON.parse(inner.get('datapackage.json')!.toString()) as { resources: { path: string; hash: string }[] };
    waczDigestsMatch =
      datapackage.resources.length >= 3 &&
      datapackage.resources.every(
        (r) => inner.has(r.path) && r.hash === `sha256:${createHash('sha256').update(inner.get(r.path)!).digest('hex')}`,
      );
  }
  return {
    verify,
    listingHttpStatus: listingCapture?.http_status ?? null,
    screenshotIsPng: !!shot && entries.get(shot.entry)!.subarray(1, 4).toString('latin1') === 'PNG',
    screenshotUrl: shot?.url ?? null,
    waczDigestsMatch,
    signed: entries.has('manifest.sig') && manifest.signer?.algorithm === 'Ed25519',
  };
}

export const demoPackPath = (dir: string, file: string) => path.join(dir, file);
