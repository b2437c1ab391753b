import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import { z } from 'zod';
import type { Queryable } from '../core/db/types.ts';
import { leadDetails, type EvidenceRow, type LeadDetails } from './show.ts';
import { renderPackSummary } from './pack-summary.ts';
import { hcmLocalTime } from './week.ts';

/** Name of the checksum list inside a pack; it covers every other entry, manifest included. */
export const CHECKSUMS_ENTRY = 'SHA256SUMS';
export const MANIFEST_ENTRY = 'manifest.json';

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
  url: string;
  evidence_id: number;
  captured_at_utc: string;
  captured_at_local: string;
  crawler_version: string;
  content_type: string | null;
  bytes: number;
  sha256: string;
  /** False when the file on disk no longer matches the hash recorded at capture time. */
  matches_capture_hash: boolean | null;
}

export interface PackManifest {
  format: 'counterfeit-radar evidence pack v1';
  lead: { id: number; kind: string; score: number; status: string; scoring_version: string; top_reasons: string | null };
  generated_at_utc: string;
  generated_at_local: string;
  timezone: 'Asia/Ho_Chi_Minh';
  urls: string[];
  files: PackedFile[];
  /** Evidence files listed in the database but not found on disk. */
  missing: { evidence_id: number; path: string }[];
}

export interface BuildPackOptions {
  /** The zip to write. */
  outFile: string;
  /** RADAR_DATA_DIR/evidence: where the evidence table's relative paths point. */
  evidenceDir: string;
  /** When the pack is generated (default now); also the zip entries' timestamps. */
  now?: Date;
  onProgress?: (message: string) => void;
}

export interface BuildPackResult {
  outFile: string;
  manifest: PackManifest;
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

async function collectFiles(evidence: EvidenceRow[], evidenceDir: string, onProgress: (m: string) => void) {
  const files: { packed: PackedFile; data: Buffer }[] = [];
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
          evidence_id: row.id,
          captured_at_utc: captured.toISOString(),
          captured_at_local: row.captured_at_local || hcmLocalTime(captured),
          crawler_version: row.crawler_version,
          content_type: file.content_type ?? null,
          bytes: data.length,
          sha256: hash,
          matches_capture_hash: file.sha256 ? file.sha256.toLowerCase() === hash : null,
        },
      });
    }
  }
  return { files, missing };
}

/**
 * Writes a self-checking evidence pack for one lead: the captured screenshots and raw pages, a
 * manifest (URLs, capture times in UTC and Asia/Ho_Chi_Minh, SHA-256 of each file), the reasons, a
 * one-page HTML summary, and SHA256SUMS over all of them, so {@link verifyEvidencePack} can later
 * prove that not one byte changed.
 */
export async function buildEvidencePack(db: Queryable, leadId: number, options: BuildPackOptions): Promise<BuildPackResult> {
  const onProgress = options.onProgress ?? (() => undefined);
  const now = options.now ?? new Date();
  const details: LeadDetails = await leadDetails(db, leadId);
  const { files, missing } = await collectFiles(details.evidence, options.evidenceDir, onProgress);
  for (const f of files) {
    if (f.packed.matches_capture_hash === false) onProgress(`warning: ${f.packed.entry} differs from the hash recorded at capture`);
  }
  const lead = details.lead;
  const manifest: PackManifest = {
    format: 'counterfeit-radar evidence pack v1',
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
    urls: [...new Set([...details.listings.map((l) => l.url as string | null), ...details.evidence.map((e) => e.url)].filter((u): u is string => !!u))],
    files: files.map((f) => f.packed),
    missing,
  };
  const entries: [string, Buffer][] = [
    [MANIFEST_ENTRY, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    ['reasons.json', Buffer.from(`${JSON.stringify(lead.reasons, null, 2)}\n`)],
    ['summary.html', Buffer.from(renderPackSummary(details, manifest))],
    ...files.map((f): [string, Buffer] => [f.packed.entry, f.data]),
  ];
  const sums = entries.map(([name, data]) => `${sha256(data)}  ${name}`).join('\n');
  entries.push([CHECKSUMS_ENTRY, Buffer.from(`${sums}\n`)]);

  await mkdir(path.dirname(path.resolve(options.outFile)), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: now, mode: 0o100644 });
  // The zip comment seals SHA256SUMS itself, so a changed checksum line is blamed on SHA256SUMS.
  zip.end({ comment: packSeal(entries.at(-1)![1]), forceZip64Format: false });
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(options.outFile);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.on('error', reject).pipe(out);
  });
  onProgress(`wrote ${options.outFile}: ${files.length} evidence file(s), ${missing.length} missing`);
  return { outFile: options.outFile, manifest };
}
