import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { z } from 'zod';
import { CHECKSUMS_ENTRY, MANIFEST_ENTRY, packSeal } from './pack.ts';

export interface PackProblem {
  /** The entry inside the zip that failed, or the zip itself. */
  file: string;
  problem: string;
}

export interface VerifyPackResult {
  ok: boolean;
  /** Entries whose hash matched. */
  verified: number;
  problems: PackProblem[];
}

/** Reads every entry's bytes; a damaged entry (CRC, inflate) becomes a problem naming it, not a crash. */
async function readEntries(file: string): Promise<{ entries: Map<string, Buffer>; problems: PackProblem[]; comment: string }> {
  const entries = new Map<string, Buffer>();
  const problems: PackProblem[] = [];
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (error, zipfile) => (error ? reject(error) : resolve(zipfile))),
  );
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error) {
          problems.push({ file: entry.fileName, problem: `cannot be read: ${error.message}` });
          return zip.readEntry();
        }
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (streamError: Error) => {
          problems.push({ file: entry.fileName, problem: `is damaged: ${streamError.message}` });
          zip.readEntry();
        });
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return { entries, problems, comment: zip.comment };
}

const ManifestFilesSchema = z.object({ files: z.array(z.object({ entry: z.string(), sha256: z.string() })) });

/**
 * Recomputes the SHA-256 of every file in an evidence pack and compares it with SHA256SUMS (which
 * covers the manifest, reasons, summary and evidence files) and with the manifest's own hashes.
 * Any changed, added, removed or unreadable file is reported by name.
 */
export async function verifyEvidencePack(file: string): Promise<VerifyPackResult> {
  let read: Awaited<ReturnType<typeof readEntries>>;
  try {
    read = await readEntries(file);
  } catch (error) {
    return { ok: false, verified: 0, problems: [{ file, problem: `is not a readable zip: ${(error as Error).message}` }] };
  }
  const { entries } = read;
  const problems = [...read.problems];
  const sumsFile = entries.get(CHECKSUMS_ENTRY);
  if (!sumsFile) return { ok: false, verified: 0, problems: [...problems, { file: CHECKSUMS_ENTRY, problem: 'is missing' }] };

  if (read.comment !== packSeal(sumsFile)) {
    problems.push({
      file: CHECKSUMS_ENTRY,
      problem: read.comment.startsWith('counterfeit-radar evidence pack')
        ? 'has changed: its SHA-256 no longer matches the seal in the zip comment'
        : 'is not sealed: the zip comment was removed (was the pack re-zipped?)',
    });
  }
  const expected = new Map<string, string>();
  for (const line of sumsFile.toString('utf8').split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
    if (!match || expected.has(match[2]!)) {
      problems.push({ file: CHECKSUMS_ENTRY, problem: `has a malformed line: ${JSON.stringify(line.slice(0, 120))}` });
      continue;
    }
    expected.set(match[2]!, match[1]!);
  }
  let verified = 0;
  const damaged = new Set(read.problems.map((p) => p.file));
  for (const [name, hash] of expected) {
    const data = entries.get(name);
    if (!data) {
      if (!damaged.has(name)) problems.push({ file: name, problem: 'is listed in SHA256SUMS but missing from the pack' });
      continue;
    }
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual === hash) verified++;
    else problems.push({ file: name, problem: `has changed: SHA-256 ${actual}, expected ${hash}` });
  }
  for (const name of entries.keys()) {
    if (name !== CHECKSUMS_ENTRY && !expected.has(name)) problems.push({ file: name, problem: 'is not listed in SHA256SUMS (added after packing)' });
  }
  const manifestData = entries.get(MANIFEST_ENTRY);
  if (!manifestData) {
    if (!damaged.has(MANIFEST_ENTRY)) problems.push({ file: MANIFEST_ENTRY, problem: 'is missing' });
  } else {
    try {
      const manifest = ManifestFilesSchema.parse(JSON.parse(manifestData.toString('utf8')));
      for (const f of manifest.files) {
        if (expected.has(f.entry) && expected.get(f.entry) !== f.sha256) {
          problems.push({ file: f.entry, problem: 'has a different hash in manifest.json than in SHA256SUMS' });
        }
      }
    } catch (error) {
      if (!problems.some((p) => p.file === MANIFEST_ENTRY)) problems.push({ file: MANIFEST_ENTRY, problem: `is not valid: ${(error as Error).message.slice(0, 200)}` });
    }
  }
  return { ok: problems.length === 0, verified, problems };
}
