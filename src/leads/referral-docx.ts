import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  convertMillimetersToTwip,
} from 'docx';
import type { ReferralLetter } from './referral.ts';
import { placeAndDate, referralSubject } from './referral-html.ts';

const FONT = 'Times New Roman';
const NONE = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE };

const text = (value: string, options: { bold?: boolean; italics?: boolean; size?: number; underline?: boolean; font?: string } = {}) =>
  new TextRun({
    text: value,
    font: options.font ?? FONT,
    size: (options.size ?? 13) * 2,
    bold: options.bold,
    italics: options.italics,
    underline: options.underline ? {} : undefined,
  });
const line = (runs: TextRun[], alignment: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.LEFT) =>
  new Paragraph({ children: runs, alignment });
const cell = (children: Paragraph[]) => new TableCell({ children, width: { size: 50, type: WidthType.PERCENTAGE } });

/** The same letter as `renderReferralHtml`, as a Word document the office can edit before signing. */
export async function renderReferralDocx(letter: ReferralLetter): Promise<Buffer> {
  const h = letter.letterhead;
  const head = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          cell([
            ...(h.parentBody ? [line([text(h.parentBody.toUpperCase())], AlignmentType.CENTER)] : []),
            line([text(h.sender.toUpperCase(), { bold: true })], AlignmentType.CENTER),
            line([text(`Số: ${h.number}`)], AlignmentType.CENTER),
            line([text(referralSubject(letter), { size: 12 })], AlignmentType.CENTER),
          ]),
          cell([
            line([text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, size: 12 })], AlignmentType.CENTER),
            line([text('Độc lập - Tự do - Hạnh phúc', { bold: true, underline: true })], AlignmentType.CENTER),
            line([text(placeAndDate(h.place, letter.date), { italics: true })], AlignmentType.RIGHT),
          ]),
        ],
      }),
    ],
  });
  const leads = letter.leads.flatMap((lead, i) => [
    line([
      text(`${i + 1}. [${lead.marketplace}] ${lead.title}`, { bold: true }),
      text(`${lead.shopName ? ` — ${lead.shopName}` : ''} (điểm rủi ro ${lead.score}, mã lead ${lead.leadId})`),
    ]),
    ...(lead.reasonsVi ? [line([text(`Dấu hiệu: ${lead.reasonsVi}`, { size: 11 })])] : []),
    line([text(lead.url ?? '(không có đường dẫn)', { size: 9, font: 'Courier New' })]),
    line([text(`Gói bằng chứng: ${lead.packName}`, { size: 9, font: 'Courier New' })]),
    line([
      text(`SHA-256${lead.hashOf === 'capture' ? ' (bản chụp)' : ''}: ${lead.sha256 ?? 'chưa thu thập bằng chứng'}`, {
        size: 9,
        font: 'Courier New',
      }),
    ]),
  ]);
  const foot = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          cell([
            line([text('Nơi nhận:', { bold: true, italics: true, size: 11 })]),
            line([text('- Như trên;', { size: 11 })]),
            line([text('- Lưu: VT.', { size: 11 })]),
          ]),
          cell([
            line([text(h.signerTitle.toUpperCase(), { bold: true })], AlignmentType.CENTER),
            line([text('(Ký, ghi rõ họ tên, đóng dấu)', { italics: true })], AlignmentType.CENTER),
            line([text('')]),
            line([text('')]),
            line([text(h.signerName, { bold: true })], AlignmentType.CENTER),
          ]),
        ],
      }),
    ],
  });
  const document = new Document({
    sections: [
      {
        properties: {
          page: {
            size: { width: convertMillimetersToTwip(210), height: convertMillimetersToTwip(297) },
            margin: {
              top: convertMillimetersToTwip(20),
              bottom: convertMillimetersToTwip(20),
              left: convertMillimetersToTwip(30),
              right: convertMillimetersToTwip(15),
            },
          },
        },
        children: [
          head,
          line([text(`Kính gửi: Ban Chỉ đạo chống buôn lậu, gian lận thương mại và hàng giả ${letter.province}`)], AlignmentType.CENTER),
          line([
            text(
              `Qua rà soát các sàn thương mại điện tử trong tuần ${letter.week.label}, ${h.sender} phát hiện ${letter.leads.length} tin đăng/cửa hàng có dấu hiệu kinh doanh hàng giả, hàng nhập lậu thuộc địa bàn ${letter.province}. Xin chuyển thông tin để quý cơ quan kiểm tra, xử lý theo thẩm quyền. Mỗi gói bằng chứng có chữ ký số và mã băm SHA-256; kiểm tra bằng lệnh radar leads verify-pack <gói>.`,
            ),
          ]),
          ...leads,
          line([text(`Đề nghị quý cơ quan thông báo kết quả xử lý về ${h.sender} để tổng hợp.`)]),
          foot,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
