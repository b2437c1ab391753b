import { createHash, sign, createPublicKey, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import { z } from 'zod';
import type { Db, Queryable } from '../core/db/types.ts';
import { appendCustody, custodyForLead, custodyHead, type CustodyRow } from '../core/db/stores/custody.ts';
import { sha256OfFile } from './custody.ts';
import { leadDetails, type EvidenceRow, type LeadDetails } from './show.ts';
import { renderPackSummary } from './pack-summary.ts';
import { renderPdf } from './pdf.ts';
import { fingerprint, publicKeyBase64 } from './keys.ts';
import { hcmLocalTime } from './week.ts';

/** Name of the checksum list inside a pack; it covers every other entry, manifest included. */
export const CHECKSUMS_ENTRY = 'SHA256SUMS';
export const MANIFEST_ENTRY = 'manifest.json';
/** The Ed25519 signature over manifest.json's exact bytes. */
export const SIGNATURE_ENTRY = 'manifest.sig';
export const PACK_FORMAT = 'counterfeit-radar evidence pack v2';

/** The evidence table's `files` column, validated because another process writes it. */
const EvidenceFilesSchema = z.array(
  z.object({
    kind: z.string(),
    path: z.string().min(1),
    sha256: z.string().optional(),
    bytes: z.number().optional(),
    content_type: z.string().optional(),
  }),
);

export interface PackedFile {
  /** Path inside the zip. */
  entry: string;
  kind: string;
  url: string | null;
  evidence_id: number | null;
  captured_at_utc: string | null;
  captured_at_local: string | null;
  crawler_version: string | null;
  content_type: string | null;
  bytes: number;
  sha256: string;
  /** The hash recorded in the database at capture time (null for files made by the pack). */
  capture_sha256: string | null;
  /** False when the file on disk no longer matches the hash recorded at capture time. */
  matches_capture_hash: boolean | null;
}

export interface PackCapture {
  evidence_id: number;
  url: string;
  final_url: string | null;
  http_status: number | null;
  captured_at_utc: string;
  captured_at_local: string;
  crawler_version: string;
  metadata: Record<string, unknown>;
}

/** One custody-log row as the pack carries it (see the custody store). */
export type PackCustodyEntry = CustodyRow;

export interface PackManifest {
  format: typeof PACK_FORMAT;
  lead: { id: number; kind: string; score: number; status: string; scoring_version: string; top_reasons: string | null };
  generated_at_utc: string;
  generated_at_local: string;
  timezone: 'Asia/Ho_Chi_Minh';
  packed_by: string;
  signer: { algorithm: 'Ed25519'; fingerprint: string; public_key: string };
  urls: string[];
  captures: PackCapture[];
  capture_failures: { id: number; url: string; http_status: number | null; reason: string; captured_at_local: string }[];
  /** Who captured, packed and exported, and when: the lead's rows of the custody log. */
  custody: PackCustodyEntry[];
  /** The custody log's newest row when the pack was made: anchors the whole log up to there. */
  custody_head: { seq: number; row_hash: string } | null;
  files: PackedFile[];
  /** Evidence files listed in the database but not found on disk. */
  missing: { evidence_id: number; path: string }[];
}

export interface BuildPackOptions {
  /** The zip to write. */
  outFile: string;
  /** RADAR_DATA_DIR/evidence: where the evidence table's relative paths point. */
  evidenceDir: string;
  /** The office's Ed25519 private key (see keys.ts). */
  signingKey: KeyObject;
  /** Who packs, for the manifest and the custody log. @default "operator" */
  packedBy?: string;
  /** Chromium for summary.pdf. Without it, the pack has summary.html only. */
  chromiumPath?: string;
  /** When the pack is generated; also the zip entries' timestamps. @default new Date() */
  now?: Date;
  /** Progress lines for stderr. Without it, packing is silent. */
  onProgress?: (message: string) => void;
}

export interface BuildPackResult {
  outFile: string;
  manifest: PackManifest;
  /** SHA-256 of manifest.json as signed. */
  manifestSha256: string;
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** The zip comment of a pack: the SHA-256 of its SHA256SUMS entry. */
export function packSeal(checksums: Uint8Array): string {
  return `counterfeit-radar evidence pack; SHA256SUMS sha256=${sha256(checksums)}`;
}

/** Keeps a stored relative path inside the evidence dir and the zip (no absolute paths, no `..`). */
function safeRelative(p: string): string | null {
  const normal = path.posix.normalize(p.replaceAll('\\', '/'));
  if (normal.startsWith('/') || normal.startsWith('..') || normal === '.') return null;
  return normal;
}

export interface CollectedFile {
  packed: PackedFile;
  data: Buffer;
}

async function collectFiles(evidence: EvidenceRow[], evidenceDir: string, onProgress: (m: string) => void) {
  const files: CollectedFile[] = [];
  const missing: PackManifest['missing'] = [];
  for (const row of evidence) {
    const parsed = EvidenceFilesSchema.safeParse(typeof row.files === 'string' ? JSON.parse(row.files) : row.files);
    if (!parsed.success) {
      onProgress(`evidence ${row.id}: files column is malformed, skipped`);
      continue;
    }
    for (const file of parsed.data) {
      const relative = safeRelative(file.path);
      if (!relative) {
        missing.push({ evidence_id: row.id, path: file.path });
        continue;
      }
      let data: Buffer;
      try {
        data = await readFile(path.join(evidenceDir, relative));
      } catch {
        onProgress(`evidence ${row.id}: ${relative} not found under ${evidenceDir}`);
        missing.push({ evidence_id: row.id, path: relative });
        continue;
      }
      const hash = sha256(data);
      const captured = new Date(row.captured_at);
      files.push({
        data,
        packed: {
          entry: `evidence/${row.id}/${relative}`,
          kind: file.kind,
          url: row.url,
          evidence_id: Number(row.id),
          captured_at_utc: captured.toISOString(),
          captured_at_local: row.captured_at_local || hcmLocalTime(captured),
          crawler_version: row.crawler_version,
          content_type: file.content_type ?? null,
          bytes: data.length,
          sha256: hash,
          capture_sha256: file.sha256?.toLowerCase() ?? null,
          matches_capture_hash: file.sha256 ? file.sha256.toLowerCase() === hash : null,
        },
      });
    }
  }
  return { files, missing };
}

function madeFile(entry: string, kind: string, data: Buffer, contentType: string): CollectedFile {
  return {
    data,
    packed: {
      entry,
      kind,
      url: null,
      evidence_id: null,
      captured_at_utc: null,
      captured_at_local: null,
      crawler_version: null,
      content_type: contentType,
      bytes: data.length,
      sha256: sha256(data),
      capture_sha256: null,
      matches_capture_hash: null,
    },
  };
}

/** Signs the manifest's exact bytes; the signature file says which key, so a verifier can name an unknown signer. */
export function signManifest(manifestBytes: Buffer, key: KeyObject): Buffer {
  const publicKey = createPublicKey(key);
  const signature = sign(null, manifestBytes, key).toString('base64');
  return Buffer.from(
    `${JSON.stringify({ algorithm: 'Ed25519', fingerprint: fingerprint(publicKey), public_key: publicKeyBase64(publicKey), signed: MANIFEST_ENTRY, signature }, null, 2)}\n`,
  );
}

/**
 * Writes a signed evidence pack for one lead: the captures (screenshots, raw and rendered pages, data
 * calls, WACZ web archives, metadata), the reasons, a summary in HTML and PDF, and manifest.json with
 * every file's SHA-256, the capture metadata and the chain of custody, signed with the office key
 * (manifest.sig). {@link verifyEvidencePack} later proves that not one byte changed and who signed it.
 * Packing is itself appended to the custody log.
 */
export async function buildEvidencePack(db: Db | Queryable, leadId: number, options: BuildPackOptions): Promise<BuildPackResult> {
  const onProgress = options.onProgress ?? (() => undefined);
  const now = options.now ?? new Date();
  const packedBy = options.packedBy ?? 'operator';
  const details: LeadDetails = await leadDetails(db, leadId);
  const { files, missing } = await collectFiles(details.evidence, options.evidenceDir, onProgress);
  for (const f of files) {
    if (f.packed.matches_capture_hash === false) onProgress(`warning: ${f.packed.entry} differs from the hash recorded at capture`);
  }
  const lead = details.lead;
  const publicKey = createPublicKey(options.signingKey);
  const evidenceIds = details.evidence.map((e) => Number(e.id));
  const custody = (await custodyForLead(db, leadId, evidenceIds)).map((row): PackCustodyEntry => ({ ...row }));
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    lead: {
      id: lead.id,
      kind: lead.kind,
      score: lead.score as number,
      status: lead.status as string,
      scoring_version: lead.scoring_version as string,
      top_reasons: (lead.top_reasons as string | null) ?? null,
    },
    generated_at_utc: now.toISOString(),
    generated_at_local: hcmLocalTime(now),
    timezone: 'Asia/Ho_Chi_Minh',
    packed_by: packedBy,
    signer: { algorithm: 'Ed25519', fingerprint: fingerprint(publicKey), public_key: publicKeyBase64(publicKey) },
    urls: [
      ...new Set(
        [...details.listings.map((l) => l.url as string | null), ...details.evidence.map((e) => e.url)].filter((u): u is string => !!u),
      ),
    ],
    captures: details.evidence.map((e) => ({
      evidence_id: Number(e.id),
      url: e.url,
      final_url: e.final_url ?? null,
      http_status: e.http_status ?? null,
      captured_at_utc: new Date(e.captured_at).toISOString(),
      captured_at_local: e.captured_at_local,
      crawler_version: e.crawler_version,
      metadata: e.metadata ?? {},
    })),
    capture_failures: details.captureFailures.map((f) => ({
      id: Number(f.id),
      url: f.url,
      http_status: f.http_status,
      reason: f.reason,
      captured_at_local: f.captured_at_local,
    })),
    custody,
    custody_head: await custodyHead(db),
    files: files.map((f) => f.packed),
    missing,
  };
  const reasons = madeFile('reasons.json', 'reasons', Buffer.from(`${JSON.stringify(lead.reasons, null, 2)}\n`), 'application/json');
  const summaryHtml = renderPackSummary(details, manifest, { evidenceDir: options.evidenceDir, screenshots: files });
  const summary = madeFile('summary.html', 'summary', Buffer.from(summaryHtml), 'text/html; charset=utf-8');
  const made = [reasons, summary];
  if (options.chromiumPath) {
    const pdf = await renderPdf(summaryHtml, {
      chromiumPath: options.chromiumPath,
      margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' },
    }).catch((error: Error) => {
      onProgress(`summary.pdf skipped: ${error.message.split('\n')[0]}`);
      return null;
    });
    if (pdf) made.push(madeFile('summary.pdf', 'summary', pdf, 'application/pdf'));
  }
  manifest.files = [...made.map((f) => f.packed), ...manifest.files];
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const entries: [string, Buffer][] = [
    [MANIFEST_ENTRY, manifestBytes],
    [SIGNATURE_ENTRY, signManifest(manifestBytes, options.signingKey)],
    ...made.map((f): [string, Buffer] => [f.packed.entry, f.data]),
    ...files.map((f): [string, Buffer] => [f.packed.entry, f.data]),
  ];
  const sums = entries.map(([name, data]) => `${sha256(data)}  ${name}`).join('\n');
  entries.push([CHECKSUMS_ENTRY, Buffer.from(`${sums}\n`)]);

  await mkdir(path.dirname(path.resolve(options.outFile)), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: now, mode: 0o100644, compress: !/\.(png|wacz|pdf)$/.test(name) });
  // The zip comment seals SHA256SUMS itself, so a changed checksum line is blamed on SHA256SUMS.
  zip.end({ comment: packSeal(entries.at(-1)![1]), forceZip64Format: false });
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(options.outFile);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
  const manifestSha256 = sha256(manifestBytes);
  // The zip's own hash lets `evidence check-file` tie the file someone holds to this entry.
  const packed = await sha256OfFile(options.outFile);
  await appendCustody(db, {
    action: 'pack',
    actor: packedBy,
    leadId,
    at: now,
    fileSha256: [packed.sha256],
    data: {
      file: path.basename(options.outFile),
      bytes: packed.bytes,
      manifest_sha256: manifestSha256,
      signer: manifest.signer.fingerprint,
      evidence_ids: evidenceIds,
    },
  });
  onProgress(
    `wrote ${options.outFile}: ${files.length} evidence file(s), ${missing.length} missing, signed by ${manifest.signer.fingerprint}`,
  );
  return { outFile: options.outFile, manifest, manifestSha256 };
}
