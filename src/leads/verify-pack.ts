import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';
import yauzl from 'yauzl';
import { z } from 'zod';
import type { Queryable } from '../core/db/types.ts';
import { evidenceFileHashes } from '../core/db/stores/evidence.ts';
import { fingerprint, publicKeyFromBase64 } from './keys.ts';
import { CHECKSUMS_ENTRY, MANIFEST_ENTRY, SIGNATURE_ENTRY, packSeal } from './pack.ts';

/** Which check failed: the signature, a file, the database's capture hashes, the signer's identity, or the zip itself. */
export type PackCheck = 'signature' | 'unknown signer' | 'file' | 'database' | 'zip';

export interface PackProblem {
  check: PackCheck;
  /** The entry inside the zip that failed, or the zip itself. */
  file: string;
  problem: string;
}

export interface VerifyPackResult {
  ok: boolean;
  /** Entries whose hash matched the signed manifest. */
  verified: number;
  /** Fingerprint of the key whose signature verified, when it is trusted. */
  signer: string | null;
  /** Evidence files compared with the hashes recorded at capture time (0 without a database). */
  databaseChecked: number;
  problems: PackProblem[];
}

/** Bounds on what verification reads, so a hostile zip cannot exhaust memory or disk. */
export interface ZipLimits {
  /** Largest uncompressed entry. @default 512 MiB */
  maxEntryBytes: number;
  /** Sum of every entry's uncompressed size. @default 4 GiB */
  maxTotalBytes: number;
  /** Largest uncompressed:compressed ratio for entries over 1 MiB. @default 200 */
  maxRatio: number;
  /** Most entries, checked before anything is unpacked. @default 50000 */
  maxEntries: number;
  /** Entries held in memory (manifest, signature, checksums) may be at most this large. @default 32 MiB */
  maxHeldBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 512 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 50_000,
  maxHeldBytes: 32 * 1024 * 1024,
};

export interface VerifyPackOptions {
  /** Public keys whose signature makes a pack trusted: `--trust KEYFILE`, or the office's own. Without them, every signer is unknown. */
  trustedKeys?: readonly KeyObject[];
  /** With a database, evidence files are also compared with the hashes recorded at capture time. Without it, that check is skipped. */
  db?: Queryable;
  /** Tighter or looser bounds on what is unpacked; fields left out keep theirs. @default DEFAULT_ZIP_LIMITS */
  limits?: Partial<ZipLimits>;
}

const HELD = new Set([MANIFEST_ENTRY, SIGNATURE_ENTRY, CHECKSUMS_ENTRY]);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

class ZipRefused extends Error {}

interface ReadResult {
  hashes: Map<string, string>;
  held: Map<string, Buffer>;
  problems: PackProblem[];
  comment: string;
}

/**
 * Streams every entry through SHA-256, holding only the few small entries it must parse. Declared
 * sizes and ratios are checked before an entry is opened, and actual bytes are counted while it is
 * read, so a zip bomb is refused without being inflated.
 */
