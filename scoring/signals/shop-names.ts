import { foldKey } from '../text/normalize.ts';

/**
 * Words any shop may put in its name (folded, no diacritics): trade words, product kinds, places and
 * marketing filler. A name made only of these and digits ("Phụ Kiện Điện Thoại 247", "Kho Sỉ Hàng Hiệu 68")
 * is chosen by thousands of unrelated sellers, so it identifies nobody.
 */
const COMMON_WORDS = new Set(
  `shop store stores official flagship mall house home center centre outlet market mart plaza gallery studio corner
   online offline sale sales deal deals hot new best top good big super mega pro plus vip max mini one
   kho tong si le buon ban hang hieu hanghieu gia re tot xuong chuyen cao cap chinh hang chat luong uy tin
   phu kien dien thoai may tinh so cong nghe my pham thoi trang giay dep tui xach vi ao quan mu non bao hiem
   dong ho nuoc hoa sua me be do choi gia dung tap hoa bach sieu thi cua nha sach van phong pham
   noi dia order quang chau xach tay nhap khau vnxk auth authentic rep fake like replica sneaker sneakers
   tao samsung iphone apple oppo xiaomi case op lung sac cap tai nghe loa
   khuyen mai giam moi ngay hoi xin dep xinh cute
   vn viet nam vietnam sai gon saigon ha noi hanoi hn hcm tphcm sg tp da nang hai phong can tho mien bac nam trung
   the gioi thegioi di cong ty tnhh co ltd jsc trading company group global asia international express
   fashion beauty cosmetics cosmetic perfume phone mobile accessories accessory tech digital kids baby shoes bags
   the and of by for goc nho tiem`.split(/\s+/).filter(Boolean),
);

/** Whether a shop name is only common words and digits (see {@link COMMON_WORDS}); an empty name is generic too. */
export function isGenericShopName(name: string): boolean {
  const words = foldKey(name).split(/[^a-z0-9]+/);
  for (const word of words) {
    if (word === '' || /^\d+$/.test(word)) continue;
    // "Store247" or "shop88": a common word glued to digits is still common.
    const letters = word.replace(/\d+$/, '').replace(/^\d+/, '');
    if (!COMMON_WORDS.has(letters)) return false;
  }
  return true;
}
