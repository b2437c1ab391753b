/**
 * The address and landline a seller writes into its own text (a shop description: "Địa chỉ: 12 Lê Lợi,
 * P. Bến Thành, Q.1, TP.HCM — ĐT: 028 3822 1234"). Decree 85/2021 makes sellers publish their address and
 * contact, and many do so only there. Only labelled values count: a bare number or place in a
 * description may be a brand's hotline, a warranty centre or a delivery area, not the seller.
 */
import { str } from './common.ts';

/** Longest address kept: a real one is well under this; more is a run-on description. */
const MAX_ADDRESS = 160;
const MIN_ADDRESS = 6;

/**
 * Labels that introduce the seller's own address, followed by ":" (or "-"). "Địa chỉ bảo hành" (a
 * warranty centre) and "địa chỉ nhận hàng" (the buyer's) do not match: a word stands between label and colon.
 */
const ADDRESS_LABEL =
  /(?:^|[^\p{L}\p{N}])(?:địa chỉ(?: (?:shop|cửa hàng|kho|showroom|văn phòng|công ty))?|dia chi(?: (?:shop|cua hang|kho))?|đ\/c|đc|address|add)\s*[:：]\s*/giu;
/** Where a labelled address ends: a line break or list bullet, or the next contact label. */
const ADDRESS_END =
  /[\n\r|;•]|\s[-–—]\s|(?<![\p{L}\p{N}])(?:ĐT|SĐT|SDT|Tel|Điện thoại|Hotline|Zalo|Email|MST|Mã số thuế|Website|Fanpage|Facebook)(?![\p{L}\p{N}])/iu;

/** Labels that introduce the seller's own phone number. */
const PHONE_LABEL = /(?:^|[^\p{L}\p{N}])(?:điện thoại|đt|sđt|sdt|dt|tel|phone|liên hệ)\s*[:：.]?\s*/giu;
/** A number as written right after the label: digits with spaces, dots, dashes or parentheses, optional +84. */
const PHONE_TEXT = /^\+?\(?\d[\d\s.\-()]{8,18}\d/u;

function normalised(value: unknown): string | null {
  const text = str(value);
  return text ? text.normalize('NFC') : null;
}

/** The first labelled address in a seller's text, trimmed; null when there is none. */
export function addressFromText(value: unknown): string | null {
  const text = normalised(value);
  if (!text) return null;
  for (const label of text.matchAll(ADDRESS_LABEL)) {
    const rest = text.slice(label.index + label[0].length);
    const end = ADDRESS_END.exec(rest);
    const address = (end ? rest.slice(0, end.index) : rest).replace(/\s+/gu, ' ').replace(/^[\s,.:\-–]+|[\s,.:\-–]+$/gu, '');
    if (address.length >= MIN_ADDRESS && address.length <= MAX_ADDRESS && /\p{L}/u.test(address)) return address;
  }
  return null;
}

/**
 * The first labelled Vietnamese landline (02x, 11 digits with the trunk 0) in a seller's text, as
 * written; null when there is none. Mobiles (03/05/07/08/09) and 1800/1900 hotlines carry no place.
 */
export function landlineFromText(value: unknown): string | null {
  const text = normalised(value);
  if (!text) return null;
  for (const label of text.matchAll(PHONE_LABEL)) {
    const written = PHONE_TEXT.exec(text.slice(label.index + label[0].length))?.[0];
    if (written && isLandline(written)) return written.trim();
  }
  return null;
}

/** "028 3822 1234", "+84 24 3825 1234", "(0236) 382.1234": a trunk 0 (or +84), then 2 and nine digits. */
export function isLandline(written: string): boolean {
  const digits = written.replace(/[\s.\-()]/gu, '');
  if (!/^\+?\d+$/u.test(digits)) return false;
  const national = digits.startsWith('+84')
    ? digits.slice(3)
    : digits.startsWith('84') && digits.length === 12
      ? digits.slice(2)
      : digits.startsWith('0')
        ? digits.slice(1)
        : null;
  return national !== null && /^2\d{9}$/u.test(national);
}
