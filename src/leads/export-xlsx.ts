import ExcelJS from 'exceljs';
import { PROVINCE_SOURCE_LABELS, routedTo, routingSourceOf, type ExportColumn } from './export-columns.ts';
import type { ExportRow } from './export-rows.ts';
import { neutraliseFormula } from './format.ts';
import type { IsoWeek } from './week.ts';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3864' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };

/** Text is always written as a plain string value (never `{ formula }`), neutralised like the CSV. */
function safeCell(value: string | number | null): string | number | null {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}

function isWebUrl(text: string): boolean {
  return /^https?:\/\/[^\s"]+$/i.test(text);
}

function styleHeader(sheet: ExcelJS.Worksheet, columnCount: number): void {
  const header = sheet.getRow(1);
  header.font = HEADER_FONT;
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'middle', wrapText: true };
  header.height = 32;
  sheet.views = [{ state: 'frozen', ySplit: 1, xSplit: 0 }];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columnCount } };
}

function addTable(sheet: ExcelJS.Worksheet, headers: { header: string; width: number }[], rows: (string | number | null)[][]): void {
  sheet.columns = headers.map((h) => ({ header: neutraliseFormula(h.header), width: h.width }));
  for (const row of rows) sheet.addRow(row.map(safeCell));
  styleHeader(sheet, headers.length);
}

function countBy(rows: readonly ExportRow[], key: (row: ExportRow) => string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const row of rows) for (const k of key(row)) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const UNKNOWN = '(không rõ / unknown)';

/** Builds the weekly workbook: Leads, Summary and Networks sheets, with fixed metadata for reproducibility. */
export function buildWorkbook(
  rows: readonly ExportRow[],
  columns: readonly ExportColumn[],
  week: IsoWeek,
  title: string,
): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  // Same week → same metadata: the workbook never records when or on which machine it was written.
  workbook.creator = 'counterfeit-radar';
  workbook.lastModifiedBy = 'counterfeit-radar';
  workbook.created = week.start;
  workbook.modified = week.start;
  workbook.title = title;
  workbook.subject = `Leads ${week.label}`;

  const leads = workbook.addWorksheet('Leads');
  leads.columns = columns.map((c) => ({ header: neutraliseFormula(c.header), width: c.width }));
  for (const row of rows) {
    const added = leads.addRow(columns.map((c) => safeCell(c.value(row))));
    columns.forEach((column, i) => {
      const cell = added.getCell(i + 1);
      if (column.numFmt && typeof cell.value === 'number') cell.numFmt = column.numFmt;
      const raw = column.value(row);
      if (column.link && typeof raw === 'string' && isWebUrl(raw)) {
        cell.value = { text: neutraliseFormula(raw), hyperlink: raw };
        cell.font = { color: { argb: 'FF0563C1' }, underline: true };
      }
    });
  }
  styleHeader(leads, columns.length);

  const summary = workbook.addWorksheet('Summary');
  const sections: [string, [string, number][]][] = [
    ['Tỉnh/Thành / Province', countBy(rows, (r) => [routedTo(r)])],
    [
      'Nguồn tỉnh / Province source',
      countBy(rows, (r) => {
        const source = routingSourceOf(r);
        return [source === null ? UNKNOWN : (PROVINCE_SOURCE_LABELS[source] ?? source)];
      }),
    ],
    // Province routing and national routing kept apart, so one is never read as the other.
    ['Chuyển đến / Routed to', countBy(rows, (r) => [r.province_name === null ? routedTo(r) : 'ban chỉ đạo tỉnh/thành / province'])],
    ['Sàn / Marketplace', countBy(rows, (r) => [r.marketplace])],
    ['Thương hiệu / Brand', countBy(rows, (r) => [r.brand ?? UNKNOWN])],
    ['Lý do / Reason', countBy(rows, (r) => [...new Set(r.reasons.map((reason) => `${reason.code} — ${reason.vi || reason.en}`))])],
  ];
  const summaryRows: (string | number | null)[][] = [['Tổng / Total', 'leads', rows.length]];
  for (const [name, counts] of sections) for (const [value, count] of counts) summaryRows.push([name, value, count]);
  addTable(
    summary,
    [
      { header: 'Nhóm / Group', width: 24 },
      { header: 'Giá trị / Value', width: 50 },
      { header: 'Số lead / Leads', width: 12 },
    ],
    summaryRows,
  );

  const networks = workbook.addWorksheet('Networks');
  const byNetwork = new Map<number, ExportRow[]>();
  for (const row of rows) if (row.network_id !== null) byNetwork.set(row.network_id, [...(byNetwork.get(row.network_id) ?? []), row]);
  const networkRows = [...byNetwork.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, members]) => [
      id,
      members[0]!.network_key,
      members[0]!.network_shop_count,
      (members[0]!.network_marketplaces ?? []).join(', '),
      members.length,
      Math.max(...members.map((m) => m.score)),
      [...new Set(members.map((m) => m.province_name ?? UNKNOWN))].sort().join('; '),
    ]);
  addTable(
    networks,
    [
      { header: 'Mạng lưới / Network', width: 10 },
      { header: 'Khóa / Key', width: 30 },
      { header: 'Số cửa hàng / Shops', width: 10 },
      { header: 'Sàn / Marketplaces', width: 24 },
      { header: 'Lead trong tệp / Leads here', width: 12 },
      { header: 'Điểm cao nhất / Best score', width: 12 },
      { header: 'Tỉnh/Thành / Provinces', width: 40 },
    ],
    networkRows,
  );
  return workbook;
}
