import type { ReferralLetter } from './referral.ts';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** "Hà Nội, ngày 01 tháng 12 năm 2026": the place-and-date line of a công văn, on the Asia/Ho_Chi_Minh calendar. */
export function placeAndDate(place: string, date: Date): string {
  const local = new Date(date.getTime() + 7 * 3_600_000);
  const dd = String(local.getUTCDate()).padStart(2, '0');
  const mm = String(local.getUTCMonth() + 1).padStart(2, '0');
  return `${place}, ngày ${dd} tháng ${mm} năm ${local.getUTCFullYear()}`;
}

export function referralSubject(letter: ReferralLetter): string {
  return `V/v chuyển thông tin ${letter.leads.length} dấu hiệu vi phạm trên thương mại điện tử (tuần ${letter.week.label})`;
}

/**
 * The letter laid out as a Vietnamese official letter (Nghị định 30/2020/NĐ-CP): sender and national
 * motto side by side, number and subject, place and date, recipient, body, then "Nơi nhận" and the
 * signature block. Each lead is a block rather than a table row, so URLs and hashes never wrap.
 */
export function renderReferralHtml(letter: ReferralLetter): string {
  const h = letter.letterhead;
  const leads = letter.leads
    .map(
      (lead, i) => `<li>
  <p class="lead"><b>${i + 1}. [${escape(lead.marketplace)}] ${escape(lead.title)}</b>${lead.shopName ? ` — ${escape(lead.shopName)}` : ''} (điểm rủi ro ${lead.score}, mã lead ${lead.leadId})</p>
  ${lead.reasonsVi ? `<p class="reasons">Dấu hiệu: ${escape(lead.reasonsVi)}</p>` : ''}
  <p class="mono">${escape(lead.url ?? '(không có đường dẫn)')}</p>
  <p class="mono">Gói bằng chứng: ${escape(lead.packName)}</p>
  <p class="mono">SHA-256${lead.hashOf === 'capture' ? ' (bản chụp)' : ''}: ${lead.sha256 ?? 'chưa thu thập bằng chứng'}</p>
</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${escape(referralSubject(letter))}</title>
<style>
  @page { size: A4; margin: 20mm 15mm 20mm 30mm; }
  body { font-family: 'Times New Roman', 'Liberation Serif', 'DejaVu Serif', serif; font-size: 13pt; line-height: 1.35; hyphens: manual; overflow-wrap: normal; word-break: normal; }
  .head { display: flex; justify-content: space-between; text-align: center; }
  .head div:first-child { width: 40%; }
  .head div:last-child { width: 58%; }
  .upper { text-transform: uppercase; margin: 0; }
  .motto { font-weight: bold; margin: 0; font-size: 12pt; white-space: nowrap; }
  .motto u { text-underline-offset: 3px; }
  .date { font-style: italic; text-align: right; margin-top: 8pt; }
  .to { text-align: center; margin: 14pt 0; }
  ol { list-style: none; padding: 0; }
  li { break-inside: avoid; margin-bottom: 8pt; }
  li p { margin: 0; }
  .reasons { font-size: 11pt; }
  .mono { font-family: 'DejaVu Sans Mono', 'Liberation Mono', monospace; font-size: 7.5pt; white-space: nowrap; }
  .foot { display: flex; justify-content: space-between; margin-top: 20pt; break-inside: avoid; }
  .foot .sign { text-align: center; width: 45%; }
  .foot .recipients { font-size: 11pt; }
</style></head>
<body>
<div class="head">
  <div>
    ${h.parentBody ? `<p class="upper">${escape(h.parentBody)}</p>` : ''}
    <p class="upper"><b>${escape(h.sender)}</b></p>
    <p>Số: ${escape(h.number)}</p>
    <p style="font-size:12pt">${escape(referralSubject(letter))}</p>
  </div>
  <div>
    <p class="motto">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
    <p class="motto"><u>Độc lập - Tự do - Hạnh phúc</u></p>
    <p class="date">${escape(placeAndDate(h.place, letter.date))}</p>
  </div>
</div>
<p class="to">Kính gửi: Ban Chỉ đạo chống buôn lậu, gian lận thương mại và hàng giả ${escape(letter.province)}</p>
<p>Qua rà soát các sàn thương mại điện tử trong tuần ${escape(letter.week.label)}, ${escape(h.sender)} phát hiện ${letter.leads.length} tin đăng/cửa hàng có dấu hiệu kinh doanh hàng giả, hàng nhập lậu thuộc địa bàn ${escape(letter.province)}. Xin chuyển thông tin để quý cơ quan kiểm tra, xử lý theo thẩm quyền. Mỗi gói bằng chứng có chữ ký số và mã băm SHA&#8209;256; kiểm tra bằng lệnh <span class="mono">radar leads verify-pack &lt;gói&gt;</span>.</p>
<ol>
${leads}
</ol>
<p>Đề nghị quý cơ quan thông báo kết quả xử lý về ${escape(h.sender)} để tổng hợp.</p>
<div class="foot">
  <div class="recipients"><p><b><i>Nơi nhận:</i></b></p><p>- Như trên;</p><p>- Lưu: VT.</p></div>
  <div class="sign"><p class="upper"><b>${escape(h.signerTitle)}</b></p><p><i>(Ký, ghi rõ họ tên, đóng dấu)</i></p><br><br><br><p><b>${escape(h.signerName)}</b></p></div>
</div>
</body></html>
`;
}
