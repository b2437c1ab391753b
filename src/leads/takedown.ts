import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Queryable } from '../core/db/types.ts';
import { takedownLeads, type TakedownLeadRow } from '../core/db/stores/lead-actions.ts';
import { UserError } from '../core/errors.ts';
import { slug, toCsv } from './format.ts';
import { logExport } from './custody.ts';
import { evidenceDigest, packFileName } from './evidence-ref.ts';
import type { IsoWeek } from './week.ts';

/**
 * Takedown requests in the shape each platform's brand-protection portal takes in a batch upload.
 * The portals publish no machine-readable template; README "Takedown exports" gives the source of each
 * column set and the assumptions (batch limits other than Lazada's documented 300).
 */
export interface TakedownFormat {
  marketplace: string;
  /** Listings per uploaded file; a portal refuses a larger batch. */
  batchLimit: number;
  columns: readonly { header: string; value: (row: TakedownLeadRow, ctx: RowContext) => string | number | null }[];
}

interface RowContext {
  ip: IpDocument | null;
  evidenceLink: string | null;
  evidenceSha256: string | null;
}

const infringement = (row: TakedownLeadRow): string =>
  row.reasons.some((r) => r.code.startsWith('brand.') || r.code.startsWith('lexicon.')) ? 'Counterfeit' : 'Counterfeit (suspected)';

const description = (row: TakedownLeadRow): string =>
  [...row.reasons]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((r) => (r.detail ? `${r.en} (${r.detail})` : r.en))
    .join('; ');

const common = {
  url: { header: 'Product URL', value: (r: TakedownLeadRow) => r.url },
  ipType: { header: 'IP Type', value: (_: TakedownLeadRow, c: RowContext) => c.ip?.type ?? 'Trademark' },
  ipNumber: { header: 'IP Registration Number', value: (_: TakedownLeadRow, c: RowContext) => c.ip?.registration ?? '' },
  evidence: { header: 'Evidence Link', value: (_: TakedownLeadRow, c: RowContext) => c.evidenceLink },
};

export const TAKEDOWN_FORMATS = {
  'takedown-lazada': {
    marketplace: 'lazada',
    batchLimit: 300,
    columns: [
      common.url,
      common.ipType,
      common.ipNumber,
      { header: 'Brand', value: (r) => r.brand },
      { header: 'Infringement Type', value: infringement },
      { header: 'Complaint Description', value: description },
      common.evidence,
      { header: 'Evidence SHA-256', value: (_, c) => c.evidenceSha256 },
      { header: 'Internal Reference', value: (r) => `lead-${r.lead_id}` },
    ],
  },
  'takedown-shopee': {
    marketplace: 'shopee',
    batchLimit: 100,
    columns: [
      { header: 'Listing URL', value: (r) => r.url },
      { header: 'Shop Name', value: (r) => r.shop_name },
      { header: 'Shop ID', value: (r) => r.shop_external_id },
      common.ipType,
      common.ipNumber,
      { header: 'Brand', value: (r) => r.brand },
      { header: 'Infringement Type', value: infringement },
      { header: 'Remarks', value: description },
      common.evidence,
      { header: 'Internal Reference', value: (r) => `lead-${r.lead_id}` },
    ],
  },
  'takedown-tiktok': {
    marketplace: 'tiktok',
    batchLimit: 100,
    columns: [
      common.url,
      { header: 'Product ID', value: (r) => r.listing_external_id },
      { header: 'Seller Name', value: (r) => r.shop_name },
      common.ipType,
      common.ipNumber,
      { header: 'Infringement Reason', value: infringement },
      { header: 'Description', value: description },
      common.evidence,
      { header: 'Internal Reference', value: (r) => `lead-${r.lead_id}` },
    ],
  },
} satisfies Record<string, TakedownFormat>;
export type TakedownFormatName = keyof typeof TAKEDOWN_FORMATS;

export function isTakedownFormat(name: string): name is TakedownFormatName {
  return Object.hasOwn(TAKEDOWN_FORMATS, name);
}

