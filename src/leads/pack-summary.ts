import type { CollectedFile, PackManifest } from './pack.ts';
import type { LeadDetails } from './show.ts';
import { displayText } from '../core/display.ts';

function esc(value: unknown): string {
  return displayText(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A cell for long unbroken tokens (URLs, hashes): they may wrap anywhere; words elsewhere never break. */
function code(value: unknown): string {
  return `<span class="code">${esc(value)}</span>`;
}

function table(headers: string[], rows: string[][], widths?: string[]): string {
  if (rows.length === 0) return '<p><em>không có / none</em></p>';
  const cols = widths ? `<colgroup>${widths.map((w) => `<col style="width:${w}">`).join('')}</colgroup>` : '';
  return `<table>${cols}<thead><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const vnd = (value: unknown) =>
  typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
    ? `${Number(value).toLocaleString('vi-VN')} ₫`
    : esc(value);

/** The screenshot to show: the newest listing page capture's, else any. */
function pickScreenshot(details: LeadDetails, files: readonly CollectedFile[]): CollectedFile | undefined {
  const shots = files.filter((f) => f.packed.kind === 'screenshot' && f.data.length < 8 * 1024 * 1024);
  const listingEvidence = new Set(details.evidence.filter((e) => e.listing_id !== null).map((e) => Number(e.id)));
  return shots.find((f) => f.packed.evidence_id !== null && listingEvidence.has(f.packed.evidence_id)) ?? shots[0];
}

const STYLE = `@page{size:A4;margin:14mm 12mm}
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:9.5pt;line-height:1.35;color:#111;margin:0}
h1{font-size:15pt;margin:0 0 4pt}h2{font-size:11.5pt;margin:12pt 0 4pt;border-bottom:1.5pt solid #1f3864;color:#1f3864;break-after:avoid}
.en{color:#555;font-style:italic}
table{border-collapse:collapse;width:100%;margin:2pt 0 6pt;table-layout:fixed}
td,th{border:0.5pt solid #999;padding:2pt 3pt;text-align:left;vertical-align:top;word-break:normal;overflow-wrap:normal;hyphens:manual}
th{background:#1f3864;color:#fff;font-weight:bold}th .en{color:#dfe6f3}.nw{white-space:nowrap}tr{break-inside:avoid}
.code{font-family:"DejaVu Sans Mono","Liberation Mono",monospace;font-size:7pt;overflow-wrap:anywhere;word-break:normal}
.shot{max-width:100%;max-height:190mm;border:0.5pt solid #999;display:block;margin:4pt auto}
dl{display:grid;grid-template-columns:38mm 1fr;gap:1pt 6pt;margin:0}dt{font-weight:bold}dd{margin:0}
.verify{background:#f3f6fb;border:0.5pt solid #1f3864;padding:4pt 6pt}`;

function facts(rows: [string, string][]): string {
  return `<dl>${rows
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`)
    .join('')}</dl>`;
}

export interface SummaryInputs {
  evidenceDir: string;
  /** The pack's evidence files, for the embedded screenshot. */
  screenshots: readonly CollectedFile[];
}

/**
 * The printable summary an officer files: Vietnamese first, English beside it. What was seen (the
 * screenshot), what it is (listing and shop), why it was flagged (reasons with their points), how it
 * was captured (browser, operator, times, HTTP status) and the hashes, and how to verify the pack.
 */
export function renderPackSummary(details: LeadDetails, manifest: PackManifest, inputs: SummaryInputs): string {
  const lead = details.lead;
  const reasons = Array.isArray(lead.reasons) ? lead.reasons : [];
  const shop = details.shops[0];
  const province = (lead.province_name as string | null) || (shop?.province_name as string | null) || '';
  const shot = pickScreenshot(details, inputs.screenshots);
  const shotHtml = shot
    ? `<img class="shot" alt="Ảnh chụp trang / Screenshot" src="data:image/png;base64,${shot.data.toString('base64')}">
<p>Ảnh chụp toàn trang <span class="en">/ full-page screenshot</span>: ${code(shot.packed.url)} — ${esc(shot.packed.captured_at_local)}<br>SHA-256 ${code(shot.packed.sha256)}</p>`
    : '<p><b>Không có bằng chứng hợp lệ</b> <span class="en">/ no valid evidence</span></p>';
  const failures = manifest.capture_failures.length
    ? `<p>Lần chụp không hợp lệ <span class="en">/ refused captures</span>: ${manifest.capture_failures
        .slice(0, 5)
        .map((f) => `${esc(f.captured_at_local)} ${esc(f.reason)}`)
        .join('; ')}</p>`
    : '';
  const captures = manifest.captures.map((c) => {
    const m = c.metadata;
    const machine = (m.machine ?? {}) as Record<string, unknown>;
    return [
      `#${esc(c.evidence_id)}`,
      `${code(c.final_url ?? c.url)}<br>HTTP <b>${esc(c.http_status ?? '—')}</b>`,
      `<span class="nw">${esc(c.captured_at_local.replace('T', ' '))}</span><br><span class="nw">${esc(c.captured_at_utc.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</span> UTC`,
      `${esc(m.browser ?? '')}<br>${code(c.crawler_version)}`,
      `${esc(m.operator ?? '')}<br>${esc(machine.hostname ?? '')}`,
    ];
  });
  const files = manifest.files.map((f) => [
    `${code(f.entry)}<br>${esc(f.kind)} · ${esc(f.bytes.toLocaleString('en-US'))} B`,
    code(f.sha256),
  ]);
  const custody = manifest.custody
    .slice(-20)
    .map((c) => [
      esc(c.seq),
      `<span class="nw">${esc(c.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</span>`,
      esc(c.actor),
      esc(c.action),
      code(c.row_hash.slice(0, 16)),
    ]);
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Hồ sơ bằng chứng — lead ${esc(lead.id)}</title><style>${STYLE}</style></head>
<body>
<h1>Hồ sơ bằng chứng vụ việc #${esc(lead.id)} <span class="en">/ Evidence pack, lead #${esc(lead.id)}</span></h1>
${facts([
  ['Loại <span class="en">/ kind</span>', esc(lead.kind)],
  ['Điểm rủi ro <span class="en">/ risk score</span>', `<b>${esc(lead.score)}</b> / 100`],
  ['Trạng thái <span class="en">/ status</span>', esc(lead.status)],
  ['Tỉnh, thành <span class="en">/ province</span>', esc(province || 'không rõ / unknown')],
  [
    'Lập lúc <span class="en">/ generated</span>',
    `${esc(manifest.generated_at_local)} (Asia/Ho_Chi_Minh) = ${esc(manifest.generated_at_utc)} UTC`,
  ],
  ['Người lập <span class="en">/ packed by</span>', esc(manifest.packed_by)],
  ['Phiên bản chấm điểm <span class="en">/ scoring</span>', esc(lead.scoring_version)],
])}
<h2>Trang đã ghi nhận <span class="en">/ The page as captured</span></h2>
${shotHtml}
${failures}
<h2>Lý do nghi vấn <span class="en">/ Reasons</span></h2>
${table(
  ['Điểm <span class="en">/ pts</span>', 'Lý do', '<span class="en">Reason</span>', 'Chi tiết <span class="en">/ detail</span>'],
  reasons.map((r) => [`<b>${esc(r.weight)}</b>`, esc(r.vi), `<span class="en">${esc(r.en)}</span>`, `${esc(r.detail)}<br>${code(r.code)}`]),
  ['12mm', '33%', '30%', '30%'],
)}
<h2>Sản phẩm <span class="en">/ Listings</span></h2>
${table(
  [
    'Sàn',
    'Tiêu đề <span class="en">/ title</span>',
    'Thương hiệu <span class="en">/ brand</span>',
    'Giá <span class="en">/ price</span>',
    'URL',
  ],
  details.listings
    .slice(0, 20)
    .map((l) => [
      esc(l.marketplace),
      esc(l.title),
      esc(l.brand),
      `${vnd(l.price_vnd)}${l.original_price_vnd ? `<br><s>${vnd(l.original_price_vnd)}</s>` : ''}`,
      code(l.url),
    ]),
  ['14mm', '34%', '16%', '18%', '24%'],
)}
<h2>Cửa hàng <span class="en">/ Shops</span></h2>
${table(
  [
    'Sàn',
    'Tên <span class="en">/ name</span>',
    'Địa chỉ <span class="en">/ address</span>',
    'Tỉnh <span class="en">/ province</span>',
    'Điện thoại, MST <span class="en">/ phone, tax</span>',
  ],
  details.shops
    .slice(0, 20)
    .map((s) => [
      esc(s.marketplace),
      esc(s.name),
      esc(s.raw_address),
      `${esc(s.province_name)}${s.ward_name ? `<br>${esc(s.ward_name)}` : ''}`,
      `${esc(s.phone_e164)}<br>${esc(s.tax_code)}`,
    ]),
  ['14mm', '26%', '30%', '18%', '20%'],
)}
<h2>Thông tin thu thập <span class="en">/ Capture metadata</span></h2>
${table(['Mã', 'URL, HTTP', 'Thời điểm <span class="en">/ time</span>', 'Trình duyệt <span class="en">/ browser</span>', 'Người chụp <span class="en">/ operator</span>'], captures, ['12mm', '36%', '22%', '20%', '16%'])}
<h2>Mã băm SHA-256 <span class="en">/ File hashes</span></h2>
${table(['Tệp <span class="en">/ file</span>', 'SHA-256'], files, ['45%', '55%'])}
${manifest.missing.length ? `<p><b>Thiếu / missing:</b> ${manifest.missing.map((m) => code(m.path)).join(', ')}</p>` : ''}
<h2>Chuỗi lưu giữ <span class="en">/ Chain of custody</span></h2>
${table(['#', 'Lúc <span class="en">/ at</span> (UTC)', 'Người <span class="en">/ who</span>', 'Việc <span class="en">/ action</span>', 'Hash'], custody, ['10mm', '30%', '22%', '18%', '22%'])}
<h2>Cách kiểm tra <span class="en">/ How to verify</span></h2>
<div class="verify">
<p>Hồ sơ được ký số Ed25519 bằng khoá của đơn vị. Dấu vân tay khoá công khai:<br>${code(manifest.signer.fingerprint)}</p>
<p>Kiểm tra: <code>radar leads verify-pack ho-so-42.zip --trust office-signing-key.pub.pem</code>. Lệnh kiểm tra chữ ký của manifest.json, mã SHA-256 của từng tệp và, nếu có cơ sở dữ liệu, mã băm ghi lúc thu thập.</p>
<p class="en">The pack is signed with the office's Ed25519 key (fingerprint above). Run the command above: it checks the signature over manifest.json, every file's SHA-256 and, with the database, the hashes recorded at capture time. Each capture's WACZ file opens in ReplayWeb.page.</p>
</div>
</body></html>
`;
}
