import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { buildEvidencePack, type PackManifest } from '../../src/leads/pack.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { verifyEvidencePack } from '../../src/leads/verify-pack.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

let lastComment = '';
const dataOffsets = new Map<string, { start: number; size: number }>();

async function unzip(file: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const raw = readFileSync(file);
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z))));
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    lastComment = zip.comment;
    zip.on('entry', (entry: yauzl.Entry) => {
      const header = entry.relativeOffsetOfLocalHeader;
      dataOffsets.set(entry.fileName, { start: header + 30 + raw.readUInt16LE(header + 26) + raw.readUInt16LE(header + 28), size: entry.compressedSize });
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return out;
}

async function rezip(entries: Map<string, Buffer>, file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: new Date('2026-11-28T00:00:00Z') });
  zip.end({ comment: lastComment, forceZip64Format: false });
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject));
}

describe('evidence packs', () => {
  let db: PgliteDb;
  let dir: string;
  let leadId: number;
  let pack: string;
  let manifest: PackManifest;

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-pack-'));
    const evidenceDir = path.join(dir, 'evidence');
    const { listingIds } = await seedShopsAndListings(db, [{ externalId: 's', name: 'Shop Hàng Hiệu', provinceName: 'Thành phố Hà Nội' }], [{ externalId: 'x', shopExternalId: 's', title: 'Túi Chanel siêu cấp' }]);
    await upsertLeads(db, [listingCandidate(listingIds.get('x')!, 88)]);
    leadId = (await db.query<{ id: number }>('SELECT id FROM leads')).rows[0]!.id;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const html = Buffer.from('<html><body>Túi Chanel siêu cấp — 350.000đ</body></html>');
    mkdirSync(path.join(evidenceDir, '2026/11'), { recursive: true });
    writeFileSync(path.join(evidenceDir, '2026/11/x.png'), png);
    writeFileSync(path.join(evidenceDir, '2026/11/x.html'), html);
    const hash = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    await db.query(
      `INSERT INTO evidence (listing_id, url, captured_at, captured_at_local, crawler_version, files) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [
        listingIds.get('x'),
        'https://tiki.example/p/x',
        '2026-11-27T03:04:05Z',
        '2026-11-27 10:04:05',
        'test-1',
        JSON.stringify([
          { kind: 'screenshot', path: '2026/11/x.png', sha256: hash(png), bytes: png.length, content_type: 'image/png' },
          { kind: 'raw', path: '2026/11/x.html', sha256: hash(html), bytes: html.length, content_type: 'text/html' },
          { kind: 'raw', path: '2026/11/gone.json', sha256: hash(html), bytes: 1, content_type: 'application/json' },
        ]),
      ],
    );
    pack = path.join(dir, 'lead.zip');
    ({ manifest } = await buildEvidencePack(db, leadId, { outFile: pack, evidenceDir, now: new Date('2026-11-28T01:00:00Z') }));
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds the files, a manifest with both time zones and hashes, the reasons and a summary', async () => {
    const entries = await unzip(pack);
    expect([...entries.keys()].sort()).toEqual(
      ['SHA256SUMS', 'evidence/1/2026/11/x.html', 'evidence/1/2026/11/x.png', 'manifest.json', 'reasons.json', 'summary.html'].sort(),
    );
    expect(manifest.files[0]).toMatchObject({ captured_at_utc: '2026-11-27T03:04:05.000Z', captured_at_local: '2026-11-27 10:04:05', matches_capture_hash: true });
    expect(manifest.missing).toEqual([{ evidence_id: 1, path: '2026/11/gone.json' }]);
    expect(manifest.urls).toContain('https://tiki.example/p/x');
    expect(entries.get('summary.html')!.toString()).toContain('Túi Chanel siêu cấp');
    expect(JSON.parse(entries.get('reasons.json')!.toString())[0].code).toBe('price.below_reference');
    expect(await verifyEvidencePack(pack)).toEqual({ ok: true, verified: 5, problems: [] });
  });

  it('names the file when a single byte changes in any file of the pack', async () => {
    const entries = await unzip(pack);
    for (const [name, data] of entries) {
      for (const offset of [0, Math.floor(data.length / 2), data.length - 1]) {
        const changed = new Map(entries);
        const copy = Buffer.from(data);
        copy[offset] = copy[offset]! ^ 0x01;
        changed.set(name, copy);
        const tampered = path.join(dir, 'tampered.zip');
        await rezip(changed, tampered);
        const result = await verifyEvidencePack(tampered);
        expect(result.ok, `${name}@${offset}`).toBe(false);
        expect(result.problems.map((p) => p.file)).toContain(name);
      }
    }
  });

  it('names the file when a byte of the zip itself is flipped, and reports added files', async () => {
    const bytes = readFileSync(pack);
    const entries = await unzip(pack);
    const { start, size } = dataOffsets.get('evidence/1/2026/11/x.html')!;
    const at = start + Math.floor(size / 2);
    const flipped = Buffer.from(bytes);
    flipped[at] = flipped[at]! ^ 0x01;
    const damaged = path.join(dir, 'damaged.zip');
    writeFileSync(damaged, flipped);
    const result = await verifyEvidencePack(damaged);
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.file)).toContain('evidence/1/2026/11/x.html');

    const added = new Map(entries);
    added.set('evidence/extra.png', Buffer.from('x'));
    const withExtra = path.join(dir, 'extra.zip');
    await rezip(added, withExtra);
    expect((await verifyEvidencePack(withExtra)).problems).toEqual([{ file: 'evidence/extra.png', problem: expect.stringMatching(/not listed/) }]);
  });

  it('never throws on arbitrary bytes: it reports a clear problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const file = path.join(dir, 'random.zip');
        writeFileSync(file, data);
        const result = await verifyEvidencePack(file);
        expect(result.ok).toBe(false);
        expect(result.problems[0]!.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 50 },
    );
  });
});
