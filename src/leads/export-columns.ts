import type { ExportRow } from './export-rows.ts';
import { formatInstant, type TimeZoneChoice } from '../core/time.ts';

export type CellValue = string | number | null;

/** One column of the weekly export: a bilingual header, a width in characters and how to read the row. */
export interface ExportColumn {
  header: string;
  width: number;
  value: (row: ExportRow) => CellValue;
  /** Rendered as a hyperlink in XLSX when the value is an http(s) URL. */
  link?: boolean;
  /** Excel number format for numeric columns. */
  numFmt?: string;
}

/** "Nguồn tỉnh" values in Vietnamese first, as the committees read them; the last two route nationally. */
export const PROVINCE_SOURCE_LABELS: Record<string, string> = {
  address: 'địa chỉ / address',
  declared: 'vị trí sàn công bố / declared',
  phone: 'mã vùng điện thoại / phone',
  warehouse: 'kho hàng / warehouse',
  overseas: 'người bán nước ngoài / overseas',
  none: 'không có thông tin vị trí / none',
};

/** Who acts on a lead: its province's committee, else the national one (Ban Chỉ đạo 389 quốc gia). */
export function routedTo(row: Pick<ExportRow, 'province_name'>): string {
  return row.province_name ?? NATIONAL_ROUTE_LABEL;
}
export const NATIONAL_ROUTE_LABEL = 'Ban Chỉ đạo 389 quốc gia / national';

/** A lead without a province whose shop was never routed has, so far, no location: `none`. */
export function routingSourceOf(row: Pick<ExportRow, 'province_name' | 'province_source'>): string | null {
  return row.province_source ?? (row.province_name === null ? 'none' : null);
}

/**
 * Vietnamese first: the provincial committees read these lists. Times are Asia/Ho_Chi_Minh wall-clock
 * with the offset ("2026-12-02 01:09:46 +07:00"), or UTC with `zone: 'utc'`.
 */
export function exportColumns(zone: TimeZoneChoice = 'hcm'): ExportColumn[] {
  const local = (d: Date | null) => (d === null ? null : formatInstant(d, { zone }));
  return [
    { header: 'Mã lead / Lead ID', width: 10, value: (r) => r.lead_id },
    { header: 'Điểm / Score', width: 8, value: (r) => r.score },
    { header: 'Trạng thái / Status', width: 11, value: (r) => r.status },
    { header: 'Tỉnh/Thành / Province', width: 22, value: (r) => r.province_name },
    { header: 'Nguồn tỉnh / Province source', width: 14, value: (r) => routingSourceOf(r) },
    { header: 'Phường/Xã / Ward', width: 20, value: (r) => r.ward_name },
    { header: 'Sàn / Marketplace', width: 11, value: (r) => r.marketplace },
    { header: 'Tiêu đề / Title', width: 50, value: (r) => r.title },
    { header: 'Thương hiệu / Brand', width: 14, value: (r) => r.brand },
    { header: 'Giá (VND) / Price', width: 13, value: (r) => r.price_vnd, numFmt: '#,##0' },
    { header: 'Giá tham chiếu / Reference price', width: 13, value: (r) => r.reference_price_vnd, numFmt: '#,##0' },
    { header: 'Cửa hàng / Shop', width: 24, value: (r) => r.shop_name },
    { header: 'Địa chỉ / Address', width: 36, value: (r) => r.shop_address },
    { header: 'Chất lượng địa chỉ / Address quality', width: 14, value: (r) => r.address_quality },
    { header: 'Lý do chính / Top reasons (vi)', width: 50, value: (r) => r.top_reasons_vi },
    { header: 'Top reasons (en)', width: 50, value: (r) => r.top_reasons },
    { header: 'Mạng lưới / Network', width: 10, value: (r) => r.network_id },
    { header: 'Gắn cờ lần đầu / First flagged', width: 26, value: (r) => local(r.first_flagged_at) },
    { header: 'Gắn cờ gần nhất / Last flagged', width: 26, value: (r) => local(r.last_flagged_at) },
    { header: 'Số bằng chứng / Evidence', width: 9, value: (r) => r.evidence_count },
    { header: 'Thu thập gần nhất / Latest capture', width: 26, value: (r) => local(r.latest_capture_at) },
    { header: 'Người phụ trách / Assignee', width: 14, value: (r) => r.assignee },
    { header: 'Phiên bản chấm điểm / Scoring version', width: 12, value: (r) => r.scoring_version },
    { header: 'Đường dẫn / URL', width: 45, value: (r) => r.url, link: true },
    // Last, so the columns before it keep their places for readers of older files.
    { header: 'Chuyển đến / Routed to', width: 24, value: (r) => routedTo(r) },
  ];
}

export const EXPORT_COLUMNS: ExportColumn[] = exportColumns();