async function readEntries(file: string, limits: ZipLimits): Promise<ReadResult> {
  const hashes = new Map<string, string>();
  const held = new Map<string, Buffer>();
  const problems: PackProblem[] = [];
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: false }, (error, zipfile) =>
      error ? reject(error) : resolve(zipfile),
    ),
  );
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ZipRefused(`has ${zip.entryCount} entries, over the limit of ${limits.maxEntries}; refused without unpacking`);
  }
  let declaredTotal = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const size = entry.uncompressedSize;
        declaredTotal += size;
        if (size > 1024 * 1024 && size / Math.max(1, entry.compressedSize) > limits.maxRatio) {
          return reject(
            new ZipRefused(
              `entry ${entry.fileName} would expand ${Math.round(size / Math.max(1, entry.compressedSize))}:1 (${mb(entry.compressedSize)} to ${mb(size)}), over the ${limits.maxRatio}:1 limit: a zip bomb? refused without unpacking`,
            ),
          );
        }
        if (size > limits.maxEntryBytes)
          return reject(
            new ZipRefused(
              `entry ${entry.fileName} would expand to ${mb(size)}, over the ${mb(limits.maxEntryBytes)} limit; refused without unpacking`,
            ),
          );
        if (declaredTotal > limits.maxTotalBytes)
          return reject(
            new ZipRefused(`entries would expand to more than ${mb(limits.maxTotalBytes)} in total; refused without unpacking`),
          );
        const hold = HELD.has(entry.fileName);
        if (hold && size > limits.maxHeldBytes)
          return reject(new ZipRefused(`${entry.fileName} is ${mb(size)}, over the ${mb(limits.maxHeldBytes)} limit for a manifest`));
        zip.openReadStream(entry, (error, stream) => {
          if (error) {
            problems.push({ check: 'file', file: entry.fileName, problem: `cannot be read: ${error.message}` });
            return zip.readEntry();
          }
          const hash = createHash('sha256');
          const chunks: Buffer[] = [];
          let seen = 0;
          let failed = false;
          stream.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            // yauzl also checks the declared size; this bound holds even if that check were off.
            if (seen > size || seen > limits.maxEntryBytes) {
              failed = true;
              stream.destroy(new Error(`more bytes than its declared ${size}`));
              return;
            }
            hash.update(chunk);
            if (hold) chunks.push(chunk);
          });
          stream.on('error', (streamError: Error) => {
            if (!failed) failed = true;
            problems.push({ check: 'file', file: entry.fileName, problem: `is damaged: ${streamError.message}` });
            zip.readEntry();
          });
          stream.on('end', () => {
            if (failed) return;
            hashes.set(entry.fileName, hash.digest('hex'));
            if (hold) held.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return { hashes, held, problems, comment: zip.comment };
}

const ManifestSchema = z.object({
  files: z.array(z.object({ entry: z.string(), sha256: z.string(), evidence_id: z.number().nullable().optional() })),
  signer: z.object({ fingerprint: z.string() }).optional(),
});
const SignatureSchema = z.object({
  algorithm: z.literal('Ed25519'),
  fingerprint: z.string(),
  public_key: z.string(),
  signature: z.string(),
});

function checkSignature(
  manifest: Buffer | undefined,
  signatureFile: Buffer | undefined,
  trusted: readonly KeyObject[],
): { problems: PackProblem[]; signer: string | null } {
  if (!manifest)
    return { problems: [{ check: 'signature', file: MANIFEST_ENTRY, problem: 'is missing: nothing is signed' }], signer: null };
  if (!signatureFile)
    return { problems: [{ check: 'signature', file: SIGNATURE_ENTRY, problem: 'is missing: the pack is not signed' }], signer: null };
  let parsed: z.infer<typeof SignatureSchema>;
  try {
    parsed = SignatureSchema.parse(JSON.parse(signatureFile.toString('utf8')));
  } catch {
    return { problems: [{ check: 'signature', file: SIGNATURE_ENTRY, problem: 'is not a valid signature file' }], signer: null };
  }
  const signature = Buffer.from(parsed.signature, 'base64');
  for (const key of trusted) {
    if (verifySignature(null, manifest, key, signature)) return { problems: [], signer: fingerprint(key) };
  }
  let embedded: KeyObject | null;
  try {
    embedded = publicKeyFromBase64(parsed.public_key);
  } catch {
    embedded = null;
  }
  const trustedList = trusted.length ? trusted.map(fingerprint).join(', ') : 'none (pass --trust KEYFILE or run `radar keys init`)';
  if (embedded && verifySignature(null, manifest, embedded, signature)) {
    return {
      problems: [
        {
          check: 'unknown signer',
          file: SIGNATURE_ENTRY,
          problem: `signature is by an unknown signer ${fingerprint(embedded)}, not a trusted key (trusted: ${trustedList})`,
        },
      ],
      signer: null,
    };
  }
  return {
    problems: [
      {
        check: 'signature',
        file: MANIFEST_ENTRY,
        problem: `signature does not verify: manifest.json was changed after signing, or was not signed by a trusted key (trusted: ${trustedList})`,
      },
    ],
    signer: null,
  };
}

function checkSums(read: ReadResult, problems: PackProblem[]): void {
  const sums = read.held.get(CHECKSUMS_ENTRY);
  if (!sums) return;
  if (read.comment !== packSeal(sums))
    problems.push({
      check: 'file',
      file: CHECKSUMS_ENTRY,
      problem: 'has changed: its SHA-256 no longer matches the seal in the zip comment',
    });
  for (const line of sums.toString('utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S.*)$/.exec(line);
    if (!match) continue;
    const actual = read.hashes.get(match[2]!);
    if (actual && actual !== match[1]) problems.push({ check: 'file', file: match[2]!, problem: `differs from SHA256SUMS` });
  }
}

/**
 * Verifies an evidence pack: the Ed25519 signature over manifest.json against the trusted keys, every
 * file's SHA-256 against the signed manifest (nothing changed, added or removed), and, with a database,
 * the evidence files against the hashes recorded at capture time. Each problem names its check.
 */
export async function verifyEvidencePack(file: string, options: VerifyPackOptions = {}): Promise<VerifyPackResult> {
  const limits = { ...DEFAULT_ZIP_LIMITS, ...(options.limits ?? {}) };
  const result = (problems: PackProblem[], extra: Partial<VerifyPackResult> = {}): VerifyPackResult => ({
    ok: problems.length === 0,
    verified: 0,
    signer: null,
    databaseChecked: 0,
    problems,
    ...extra,
  });
  let read: ReadResult;
  try {
    read = await readEntries(file, limits);
  } catch (error) {
    const message = error instanceof ZipRefused ? error.message : `is not a readable zip: ${(error as Error).message}`;
    return result([{ check: 'zip', file, problem: message }]);
  }
  const problems = [...read.problems];
  const damaged = new Set(read.problems.map((p) => p.file));
  const signature = checkSignature(read.held.get(MANIFEST_ENTRY), read.held.get(SIGNATURE_ENTRY), options.trustedKeys ?? []);
  problems.push(...signature.problems);

  let manifest: z.infer<typeof ManifestSchema> | null = null;
  const manifestBytes = read.held.get(MANIFEST_ENTRY);
  if (manifestBytes) {
    try {
      manifest = ManifestSchema.parse(JSON.parse(manifestBytes.toString('utf8')));
    } catch (error) {
      problems.push({ check: 'file', file: MANIFEST_ENTRY, problem: `is not valid: ${(error as Error).message.slice(0, 200)}` });
    }
  }
  let verified = 0;
  if (manifest) {
    const listed = new Map(manifest.files.map((f) => [f.entry, f]));
    for (const [entry, expected] of listed) {
      const actual = read.hashes.get(entry);
      if (actual === undefined) {
        if (!damaged.has(entry))
          problems.push({ check: 'file', file: entry, problem: 'is listed in the manifest but missing from the pack' });
      } else if (actual !== expected.sha256) {
        problems.push({
          check: 'file',
          file: entry,
          problem: `has changed: SHA-256 ${actual}, the signed manifest says ${expected.sha256}`,
        });
      } else {
        verified++;
      }
    }
    for (const entry of read.hashes.keys()) {
      if (!HELD.has(entry) && !listed.has(entry))
        problems.push({ check: 'file', file: entry, problem: 'is not listed in the signed manifest (added after packing)' });
    }
    checkSums(read, problems);
  }

  let databaseChecked = 0;
  if (options.db && manifest) {
    const byEvidence = manifest.files.filter((f) => typeof f.evidence_id === 'number');
    const recorded = await evidenceFileHashes(options.db, [...new Set(byEvidence.map((f) => f.evidence_id!))]);
    for (const f of byEvidence) {
      const files = recorded.get(f.evidence_id!);
      if (!files) {
        problems.push({
          check: 'database',
          file: f.entry,
          problem: `database mismatch: evidence ${f.evidence_id} is not in this database`,
        });
        continue;
      }
      const relative = f.entry.slice(`evidence/${f.evidence_id}/`.length);
      const row = files.find((r) => r.path.replaceAll('\\', '/') === relative);
      const actual = read.hashes.get(f.entry);
      if (!row)
        problems.push({
          check: 'database',
          file: f.entry,
          problem: `database mismatch: evidence ${f.evidence_id} recorded no such file at capture`,
        });
      else if (actual && row.sha256.toLowerCase() !== actual)
        problems.push({
          check: 'database',
          file: f.entry,
          problem: `database mismatch: SHA-256 ${actual}, recorded at capture ${row.sha256}`,
        });
      else databaseChecked++;
    }
  }
  return result(problems, { verified, signer: signature.signer, databaseChecked });
}
