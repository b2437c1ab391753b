import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { EvidenceRow } from '../../leads/show.ts';
import type { CheckedEvidence, CheckedFile } from './pages/lead.ts';

/** `evidence.files` as the capture step writes it; validated because another process writes it. */
const FilesSchema = z.array(
  z
    .object({
      kind: z.string().default('file'),
      path: z.string().min(1),
      sha256: z.string().optional(),
      bytes: z.number().optional(),
      content_type: z.string().optional(),
    })
    .passthrough(),
);
export type EvidenceFileEntry = z.infer<typeof FilesSchema>[number];

export function evidenceFiles(files: unknown): EvidenceFileEntry[] {
  const value = typeof files === 'string' ? (JSON.parse(files) as unknown) : files;
  const parsed = FilesSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** The file's absolute path if it stays inside the evidence dir (no absolute paths, no `..`). */
export function resolveEvidencePath(evidenceDir: string, relative: string): string | null {
  const root = path.resolve(evidenceDir);
  const full = path.resolve(root, relative.replaceAll('\\', '/'));
  return full.startsWith(root + path.sep) ? full : null;
}

const isScreenshot = (f: EvidenceFileEntry) =>
  f.kind === 'screenshot' || (f.content_type ?? '').startsWith('image/') || /\.(png|jpe?g|webp)$/i.test(f.path);

/** Re-hashes each file on disk: the verification state an analyst sees next to it. */
export async function checkEvidence(evidenceDir: string, rows: readonly EvidenceRow[]): Promise<CheckedEvidence[]> {
  const out: CheckedEvidence[] = [];
  for (const row of rows) {
    const entries = evidenceFiles(row.files);
    const files: CheckedFile[] = [];
    for (const [index, f] of entries.entries()) {
      const full = resolveEvidencePath(evidenceDir, f.path);
      let state: CheckedFile['state'] = 'missing';
      if (full) {
        try {
          const data = await readFile(full);
          state = !f.sha256 ? 'no-hash' : createHash('sha256').update(data).digest('hex') === f.sha256 ? 'verified' : 'mismatch';
        } catch {
          state = 'missing';
        }
      }
      files.push({ index, kind: f.kind, path: f.path, contentType: f.content_type ?? null, bytes: f.bytes ?? null, state });
    }
    const shotIndex = entries.findIndex(isScreenshot);
    out.push({
      id: Number(row.id),
      url: row.url,
      capturedAt: new Date(row.captured_at),
      files,
      screenshot: shotIndex >= 0 ? files[shotIndex]! : null,
    });
  }
  return out;
}
