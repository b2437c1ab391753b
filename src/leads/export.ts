import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Queryable } from '../core/db/types.ts';
import { MARKETPLACES } from '../core/domain/records.ts';
import { logExport } from './custody.ts';
import { exportColumns, NATIONAL_ROUTE_LABEL, type ExportColumn } from './export-columns.ts';
import { weeklyExportRows, type ExportRow } from './export-rows.ts';
import { buildWorkbook } from './export-xlsx.ts';
import { slug } from './format.ts';
import { toSafeCsv } from './csv-cell.ts';
import { parseIsoWeek, type IsoWeek } from './week.ts';

/**
 * File slug of the leads no province is found for: they go to the national steering committee (Ban Chỉ
 * đạo 389 quốc gia), with `province_source` saying why (overseas, none).
 */
export const NATIONAL_SLUG = 'national';
/** @deprecated Until 0110 those leads went to `unknown-province`; the file is now {@link NATIONAL_SLUG}. */
export const UNKNOWN_PROVINCE_SLUG = 'unknown-province';

export const WeeklyExportOptionsSchema = z
  .object({
    /** ISO week in Asia/Ho_Chi_Minh, e.g. "2026-W48". */
    week: z.string().min(1),
    /** Only this province (code, or name without accents needed, e.g. "ho chi minh"). */
    province: z.string().min(1).optional(),
    /** Only this marketplace id (shopee, lazada, tiki, sendo, tiktok, web). */
    marketplace: z.enum(MARKETPLACES).optional(),
    /** One file per province. */
    splitBy: z.literal('province').optional(),
    /** csv (UTF-8 with BOM) or xlsx. */
    format: z.enum(['csv', 'xlsx']),
    /** Directory the files go to; created when missing. */
    outDir: z.string().min(1),
    /** Times in UTC instead of Asia/Ho_Chi_Minh (both with their offset). */
    utc: z.boolean().optional(),
  })
  .refine((o) => !(o.province && o.splitBy), { message: 'use either --province or --split-by province, not both' });
export type WeeklyExportOptions = z.input<typeof WeeklyExportOptionsSchema>;

export interface ExportedFile {
  path: string;
  /** Province name, the national committee ({@link NATIONAL_ROUTE_LABEL}) for leads without one, or "all provinces". */
  province: string;
  rows: number;
}

export interface WeeklyExportResult {
  week: string;
  start: Date;
  end: Date;
  files: ExportedFile[];
  rows: number;
}

function groupByProvince(rows: readonly ExportRow[]): Map<string | null, ExportRow[]> {
  const groups = new Map<string | null, ExportRow[]>();
  for (const row of rows) groups.set(row.province_name, [...(groups.get(row.province_name) ?? []), row]);
  return groups;
}

async function writeOne(
  rows: readonly ExportRow[],
  week: IsoWeek,
  format: 'csv' | 'xlsx',
  outDir: string,
  provinceSlug: string,
  provinceLabel: string,
  columns: readonly ExportColumn[],
): Promise<ExportedFile> {
  const file = path.join(outDir, `leads-${week.label}-${provinceSlug}.${format}`);
  if (format === 'csv') {
    const csv = toSafeCsv(
      columns.map((c) => c.header),
      rows.map((row) => columns.map((c) => c.value(row))),
    );
    await writeFile(file, csv, 'utf8');
  } else {
    const workbook = buildWorkbook(rows, columns, week, `Leads ${week.label} — ${provinceLabel}`);
    await writeFile(file, Buffer.from(await workbook.xlsx.writeBuffer()));
  }
  return { path: file, province: provinceLabel, rows: rows.length };
}

/**
 * Writes the weekly lead list for the provincial committees: one file for everything, one province, or
 * one file per province (leads without a province go to the national committee's "national" file). File names carry the
 * week and the province slug, e.g. `leads-2026-W48-thanh-pho-ho-chi-minh.xlsx`. Same data and week
 * give the same rows in the same order. The queue schedules this; the CLI and the demo call it too.
 */
export async function exportWeeklyLeads(
  db: Queryable,
  options: WeeklyExportOptions,
  onProgress: (message: string) => void = () => undefined,
): Promise<WeeklyExportResult> {
  const o = WeeklyExportOptionsSchema.parse(options);
  const week = parseIsoWeek(o.week);
  const columns = exportColumns(o.utc ? 'utc' : 'hcm');
  const rows = await weeklyExportRows(db, week, o.province, o.marketplace);
  onProgress(`${rows.length} lead(s) flagged in ${week.label} (${week.start.toISOString()} – ${week.end.toISOString()})`);
  await mkdir(o.outDir, { recursive: true });
  const files: ExportedFile[] = [];
  if (o.splitBy === 'province') {
    for (const [province, group] of groupByProvince(rows)) {
      const file = await writeOne(
        group,
        week,
        o.format,
        o.outDir,
        province === null ? NATIONAL_SLUG : slug(province),
        province ?? NATIONAL_ROUTE_LABEL,
        columns,
      );
      onProgress(`wrote ${file.path} (${file.rows} rows)`);
      files.push(file);
    }
  } else {
    const label = o.province === undefined ? 'all provinces' : (rows[0]?.province_name ?? o.province);
    const file = await writeOne(rows, week, o.format, o.outDir, slug(label), label, columns);
    onProgress(`wrote ${file.path} (${file.rows} rows)`);
    files.push(file);
  }
  await logExport(db, { format: o.format, files, leadIds: rows.map((r) => r.lead_id), scope: { week: week.label } });
  return { week: week.label, start: week.start, end: week.end, files, rows: rows.length };
}
