/**
 * The console suite's data set: synthetic listings and shops through the crawl's batched upserts, one
 * lead per fifth listing across the 34 provinces through scoring's own `upsertLeads`, then workflow
 * state (status, assignee), evidence and failed captures set in bulk, so the lead detail reads what a
 * reviewed lead has. 1M listings load in about three minutes on the 2-core bench host.
 */
import { upsertListings } from '../../src/core/db/stores/listings.ts';
import { upsertShops } from '../../src/core/db/stores/shops.ts';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../src/core/db/types.ts';
import { stopwatch } from './measure.ts';
import { prng, syntheticRecords } from './synthetic.ts';

/** Rows per multi-row upsert statement. */
const BATCH = 5_000;
/** Listings generated per round, so a million never sit in memory at once. */
const LOAD_CHUNK = 50_000;
/** Every fifth listing becomes a lead: 1M listings give 200k leads. */
export const LEAD_EVERY = 5;
export const PROVINCE_CODES = [
  1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96,
];
const STATUSES = ['new', 'new', 'new', 'new', 'reviewing', 'confirmed', 'dismissed', 'referred'];
/** Share of listing leads with a stored capture (one in EVIDENCE_EVERY), and with a refused one. */
const EVIDENCE_EVERY = 2;
const FAILURE_EVERY = 10;

export type UpsertLeads = (db: Db, candidates: unknown[], now?: Date) => Promise<unknown>;

/** The files every bench capture points at (one screenshot, one HTML page), so the detail re-hashes real bytes. */
export interface BenchEvidenceFiles {
  screenshot: { path: string; sha256: string; bytes: number };
  html: { path: string; sha256: string; bytes: number };
}

/** Writes a screenshot-sized and a page-sized file under `evidenceDir` and returns what the evidence rows record. */
export async function writeBenchEvidenceFiles(evidenceDir: string): Promise<BenchEvidenceFiles> {
  const random = prng(7);
  const write = async (relative: string, bytes: number) => {
    const data = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) data[i] = Math.floor(random() * 256);
    await mkdir(path.dirname(path.join(evidenceDir, relative)), { recursive: true });
    await writeFile(path.join(evidenceDir, relative), data);
    return { path: relative, sha256: createHash('sha256').update(data).digest('hex'), bytes };
  };
  return { screenshot: await write('bench/screenshot.png', 180_000), html: await write('bench/page.html', 90_000) };
}

export interface ConsoleData {
  listings: number;
  leads: number;
  evidence: number;
  captureFailures: number;
  loadSeconds: number;
}

/** Loads `total` listings and their leads into a migrated, empty database (untimed setup of the suite). */
export async function loadConsoleData(
  db: Db,
  upsertLeads: UpsertLeads,
  total: number,
  files: BenchEvidenceFiles,
  progress: (message: string) => void,
): Promise<ConsoleData> {
  const elapsed = stopwatch();
  for (let offset = 0; offset < total; offset += LOAD_CHUNK) {
    const data = syntheticRecords(Math.min(LOAD_CHUNK, total - offset), { seed: 2000 + offset, prefix: `c${offset / LOAD_CHUNK}-` });
    await upsertShops(db, data.shops);
    for (let i = 0; i < data.listings.length; i += BATCH) await upsertListings(db, data.listings.slice(i, i + BATCH));
    if ((offset / LOAD_CHUNK) % 4 === 3 || offset + LOAD_CHUNK >= total)
      progress(`  loaded ${Math.min(total, offset + LOAD_CHUNK)}/${total} listings (${elapsed().toFixed(0)} s)`);
  }
  const reasons = [
    {
      code: 'price.below_reference',
      weight: 40,
      en: 'Price far below the brand reference',
      vi: 'Giá thấp hơn nhiều so với giá tham chiếu',
      detail: '9% of reference',
    },
    { code: 'brand.slang', weight: 30, en: 'Replica slang in the title', vi: 'Tiêu đề dùng từ lóng hàng nhái', detail: '"rep 1:1"' },
  ];
  let lastId = 0;
  let leads = 0;
  const start = Date.now() - 10 * 7 * 86_400_000;
  for (;;) {
    const { rows } = await db.query<{ id: number }>('SELECT id FROM listings WHERE id > $1 AND id % $2 = 0 ORDER BY id LIMIT $3', [
      lastId,
      LEAD_EVERY,
      BATCH,
    ]);
    if (rows.length === 0) break;
    lastId = Number(rows.at(-1)!.id);
    const candidates = rows.map((r) => {
      const id = Number(r.id);
      const code = PROVINCE_CODES[id % PROVINCE_CODES.length]!;
      return {
        kind: 'listing',
        listingId: id,
        score: 40 + ((id * 7) % 61),
        scoringVersion: id % 3 ? 'v1.0.0' : 'v1.1.0',
        reasons,
        provinceCode: code,
        provinceName: `Province ${code}`,
      };
    });
    // Spread first-flagged over ten weeks so the week filter and overview have history.
    await upsertLeads(db, candidates, new Date(start + (leads % 70) * 86_400_000));
    leads += rows.length;
  }
  await db.query(
    `UPDATE leads SET status = (ARRAY[${STATUSES.map((s) => `'${s}'`).join(',')}])[1 + id % ${STATUSES.length}],
                      assignee = CASE WHEN id % 4 = 0 THEN 'analyst' || (id % 7) END`,
  );
  progress(`  ${leads} leads (${elapsed().toFixed(0)} s)`);
  // What capture writes: a screenshot and the page's HTML per stored capture, the reason per refused one.
  const evidence = await db.query(
    `INSERT INTO evidence (listing_id, url, captured_at, captured_at_local, crawler_version, files, http_status, final_url, metadata)
     SELECT l.id, l.url, ld.first_flagged_at + interval '1 hour',
            to_char((ld.first_flagged_at + interval '1 hour') AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00'),
            'bench', jsonb_build_array(
              jsonb_build_object('kind', 'screenshot', 'path', $1::text, 'sha256', $2::text, 'bytes', $3::int, 'content_type', 'image/png'),
              jsonb_build_object('kind', 'html', 'path', $4::text, 'sha256', $5::text, 'bytes', $6::int, 'content_type', 'text/html')),
            200, l.url, jsonb_build_object('browser', 'chromium', 'operator', 'bench')
     FROM leads ld JOIN listings l ON l.id = ld.listing_id
     WHERE ld.kind = 'listing' AND ld.id % ${EVIDENCE_EVERY} = 0`,
    [files.screenshot.path, files.screenshot.sha256, files.screenshot.bytes, files.html.path, files.html.sha256, files.html.bytes],
  );
  const failures = await db.query(
    `INSERT INTO capture_failures (listing_id, url, http_status, reason, captured_at, captured_at_local)
     SELECT l.id, l.url, 403, 'blocked', ld.first_flagged_at, to_char(ld.first_flagged_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD"T"HH24:MI:SS+07:00')
     FROM leads ld JOIN listings l ON l.id = ld.listing_id
     WHERE ld.kind = 'listing' AND ld.id % ${FAILURE_EVERY} = 1`,
  );
  for (const table of ['shops', 'listings', 'leads', 'lead_events', 'listing_scores', 'evidence', 'capture_failures'])
    await db.exec(`VACUUM ANALYZE ${table}`);
  const loadSeconds = elapsed();
  progress(`  ${evidence.rowCount} evidence rows, ${failures.rowCount} failed captures, vacuumed (${loadSeconds.toFixed(0)} s)`);
  return { listings: total, leads, evidence: evidence.rowCount, captureFailures: failures.rowCount, loadSeconds };
}
