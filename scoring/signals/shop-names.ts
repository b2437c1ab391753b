import { foldKey } from '../text/normalize.ts';

/**
 * Words any shop may put in its name (folded, no diacritics): trade words, product kinds and marketing
 * filler. A name made only of these, the phrases below and digits ("Phụ Kiện Điện Thoại 247", "Kho Sỉ
 * Hàng Hiệu 68") is chosen by thousands of unrelated sellers, so it identifies nobody. Syllables that
 * are also given names or places (Quang, Hải, Hòa, Mỹ, Bảo…) count only inside a phrase.
 */
const COMMON_WORDS = new Set(
  `shop store stores official flagship mall house home center centre outlet market mart plaza gallery studio corner
   online offline sale sales deal deals hot new best top good big super mega pro plus vip max mini one
   kho tong si le buon ban hang hieu hanghieu gia re tot xuong chuyen cao cap chinh luong
   phu kien dien thoai may tinh so cong nghe pham thoi trang giay dep tui xach mu non
   me be va sua tao choi dung cua nha sach order outlet vnxk auth authentic rep fake like replica sneaker sneakers
   iphone samsung oppo xiaomi op lung sac tai nghe loa khuyen mai giam moi ngay hoi xin xinh cute
   vn vietnam saigon hanoi hn hcm tphcm sg tp
   tnhh co ltd jsc trading company group global asia international express
   fashion beauty cosmetics cosmetic perfume phone mobile accessories accessory tech digital kids baby shoes bags
   the and of by for goc nho tiem`
    .split(/\s+/)
    .filter(Boolean),
);

/** Common phrases whose syllables alone may be names or places. */
const COMMON_PHRASES = new RegExp(
  `\\b(?:${[
    'quang chau',
    'sai gon',
    'ha noi',
    'viet nam',
    'da nang',
    'hai phong',
    'can tho',
    'mien bac',
    'mien nam',
    'mien trung',
    'noi dia',
    'xach tay',
    'nhap khau',
    'the gioi',
    'cong ty',
    'my pham',
    'nuoc hoa',
    'tap hoa',
    'bach hoa',
    'sieu thi',
    'dong ho',
    'do choi',
    'do cu',
    'quan ao',
    'bao hiem',
    'uy tin',
    'chat luong',
    'van phong',
    'gia dung',
    'thoi trang',
    'tre em',
    'vi da',
  ].join('|')})\\b`,
  'g',
);

/** Whether a shop name is only common words and digits (see {@link COMMON_WORDS}); an empty name is generic too. */
export function isGenericShopName(name: string): boolean {
  const words = foldKey(name)
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(COMMON_PHRASES, ' ')
    .split(' ');
  for (const word of words) {
    if (word === '' || /^\d+$/.test(word)) continue;
    // "Store247" or "shop88": a common word glued to digits is still common.
    const letters = word.replace(/\d+$/, '').replace(/^\d+/, '');
    if (!COMMON_WORDS.has(letters)) return false;
  }
  return true;
}
