import type { Reason } from '../core/domain/reasons.ts';
import type { PackManifest } from './pack.ts';
import type { LeadDetails } from './show.ts';

function esc(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function table(headers: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p><em>none / không có</em></p>';
  return `<table><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</table>`;
}

/** One printable page for the enforcement officer: what, why, where, and the hashes that prove it. */
export function renderPackSummary(details: LeadDetails, manifest: PackManifest): string {
  const lead = details.lead;
  const reasons = (Array.isArray(lead.reasons) ? lead.reasons : []) as Reason[];
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Lead ${esc(lead.id)} — evidence pack</title>
<style>body{font-family:sans-serif;font-size:11px;margin:1.5em}table{border-collapse:collapse;width:100%;margin-bottom:1em}
td,th{border:1px solid #999;padding:2px 4px;text-align:left;vertical-align:top;word-break:break-all}th{background:#1f3864;color:#fff}</style></head>
<body>
<h1>Hồ sơ bằng chứng / Evidence pack — lead #${esc(lead.id)}</h1>
<p>Loại / Kind: <b>${esc(lead.kind)}</b> · Điểm / Score: <b>${esc(lead.score)}</b> · Trạng thái / Status: <b>${esc(lead.status)}</b>
 · Phiên bản / Scoring version: ${esc(lead.scoring_version)} · Tỉnh / Province: ${esc(lead.province_name)}</p>
<p>Lập lúc / Generated: ${esc(manifest.generated_at_local)} (Asia/Ho_Chi_Minh) = ${esc(manifest.generated_at_utc)} UTC</p>
<h2>Lý do / Reasons</h2>
${table(['Mã / Code', 'Điểm / Weight', 'Lý do', 'Reason', 'Chi tiết / Detail'], reasons.map((r) => [r.code, r.weight, r.vi, r.en, r.detail]))}
<h2>Cửa hàng / Shops</h2>
${table(['Sàn', 'Tên / Name', 'Địa chỉ / Address', 'Tỉnh / Province', 'Phường / Ward', 'URL'], details.shops.map((s) => [s.marketplace, s.name, s.raw_address, s.province_name, s.ward_name, s.url]))}
<h2>Sản phẩm / Listings</h2>
${table(['Sàn', 'Tiêu đề / Title', 'Thương hiệu / Brand', 'Giá / Price (VND)', 'URL'], details.listings.map((l) => [l.marketplace, l.title, l.brand, l.price_vnd, l.url]))}
<h2>Tệp bằng chứng / Evidence files</h2>
${table(['Tệp / File', 'URL', 'Thu thập / Captured (VN)', 'UTC', 'SHA-256'], manifest.files.map((f) => [f.entry, f.url, f.captured_at_local, f.captured_at_utc, f.sha256]))}
${manifest.missing.length ? `<p><b>Thiếu / Missing:</b> ${esc(manifest.missing.map((m) => m.path).join(', '))}</p>` : ''}
<p>Kiểm tra / Verify: <code>radar leads verify-pack FILE.zip</code> — recomputes every SHA-256 in SHA256SUMS.</p>
</body></html>
`;
}
