/** Vietnamese addresses, phone numbers and tax codes for generated shops. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Draw } from './rng.ts';
import { stripDiacritics } from './text.ts';

const AdminTableSchema = z.object({
  newProvinces: z.array(z.object({ name: z.string(), wards: z.array(z.string()).min(1) })).min(1),
  oldProvinces: z.array(
    z.object({ name: z.string(), districts: z.array(z.object({ name: z.string(), wards: z.array(z.string()).min(1) })).min(1) }),
  ),
  foreignWards: z.array(z.object({ province: z.string(), wards: z.array(z.string()).min(1) })),
});
type AdminTable = z.infer<typeof AdminTableSchema>;

let table: AdminTable | undefined;
/** The derived admin-unit table (see data/build-admin-table.ts), read once. */
export function adminTable(): AdminTable {
  table ??= AdminTableSchema.parse(JSON.parse(readFileSync(new URL('./data/admin-units.json', import.meta.url), 'utf8')));
  return table;
}

const STREETS = [
  'Lê Lợi',
  'Nguyễn Trãi',
  'Trần Hưng Đạo',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Nguyễn Huệ',
  'Phan Đình Phùng',
  'Quang Trung',
  'Hùng Vương',
  'Lê Duẩn',
  'Điện Biên Phủ',
  'Cách Mạng Tháng Tám',
  'Nguyễn Văn Cừ',
  'Võ Thị Sáu',
];
const HAMLETS = ['Thôn 3', 'Ấp Bình An', 'Xóm Đông', 'Thôn Trung', 'Ấp 2', 'Tổ 5'];

/** Short label as marketplaces show a province: "Thành phố Hồ Chí Minh" → "TP. Hồ Chí Minh", "Tỉnh Nghệ An" → "Nghệ An". */
export function provinceLabel(fullName: string): string {
  if (fullName === 'Thành phố Hồ Chí Minh') return 'TP. Hồ Chí Minh';
  return fullName.replace(/^(Thành phố|Tỉnh)\s+/u, '');
}

function provinceWritten(fullName: string, d: Draw): string {
  const label = provinceLabel(fullName);
  if (fullName === 'Thành phố Hồ Chí Minh') return d.pick(['TP. Hồ Chí Minh', 'TP.HCM', 'HCM', 'Tp Hồ Chí Minh', 'TPHCM', 'Sài Gòn']);
  if (fullName === 'Thành phố Hà Nội') return d.pick(['Hà Nội', 'HN', 'TP. Hà Nội', 'Thành phố Hà Nội']);
  if (fullName.startsWith('Thành phố')) return d.pick([label, `TP. ${label}`, fullName]);
  return d.pick([label, fullName, `T. ${label}`]);
}

function unitWritten(name: string, d: Draw): string {
  if (!d.chance(0.6)) return name;
  return name
    .replace(/^Phường\s+/u, d.pick(['P. ', 'P.', 'F. ']))
    .replace(/^Quận\s+/u, d.pick(['Q. ', 'Q.']))
    .replace(/^Huyện\s+/u, 'H. ')
    .replace(/^Thị xã\s+/u, 'TX. ')
    .replace(/^Thị trấn\s+/u, 'TT. ')
    .replace(/^Xã\s+/u, d.pick(['X. ', 'xã ']))
    .replace(/^Thành phố\s+/u, d.pick(['TP. ', 'Tp ']));
}

function streetPart(d: Draw): string {
  return d.chance(0.8)
    ? `${d.pick(['', 'Số '])}${d.int(1, 399)}${d.chance(0.2) ? `/${d.int(2, 40)}` : ''} ${d.pick(STREETS)}`
    : d.pick(HAMLETS);
}

/** Sellers write addresses with and without diacritics, sometimes in NFD or lower case. */
function writtenForm(address: string, d: Draw): string {
  const roll = d.next();
  if (roll < 0.12) return stripDiacritics(address);
  if (roll < 0.22) return address.normalize('NFD');
  if (roll < 0.27) return address.toLowerCase();
  return address;
}

