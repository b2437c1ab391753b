import { UserError } from '../../core/errors.ts';
import { foldText } from '../../leads/list.ts';

/** One of the 34 provinces of the July 2025 scheme, with its place on the console's tile grid. */
export interface Province {
  code: number;
  name: string;
  /** Tile grid position: north at row 0, west at column 0. */
  row: number;
  col: number;
  /** Short label for a tile. */
  short: string;
}

// A tile grid keeps every province the same size, so small cities stay readable (a map would hide Huế).
export const PROVINCES: readonly Province[] = [
  { code: 12, name: 'Tỉnh Lai Châu', row: 0, col: 1, short: 'Lai Châu' },
  { code: 15, name: 'Tỉnh Lào Cai', row: 0, col: 2, short: 'Lào Cai' },
  { code: 8, name: 'Tỉnh Tuyên Quang', row: 0, col: 3, short: 'Tuyên Quang' },
  { code: 4, name: 'Tỉnh Cao Bằng', row: 0, col: 4, short: 'Cao Bằng' },
  { code: 11, name: 'Tỉnh Điện Biên', row: 1, col: 0, short: 'Điện Biên' },
  { code: 14, name: 'Tỉnh Sơn La', row: 1, col: 1, short: 'Sơn La' },
  { code: 19, name: 'Tỉnh Thái Nguyên', row: 1, col: 3, short: 'Thái Nguyên' },
  { code: 20, name: 'Tỉnh Lạng Sơn', row: 1, col: 4, short: 'Lạng Sơn' },
  { code: 25, name: 'Tỉnh Phú Thọ', row: 2, col: 1, short: 'Phú Thọ' },
  { code: 1, name: 'Thành phố Hà Nội', row: 2, col: 2, short: 'Hà Nội' },
  { code: 24, name: 'Tỉnh Bắc Ninh', row: 2, col: 3, short: 'Bắc Ninh' },
  { code: 22, name: 'Tỉnh Quảng Ninh', row: 2, col: 4, short: 'Quảng Ninh' },
  { code: 37, name: 'Tỉnh Ninh Bình', row: 3, col: 2, short: 'Ninh Bình' },
  { code: 33, name: 'Tỉnh Hưng Yên', row: 3, col: 3, short: 'Hưng Yên' },
  { code: 31, name: 'Thành phố Hải Phòng', row: 3, col: 4, short: 'Hải Phòng' },
  { code: 38, name: 'Tỉnh Thanh Hóa', row: 4, col: 2, short: 'Thanh Hóa' },
  { code: 40, name: 'Tỉnh Nghệ An', row: 5, col: 2, short: 'Nghệ An' },
  { code: 42, name: 'Tỉnh Hà Tĩnh', row: 6, col: 3, short: 'Hà Tĩnh' },
  { code: 44, name: 'Tỉnh Quảng Trị', row: 7, col: 3, short: 'Quảng Trị' },
  { code: 46, name: 'Thành phố Huế', row: 8, col: 4, short: 'Huế' },
  { code: 48, name: 'Thành phố Đà Nẵng', row: 9, col: 4, short: 'Đà Nẵng' },
  { code: 52, name: 'Tỉnh Gia Lai', row: 10, col: 3, short: 'Gia Lai' },
  { code: 51, name: 'Tỉnh Quảng Ngãi', row: 10, col: 4, short: 'Quảng Ngãi' },
  { code: 66, name: 'Tỉnh Đắk Lắk', row: 11, col: 3, short: 'Đắk Lắk' },
  { code: 56, name: 'Tỉnh Khánh Hòa', row: 11, col: 4, short: 'Khánh Hòa' },
  { code: 68, name: 'Tỉnh Lâm Đồng', row: 12, col: 3, short: 'Lâm Đồng' },
  { code: 80, name: 'Tỉnh Tây Ninh', row: 13, col: 1, short: 'Tây Ninh' },
  { code: 79, name: 'Thành phố Hồ Chí Minh', row: 13, col: 2, short: 'TP.HCM' },
  { code: 75, name: 'Tỉnh Đồng Nai', row: 13, col: 3, short: 'Đồng Nai' },
  { code: 91, name: 'Tỉnh An Giang', row: 14, col: 0, short: 'An Giang' },
  { code: 82, name: 'Tỉnh Đồng Tháp', row: 14, col: 1, short: 'Đồng Tháp' },
  { code: 86, name: 'Tỉnh Vĩnh Long', row: 14, col: 2, short: 'Vĩnh Long' },
  { code: 92, name: 'Thành phố Cần Thơ', row: 15, col: 1, short: 'Cần Thơ' },
  { code: 96, name: 'Tỉnh Cà Mau', row: 16, col: 1, short: 'Cà Mau' },
];

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));
const ABBREVIATIONS: Record<string, number> = { hcm: 79, tphcm: 79, 'tp.hcm': 79, sg: 79, saigon: 79, hn: 1, dn: 48, hp: 31, ct: 92 };

export function provinceByCode(code: number): Province | undefined {
  return BY_CODE.get(code);
}

const bare = (name: string) => foldText(name).replace(/^(tinh|thanh pho)\s+/, '');

/** A province from its code, its name (accents optional, "Tỉnh"/"Thành phố" optional) or a common abbreviation. */
export function resolveProvince(text: string): Province {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const p = BY_CODE.get(Number(t));
    if (p) return p;
  } else {
    const folded = foldText(t).replace(/\s+/g, ' ');
    const abbreviated = ABBREVIATIONS[folded.replace(/\s/g, '')];
    if (abbreviated !== undefined) return BY_CODE.get(abbreviated)!;
    const exact = PROVINCES.find((p) => foldText(p.name) === folded || bare(p.name) === bare(folded));
    if (exact) return exact;
    const partial = PROVINCES.filter((p) => foldText(p.name).includes(folded));
    if (partial.length === 1) return partial[0]!;
  }
  throw new UserError(`unknown province "${text}"; use a 2025 province name or code, e.g. "Hà Nội", "79" or "hcm"`);
}
