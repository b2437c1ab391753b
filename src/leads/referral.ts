import { createHash } from 'node:crypto';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Queryable } from '../core/db/types.ts';
import { latestEvidenceFiles } from '../core/db/stores/lead-actions.ts';
import { logExport } from './custody.ts';
import { evidenceDigest, packFileName } from './evidence-ref.ts';
import { weeklyExportRows, type ExportRow } from './export-rows.ts';
import { slug } from './format.ts';
import { renderPdf } from './pdf.ts';
import { renderReferralDocx } from './referral-docx.ts';
import { renderReferralHtml } from './referral-html.ts';
import type { IsoWeek } from './week.ts';

/** Who sends the letter and how it is numbered: the parts of a công văn the office fills in. */
export interface ReferralLetterhead {
  /** The body above the sender, e.g. "BAN CHỈ ĐẠO 389 QUỐC GIA". @default '' */
  parentBody?: string;
  /** The sending office, e.g. "VĂN PHÒNG THƯỜNG TRỰC". @default 'BAN CHỈ ĐẠO 389' */
  sender?: string;
  /** "Số" field, e.g. "125/CV-VPTT". @default '…/CV' (left for the clerk) */
  number?: string;
  /** Place in "Hà Nội, ngày … tháng … năm …". @default 'Hà Nội' */
  place?: string;
  /** Title above the signature, e.g. "CHÁNH VĂN PHÒNG". @default 'THỦ TRƯỞNG ĐƠN VỊ' */
  signerTitle?: string;
  /** Name under the signature. @default '' */
  signerName?: string;
}

export interface ReferralLead {
  leadId: number;
  marketplace: string;
  url: string | null;
  title: string;
  shopName: string | null;
  score: number;
  reasonsVi: string | null;
  packName: string;
  /** SHA-256 of the pack file when it is in `packsDir`, else of the latest capture's files. */
  sha256: string | null;
  hashOf: 'pack' | 'capture' | null;
}

export interface ReferralLetter {
  province: string;
  week: IsoWeek;
  date: Date;
  letterhead: Required<ReferralLetterhead>;
  leads: ReferralLead[];
}

export interface ReferralOptions {
  week: IsoWeek;
  /** The province the letter goes to (name or code, as `leads export --province` takes). */
  province: string;
  outDir: string;
  /** The sending office's header and signature block; fields left out keep their defaults (see ReferralLetterhead). @default {} */
  letterhead?: ReferralLetterhead;
  /** Where `radar leads pack` wrote the packs; their files' SHA-256 is cited when present. Without it, no pack hash is cited. */
  packsDir?: string;
  /** The letter's date ("ngày … tháng … năm …"). @default new Date() */
  date?: Date;
  /** Chromium that renders the PDF. @default '/usr/bin/chromium' */
  chromiumPath?: string;
}

const DEFAULT_LETTERHEAD: Required<ReferralLetterhead> = {
  parentBody: '',
  sender: 'BAN CHỈ ĐẠO 389',
  number: '…/CV',
  place: 'Hà Nội',
  signerTitle: 'THỦ TRƯỞNG ĐƠN VỊ',
  signerName: '',
};

async function sha256OfFile(file: string): Promise<string | null> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return null;
  }
}

async function referralLead(
  row: ExportRow,
  files: Parameters<typeof evidenceDigest>[0],
  packsDir: string | undefined,
): Promise<ReferralLead> {
  const packName = packFileName(row.lead_id);
  const packHash = packsDir === undefined ? null : await sha256OfFile(path.join(packsDir, packName));
  const captureHash = evidenceDigest(files);
  return {
    leadId: row.lead_id,
    marketplace: row.marketplace,
    url: row.url,
    title: row.title,
    shopName: row.shop_name,
    score: row.score,
    reasonsVi: row.top_reasons_vi,
    packName,
    sha256: packHash ?? captureHash,
    hashOf: packHash !== null ? 'pack' : captureHash !== null ? 'capture' : null,
  };
}

/** The letter's content: the week's leads of one province, with their evidence references. */
export async function buildReferralLetter(db: Queryable, options: ReferralOptions): Promise<ReferralLetter> {
  const rows = await weeklyExportRows(db, options.week, options.province);
  const evidence = await latestEvidenceFiles(
    db,
    rows.map((row) => row.lead_id),
  );
  const leads = await Promise.all(rows.map((row) => referralLead(row, evidence.get(row.lead_id) ?? null, options.packsDir)));
  return {
    province: rows[0]?.province_name ?? options.province,
    week: options.week,
    date: options.date ?? new Date(),
    letterhead: { ...DEFAULT_LETTERHEAD, ...options.letterhead },
    leads,
  };
}

export interface ReferralFiles {
  pdf: string;
  docx: string;
  html: string;
  leads: number;
  province: string;
}

/** Writes the letter as HTML (the PDF's source), PDF (Chromium, A4) and DOCX, named by week and province. */
export async function writeReferralLetter(db: Queryable, options: ReferralOptions): Promise<ReferralFiles> {
  const letter = await buildReferralLetter(db, options);
  await mkdir(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `referral-${letter.week.label}-${slug(letter.province)}`);
  const html = renderReferralHtml(letter);
  await writeFile(`${base}.html`, html);
  await writeFile(`${base}.pdf`, await renderPdf(html, { chromiumPath: options.chromiumPath }));
  await writeFile(`${base}.docx`, await renderReferralDocx(letter));
  await logExport(db, {
    format: 'referral',
    files: [{ path: `${base}.pdf` }, { path: `${base}.docx` }, { path: `${base}.html` }],
    leadIds: letter.leads.map((l) => l.leadId),
    scope: { week: letter.week.label, province: letter.province },
  });
  return { pdf: `${base}.pdf`, docx: `${base}.docx`, html: `${base}.html`, leads: letter.leads.length, province: letter.province };
}
