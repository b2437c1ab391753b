// One-load captures on the sandbox: real pages become evidence with a WACZ; error, block, captcha and
// empty pages become failed captures; a pack's summary.pdf reads back whole through pdftotext.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WARCParser } from 'warcio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteDb } from '../../src/core/db/pglite.ts';
import { migrate } from '../../src/core/db/migrate.ts';
import { startSandbox, type RunningSandbox } from '../../src/devtools/sandbox/index.ts';
import { captureEvidence, CaptureBrowser, evidenceDir, type CaptureResult } from '../../crawlers/runner/evidence.ts';
import { leadDetails } from '../../src/leads/show.ts';
import { buildEvidencePack } from '../../src/leads/pack.ts';
import { verifyEvidencePack } from '../../src/leads/verify-pack.ts';
import { findSigningKey, initOfficeKey } from '../../src/leads/keys.ts';
import { createLogger } from '../../src/core/log/logger.ts';
import { chromiumPath } from '../helpers/services.ts';
import { SHOP_NAME, sandboxListingUrl, seedLeads } from './fixtures.ts';
import { unzipEntries } from './unzip.ts';

const chromium = chromiumPath();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.skipIf(!chromium)('one-load evidence capture on the sandbox', () => {
  let sandbox: RunningSandbox;
  let db: PgliteDb;
  let dir: string;
  let browser: CaptureBrowser;
  let deps: Parameters<typeof captureEvidence>[1];
  let good: CaptureResult;
  let goodLead: number;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 17, listings: 300, port: 0 });
    db = await PgliteDb.open();
    await migrate(db);
    dir = mkdtempSync(path.join(tmpdir(), 'radar-capture-'));
    deps = {
      db,
      config: { dataDir: dir, chromiumPath: chromium!, allowHosts: [new URL(sandbox.url).host], operator: 'Đội QLTT số 3' },
      log: createLogger({ level: 'silent' }),
    };
    browser = new CaptureBrowser(chromium!);
    goodLead = (await seedLeads(db, [{ url: sandboxListingUrl(sandbox, 'tiki') }]))[0]!;
    const subject = (await db.query<{ listing_id: number }>('SELECT listing_id FROM leads WHERE id = $1', [goodLead])).rows[0]!;
    good = await captureEvidence(
      { url: sandboxListingUrl(sandbox, 'tiki'), listingId: Number(subject.listing_id), leadId: goodLead },
      deps,
      { browser },
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the status, final URL, screenshot, raw and rendered page and metadata of one load', async () => {
    if (!good.ok) throw new Error(good.reason);
    expect(good.httpStatus).toBe(200);
    const kinds = good.evidence.files.map((f) => f.kind).sort();
    expect(kinds).toEqual(['dom', 'meta', 'raw', 'screenshot', 'wacz']);
    const read = (kind: string) =>
      readFileSync(path.join(evidenceDir(dir), good.ok ? good.evidence.files.find((f) => f.kind === kind)!.path : ''));
    expect(read('screenshot').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(read('raw').toString()).toContain('Túi xách'.length ? '<h1' : '');
    const meta = JSON.parse(read('meta').toString()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      http_status: 200,
      operator: 'Đội QLTT số 3',
      timezone: 'Asia/Ho_Chi_Minh',
      browser: expect.stringMatching(/^Chromium \d+/),
    });
    expect(meta.captured_at_local).toMatch(/\+07:00$/);
    expect((meta.machine as { hostname: string }).hostname.length).toBeGreaterThan(0);
    expect((meta.response_headers as Record<string, string>)['content-type']).toMatch(/text\/html/);
    const row = (
      await db.query<{ http_status: number; final_url: string }>('SELECT http_status, final_url FROM evidence WHERE id = $1', [
        good.evidence.id,
      ])
    ).rows[0]!;
    expect(row).toEqual({ http_status: 200, final_url: good.finalUrl });
  });

  it('writes a WACZ whose datapackage digests match its files, with the page in pages.jsonl, the CDXJ index and the WARC', async () => {
    if (!good.ok) throw new Error(good.reason);
    const wacz = readFileSync(path.join(evidenceDir(dir), good.evidence.files.find((f) => f.kind === 'wacz')!.path));
    const entries = await unzipEntries(wacz);
    const datapackage = JSON.parse(entries.get('datapackage.json')!.toString()) as {
      profile: string;
      resources: { path: string; hash: string; bytes: number }[];
      mainPageUrl: string;
    };
    expect(datapackage.profile).toBe('data-package');
    expect(datapackage.resources.map((r) => r.path).sort()).toEqual(['archive/data.warc.gz', 'indexes/index.cdx', 'pages/pages.jsonl']);
    for (const resource of datapackage.resources) {
      const data = entries.get(resource.path)!;
      expect(resource.hash).toBe(`sha256:${sha256(data)}`);
      expect(resource.bytes).toBe(data.length);
    }
    const digest = JSON.parse(entries.get('datapackage-digest.json')!.toString()) as { hash: string };
    expect(digest.hash).toBe(`sha256:${sha256(entries.get('datapackage.json')!)}`);
    const pages = entries
      .get('pages/pages.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { url?: string; format?: string });
    expect(pages[0]!.format).toBe('json-pages-1.0');
    expect(pages[1]!.url).toBe(good.finalUrl);
    const cdx = entries.get('indexes/index.cdx')!.toString().trim().split('\n');
    const pageLine = cdx
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as { url: string; status: string; offset: string; length: string })
      .find((c) => c.url === good.finalUrl)!;
    expect(pageLine.status).toBe('200');
    // The index points at a gzip member that is the page's response record.
    const warc = entries.get('archive/data.warc.gz')!;
    const member = warc.subarray(Number(pageLine.offset), Number(pageLine.offset) + Number(pageLine.length));
    const record = await new WARCParser(
      (async function* () {
        yield new Uint8Array(member);
      })(),
    ).parse();
    expect(record?.warcType).toBe('response');
    expect(record?.warcTargetURI).toBe(good.finalUrl);
    expect(record?.httpHeaders?.statusCode).toBe(200);
    expect(new TextDecoder().decode(await record!.readFully())).toContain('<h1');
  });

  it.each([
    ['404', () => `${sandbox.url}/tiki/khong-co-trang-nay-p1.html`, /HTTP 404/],
    ['503', () => `${sandbox.url}/tiki/x.html?__fault=503`, /HTTP 503/],
    ['captcha gate', () => `${sandbox.url}/tiktok/shop/pdp/x/1?__fault=gate`, /blocked: a captcha/],
    ['empty SPA shell', () => `${sandbox.url}/shopee/product/1/2?__fault=empty`, /empty page/],
  ])(
    'a %s becomes a failed capture with its reason, never evidence; the lead shows no valid evidence',
    async (_name, url, reason) => {
      const [leadId] = await seedLeads(db, [{ url: url() }]);
      const listingId = Number(
        (await db.query<{ listing_id: number }>('SELECT listing_id FROM leads WHERE id = $1', [leadId])).rows[0]!.listing_id,
      );
      const result = await captureEvidence({ url: url(), listingId, leadId }, deps, { browser });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
      expect((await db.query('SELECT 1 FROM evidence WHERE listing_id = $1', [listingId])).rowCount).toBe(0);
      const details = await leadDetails(db, leadId!);
      expect(details.evidenceStatus).toBe('no valid evidence');
      expect(details.captureFailures[0]!.reason).toMatch(reason);
    },
    120_000,
  );

  it('renders summary.pdf on A4 in which the shop name, the reasons and the hashes read back whole', async () => {
    if (!good.ok) throw new Error(good.reason);
    await initOfficeKey(dir);
    const outFile = path.join(dir, 'pack.zip');
    const { manifest } = await buildEvidencePack(db, goodLead, {
      outFile,
      evidenceDir: evidenceDir(dir),
      signingKey: findSigningKey({ dataDir: dir })!,
      packedBy: 'Đội QLTT số 3',
      chromiumPath: chromium!,
    });
    expect((await verifyEvidencePack(outFile, { trustedKeys: [findSigningKey({ dataDir: dir })!], db })).ok).toBe(true);
    const entries = await unzipEntries(readFileSync(outFile));
    const pdf = entries.get('summary.pdf')!;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pdfFile = path.join(dir, 'summary.pdf');
    writeFileSync(pdfFile, pdf);
    const info = execFileSync('pdfinfo', [pdfFile]).toString();
    expect(info).toMatch(/Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-']).toString();
    const flat = text.replace(/\s+/g, ' ');
    const reasons = manifest.lead.top_reasons;
    expect(reasons).toBeTruthy();
    // Table cells wrap, so a phrase may span lines; each of its words must still be whole.
    const tokens = new Set(text.split(/[\s/,.;:()—–·=|-]+/u).filter(Boolean));
    const phrases = [
      SHOP_NAME,
      'Giá thấp bất thường',
      'Price far below reference',
      'Địa chỉ giả',
      'Placeholder address',
      'Túi xách Chanel Classic Flap hàng siêu cấp',
      'Cách kiểm tra',
      'How to verify',
    ];
    for (const phrase of phrases) for (const word of phrase.split(' ')) expect(tokens.has(word), `${word} (of "${phrase}")`).toBe(true);
    for (const f of manifest.files.filter((file) => file.kind === 'screenshot' || file.kind === 'wacz'))
      expect(flat, f.entry).toContain(f.sha256);
    expect(flat).toContain(manifest.signer.fingerprint);
    // Reason points are printed with the reasons.
    expect(flat).toMatch(/40 Giá thấp bất thường/);
    // No word of the page is broken across lines: every word of every line is a whole word of the HTML text.
    const html = entries
      .get('summary.html')!
      .toString()
      .replace(/<[^>]+>/g, ' ')
      .replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c)));
    const known = new Set(html.split(/[\s/,.;:()—–·=|-]+/u).filter(Boolean));
    const words = text.split(/[\s/,.;:()—–·=|-]+/u).filter((w) => /^\p{L}{2,}$/u.test(w));
    const split = words.filter((w) => !known.has(w));
    expect(split, `words not in the page: ${split.slice(0, 10).join(', ')}`).toEqual([]);
  }, 240_000);
});
