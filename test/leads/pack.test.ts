// Signed evidence packs: what is inside, and every way a changed pack is caught and named.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import {
  MANIFEST_ENTRY,
  SIGNATURE_ENTRY,
  CHECKSUMS_ENTRY,
  buildEvidencePack,
  packSeal,
  signManifest,
  type PackManifest,
} from '../../src/leads/pack.ts';
import { upsertLeads } from '../../src/leads/upsert.ts';
import { verifyEvidencePack } from '../../src/leads/verify-pack.ts';
import { findSigningKey, fingerprint, initOfficeKey, readTrustedKey } from '../../src/leads/keys.ts';
import { auditCustody, checkFileCustody } from '../../src/leads/custody.ts';
import { listingCandidate, seedShopsAndListings } from './seed.ts';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function unzip(file: string): Promise<{ entries: Map<string, Buffer>; comment: string }> {
  const out = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.open(file, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z))));
  const comment = zip.comment;
  await new Promise<void>((resolve, reject) => {
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.on('entry', (entry: yauzl.Entry) => {
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
  return { entries: out, comment };
}

async function rezip(entries: Map<string, Buffer>, file: string, comment: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(data, name, { mtime: new Date('2026-11-28T00:00:00Z') });
  zip.end({ comment, forceZip64Format: false });
  await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(file)).on('close', resolve).on('error', reject));
}

/** What an insider with no key can do: change a file and recompute every unkeyed hash (manifest, SHA256SUMS, zip comment). */
function forge(
  entries: Map<string, Buffer>,
  name: string,
  content: Buffer,
  resignWith?: KeyObject,
): { entries: Map<string, Buffer>; comment: string } {
  const out = new Map(entries);
  out.set(name, content);
  const manifest = JSON.parse(out.get(MANIFEST_ENTRY)!.toString()) as PackManifest;
  for (const f of manifest.files)
    if (f.entry === name)
      Object.assign(f, { sha256: sha256(content), bytes: content.length, capture_sha256: sha256(content), matches_capture_hash: true });
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  out.set(MANIFEST_ENTRY, manifestBytes);
  if (resignWith) out.set(SIGNATURE_ENTRY, signManifest(manifestBytes, resignWith));
  const sums = [...out]
    .filter(([n]) => n !== CHECKSUMS_ENTRY)
    .map(([n, d]) => `${sha256(d)}  ${n}`)
    .join('\n');
  const sumsBytes = Buffer.from(`${sums}\n`);
  out.set(CHECKSUMS_ENTRY, sumsBytes);
  return { entries: out, comment: packSeal(sumsBytes) };
}

describe('signed evidence packs', () => {
  let db: PgliteDb;
  let dir: string;
  let leadId: number;
  let pack: string;
  let manifest: PackManifest;
  let key: KeyObject;
  let trusted: KeyObject;
  const html = Buffer.from('<html><body>Túi Chanel siêu cấp — 350.000đ</body></html>');

  beforeAll(async () => {
    db = await PgliteDb.open();
    await migrate(db);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-pack-'));
    const evidenceDir = path.join(dir, 'evidence');
    const { listingIds } = await seedShopsAndListings(
      db,
      [{ externalId: 's', name: 'Shop Hàng Hiệu', provinceName: 'Thành phố Hà Nội' }],
      [{ externalId: 'x', shopExternalId: 's', title: 'Túi Chanel siêu cấp' }],
    );
    await upsertLeads(db, [listingCandidate(listingIds.get('x')!, 88)]);
    leadId = (await db.query<{ id: number }>('SELECT id FROM leads')).rows[0]!.id;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    mkdirSync(path.join(evidenceDir, '2026/11'), { recursive: true });
    writeFileSync(path.join(evidenceDir, '2026/11/x.png'), png);
    writeFileSync(path.join(evidenceDir, '2026/11/x.html'), html);
    await db.query(
      `INSERT INTO evidence (listing_id, url, captured_at, captured_at_local, crawler_version, files, http_status, final_url, metadata)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, 200, $2, '{"browser":"Chromium 131","operator":"Đội QLTT số 3"}'::jsonb)`,
      [
        listingIds.get('x'),
        'https://tiki.example/p/x',
        '2026-11-27T03:04:05Z',
        '2026-11-27 10:04:05',
        'test-1',
        JSON.stringify([
          { kind: 'screenshot', path: '2026/11/x.png', sha256: sha256(png), bytes: png.length, content_type: 'image/png' },
          { kind: 'raw', path: '2026/11/x.html', sha256: sha256(html), bytes: html.length, content_type: 'text/html' },
          { kind: 'raw', path: '2026/11/gone.json', sha256: sha256(html), bytes: 1, content_type: 'application/json' },
        ]),
      ],
    );
    const init = await initOfficeKey(dir);
    key = findSigningKey({ dataDir: dir })!;
    trusted = readTrustedKey(init.publicKeyPath);
    pack = path.join(dir, 'lead.zip');
    ({ manifest } = await buildEvidencePack(db, leadId, {
      outFile: pack,
      evidenceDir,
      signingKey: key,
      packedBy: 'analyst An',
      now: new Date('2026-11-28T01:00:00Z'),
    }));
  });
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records the zip itself in the custody log, so `evidence check-file` names the pack entry for the file a prosecutor holds', async () => {
    const check = await checkFileCustody(db, pack);
    expect(check.matches.map((m) => m.action)).toEqual(['pack']);
    expect(check.matches[0]!.leadIds.length === 0 || check.matches[0]!.leadIds.includes(leadId)).toBe(true);
  });

  it('keeps the office key at 0600 and prints the same fingerprint the pack is signed with', async () => {
    expect(statSync(path.join(dir, 'keys', 'office-signing-key.pem')).mode & 0o777).toBe(0o600);
    expect(manifest.signer.fingerprint).toBe(fingerprint(trusted));
    expect((await initOfficeKey(dir)).fingerprint).toBe(fingerprint(trusted));
    const fromEnv = findSigningKey({
      dataDir: path.join(dir, 'elsewhere'),
      env: readFileSync(path.join(dir, 'keys', 'office-signing-key.pem'), 'utf8'),
    });
    expect(fingerprint(fromEnv!)).toBe(manifest.signer.fingerprint);
  });

  it('holds the files, a signed manifest with capture metadata and custody, and verifies intact against the database', async () => {
    const { entries } = await unzip(pack);
    expect([...entries.keys()].sort()).toEqual(
      [
        CHECKSUMS_ENTRY,
        'evidence/1/2026/11/x.html',
        'evidence/1/2026/11/x.png',
        MANIFEST_ENTRY,
        SIGNATURE_ENTRY,
        'reasons.json',
        'summary.html',
      ].sort(),
    );
    expect(manifest.captures[0]).toMatchObject({ http_status: 200, metadata: { browser: 'Chromium 131', operator: 'Đội QLTT số 3' } });
    expect(manifest.missing).toEqual([{ evidence_id: 1, path: '2026/11/gone.json' }]);
    expect(manifest.packed_by).toBe('analyst An');
    const summary = entries.get('summary.html')!.toString();
    expect(summary).toContain('Túi Chanel siêu cấp');
    expect(summary).toContain('data:image/png;base64,');
    expect(summary).toContain(sha256(html));
    expect(await verifyEvidencePack(pack, { trustedKeys: [trusted], db })).toMatchObject({
      ok: true,
      verified: 4,
      databaseChecked: 2,
      problems: [],
      signer: fingerprint(trusted),
    });
    // The pack itself went into the custody log.
    const { rows } = await db.query<{ action: string; lead_id: string }>(`SELECT action, lead_id FROM custody_log ORDER BY seq`);
    expect(rows.at(-1)).toMatchObject({ action: 'pack' });
    expect((await auditCustody(db)).ok).toBe(true);
  });

  it('fails with "signature" when one file is changed and every unkeyed hash recomputed', async () => {
    const { entries } = await unzip(pack);
    const forged = forge(entries, 'evidence/1/2026/11/x.html', Buffer.from(html.toString().replace('350.000đ', '3.500.000đ')));
    const file = path.join(dir, 'forged.zip');
    await rezip(forged.entries, file, forged.comment);
    const result = await verifyEvidencePack(file, { trustedKeys: [trusted] });
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.check)).toEqual(['signature']);
    expect(result.problems[0]!.problem).toMatch(/signature/);
  });

  it('fails naming an unknown signer when the forger signs with a key of their own', async () => {
    const { entries } = await unzip(pack);
    const forged = forge(
      entries,
      'evidence/1/2026/11/x.html',
      Buffer.from('<html>other</html>'),
      generateKeyPairSync('ed25519').privateKey,
    );
    const file = path.join(dir, 'resigned.zip');
    await rezip(forged.entries, file, forged.comment);
    const result = await verifyEvidencePack(file, { trustedKeys: [trusted] });
    expect(result.problems.map((p) => p.check)).toEqual(['unknown signer']);
    expect(result.problems[0]!.problem).toMatch(/signature is by an unknown signer/);
    // Without any trusted key even the office's genuine pack is not taken on its own word.
    expect((await verifyEvidencePack(pack)).problems.map((p) => p.check)).toEqual(['unknown signer']);
  });

  it('fails with "database" when the pack disagrees with the hashes recorded at capture', async () => {
    await db.query(`UPDATE evidence SET files = jsonb_set(files, '{1,sha256}', '"${'0'.repeat(64)}"')`);
    try {
      const result = await verifyEvidencePack(pack, { trustedKeys: [trusted], db });
      expect(result.problems).toEqual([
        { check: 'database', file: 'evidence/1/2026/11/x.html', problem: expect.stringMatching(/database mismatch/) },
      ]);
    } finally {
      await db.query(`UPDATE evidence SET files = jsonb_set(files, '{1,sha256}', '"${sha256(html)}"')`);
    }
  });

  it('names the file when a single byte changes in any entry of the pack', async () => {
    const { entries, comment } = await unzip(pack);
    for (const [name, data] of entries) {
      for (const offset of [0, Math.floor(data.length / 2), data.length - 1]) {
        const changed = new Map(entries);
        const copy = Buffer.from(data);
        copy[offset] = copy[offset]! ^ 0x01;
        changed.set(name, copy);
        const tampered = path.join(dir, 'tampered.zip');
        await rezip(changed, tampered, comment);
        const result = await verifyEvidencePack(tampered, { trustedKeys: [trusted] });
        expect(result.ok, `${name}@${offset}`).toBe(false);
        const named = result.problems.map((p) => p.file);
        // A changed manifest or signature is caught by the signature; anything else by its own hash.
        expect(
          named.includes(name) || result.problems.some((p) => p.check === 'signature'),
          `${name}@${offset}: ${JSON.stringify(result.problems)}`,
        ).toBe(true);
      }
    }
  });

  it('reports a file added after packing', async () => {
    const { entries, comment } = await unzip(pack);
    const added = new Map(entries);
    added.set('evidence/extra.png', Buffer.from('x'));
    const withExtra = path.join(dir, 'extra.zip');
    await rezip(added, withExtra, comment);
    expect((await verifyEvidencePack(withExtra, { trustedKeys: [trusted] })).problems).toEqual([
      { check: 'file', file: 'evidence/extra.png', problem: expect.stringMatching(/not listed in the signed manifest/) },
    ]);
  });

  it('refuses a 1 GB entry of zeros in a 1 MB zip without inflating it, with a clear message and bounded memory', async () => {
    const bomb = path.join(dir, 'bomb.zip');
    const zip = new yazl.ZipFile();
    const chunk = Buffer.alloc(1024 * 1024);
    let left = 1024;
    zip.addReadStream(
      new Readable({
        read() {
          this.push(left-- > 0 ? chunk : null);
        },
      }),
      'evidence/1/zeros.html',
      { compress: true },
    );
    zip.addBuffer(Buffer.from('{}'), MANIFEST_ENTRY);
    zip.end();
    await new Promise<void>((resolve, reject) => zip.outputStream.pipe(createWriteStream(bomb)).on('close', resolve).on('error', reject));
    expect(statSync(bomb).size).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    const result = await verifyEvidencePack(bomb, { trustedKeys: [trusted] });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        check: 'zip',
        file: bomb,
        problem: expect.stringMatching(/evidence\/1\/zeros\.html would expand .*zip bomb.*refused without unpacking/),
      },
    ]);
  });

  it('never throws on arbitrary bytes: it reports a clear problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (data) => {
        const file = path.join(dir, 'random.zip');
        writeFileSync(file, data);
        const result = await verifyEvidencePack(file, { trustedKeys: [trusted] });
        expect(result.ok).toBe(false);
        expect(result.problems[0]!.problem.length).toBeGreaterThan(0);
      }),
      { numRuns: 50 },
    );
  });
});