const IpDocumentSchema = z.object({
  type: z.enum(['Trademark', 'Copyright', 'Patent', 'Industrial design']).default('Trademark'),
  registration: z.string().min(1),
  owner: z.string().optional(),
});
export type IpDocument = z.infer<typeof IpDocumentSchema>;
/** `--ip-docs FILE`: brand name → the registration that a complaint cites, e.g. `Nike: {registration: "VN 4-0012345-000"}`. */
const IpDocumentsSchema = z.record(z.string(), IpDocumentSchema);

export async function loadIpDocuments(file: string): Promise<Map<string, IpDocument>> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(`cannot read --ip-docs ${file}: ${error.code ?? error.message}`);
  });
  const parsed = IpDocumentsSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`--ip-docs ${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return new Map(Object.entries(parsed.data).map(([brand, doc]) => [brand.toLowerCase(), doc]));
}

export interface TakedownExportOptions {
  format: TakedownFormatName;
  /** Lead statuses to include. @default ['confirmed'] */
  statuses?: readonly string[];
  /** Only leads flagged in this ISO week; without it, every week (files are then stamped with today's date). */
  week?: IsoWeek;
  outDir: string;
  /** The brand owner's IP document per brand (lower case), from `--ip-docs`; without one, the column is left for the analyst. */
  ipDocuments?: Map<string, IpDocument>;
  /** Prefix for evidence links, e.g. the office's share where packs are published; the pack's file name otherwise. */
  evidenceBaseUrl?: string;
}

export interface TakedownFile {
  path: string;
  /** The IP document the batch cites: the portals take one document per request. */
  brand: string | null;
  rows: number;
}

/** Splits `rows` into batches of at most `limit`, in order. */
export function batches<T>(rows: readonly T[], limit: number): T[][] {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`batch limit must be a positive integer, got ${limit}`);
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += limit) out.push(rows.slice(i, i + limit));
  return out;
}

/** One batch file per brand (IP document) and per `batchLimit` listings. */
export async function exportTakedowns(db: Queryable, options: TakedownExportOptions): Promise<TakedownFile[]> {
  const format: TakedownFormat = TAKEDOWN_FORMATS[options.format];
  const rows = await takedownLeads(db, {
    marketplace: format.marketplace,
    statuses: options.statuses ?? ['confirmed'],
    from: options.week?.start,
    to: options.week?.end,
  });
  const byBrand = new Map<string | null, TakedownLeadRow[]>();
  for (const row of rows) {
    const key = row.brand?.trim() || null;
    byBrand.set(key, [...(byBrand.get(key) ?? []), row]);
  }
  await mkdir(options.outDir, { recursive: true });
  const stamp = options.week?.label ?? new Date().toISOString().slice(0, 10);
  const files: TakedownFile[] = [];
  for (const [brand, group] of byBrand) {
    const ip = brand === null ? null : (options.ipDocuments?.get(brand.toLowerCase()) ?? null);
    const parts = batches(group, format.batchLimit);
    for (const [index, part] of parts.entries()) {
      const name = `${options.format}-${stamp}-${slug(brand ?? 'no-brand')}-part-${index + 1}-of-${parts.length}.csv`;
      const file = path.join(options.outDir, name);
      const table = part.map((row) => {
        const pack = packFileName(row.lead_id);
        const ctx: RowContext = {
          ip,
          evidenceSha256: evidenceDigest(row.evidence_files),
          evidenceLink:
            row.evidence_files === null ? null : options.evidenceBaseUrl ? `${options.evidenceBaseUrl.replace(/\/$/, '')}/${pack}` : pack,
        };
        return format.columns.map((column) => column.value(row, ctx));
      });
      await writeFile(
        file,
        toCsv(
          format.columns.map((c) => c.header),
          table,
        ),
      );
      files.push({ path: file, brand, rows: part.length });
    }
  }
  if (files.length > 0)
    await logExport(db, {
      format: options.format,
      files,
      leadIds: rows.map((r) => r.lead_id),
      scope: { week: options.week?.label ?? null },
    });
  return files;
}