export interface GeneratedAddress {
  address: string;
  /** Province label the marketplace would show, in the scheme the shop registered under. */
  declaredLocation: string;
}

/** A full, valid address in the old (3-level) or new (2-level) scheme. */
export function validAddress(d: Draw): GeneratedAddress {
  const admin = adminTable();
  if (d.chance(0.5)) {
    const province = d.pick(admin.oldProvinces);
    const district = d.pick(province.districts);
    const ward = d.pick(district.wards);
    const text = `${streetPart(d)}, ${unitWritten(ward, d)}, ${unitWritten(district.name, d)}, ${provinceWritten(province.name, d)}`;
    return { address: writtenForm(text, d), declaredLocation: provinceLabel(province.name) };
  }
  const province = d.pick(admin.newProvinces);
  const ward = d.pick(province.wards);
  const text = `${streetPart(d)}, ${unitWritten(ward, d)}, ${provinceWritten(province.name, d)}`;
  return { address: writtenForm(text, d), declaredLocation: provinceLabel(province.name) };
}

/** A street and a ward that really exists elsewhere, stated with a province that has no such ward. */
export function wardMismatchAddress(d: Draw): GeneratedAddress {
  const admin = adminTable();
  const entry = d.pick(admin.foreignWards);
  const ward = d.pick(entry.wards);
  const text = `${streetPart(d)}, ${d.pick(['Phường ', 'P. ', 'Xã '])}${ward}, ${provinceWritten(entry.province, d)}`;
  return { address: writtenForm(text, d), declaredLocation: provinceLabel(entry.province) };
}

export const PLACEHOLDERS = ['Toàn quốc', 'Kho Quảng Châu', 'Hàng order', 'Ship COD toàn quốc', 'Việt Nam', 'Liên hệ Zalo', 'Inbox shop'];
export const OVERSEAS = ['Nước ngoài', 'Quốc tế', 'Quảng Châu, Trung Quốc', 'Kho nước ngoài'];

export function provinceOnly(d: Draw): GeneratedAddress {
  const province = d.pick(adminTable().newProvinces);
  return { address: provinceWritten(province.name, d), declaredLocation: provinceLabel(province.name) };
}

export function randomProvinceLabel(d: Draw): string {
  return provinceLabel(d.pick(adminTable().newProvinces).name);
}

/** A 10-digit mobile number, in the raw form it would be written (spaces, dots, +84). */
export function mobileDigits(d: Draw): string {
  const prefix = d.pick(['03', '05', '07', '08', '09']);
  let rest = '';
  for (let k = 0; k < 8; k++) rest += String(d.int(0, 9));
  return `${prefix}${rest}`;
}

export function writePhone(digits: string, d: Draw): string {
  const national = digits.slice(1);
  switch (d.int(0, 4)) {
    case 0:
      return digits;
    case 1:
      return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`;
    case 2:
      return `+84 ${national}`;
    case 3:
      return `84${national}`;
    default:
      return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
  }
}

const TAX_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The check digit of a 10-digit tax code, or null when the first nine digits admit none (result 10). */
export function taxCheckDigit(first9: string): number | null {
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += TAX_WEIGHTS[k]! * Number(first9[k]);
  const check = 10 - (sum % 11);
  return check === 10 ? null : check;
}

/** A tax code with a valid check digit, or (valid=false) one whose 10th digit is wrong. */
export function taxCode(d: Draw, valid: boolean): string {
  for (;;) {
    let first9 = d.pick(['01', '03', '02', '04', '08']);
    while (first9.length < 9) first9 += String(d.int(0, 9));
    const check = taxCheckDigit(first9);
    if (check === null) continue;
    const digit = valid ? check : (check + d.int(1, 9)) % 10;
    const code = `${first9}${digit}`;
    return valid && d.chance(0.15) ? `${code}-00${d.int(1, 9)}` : code;
  }
}
