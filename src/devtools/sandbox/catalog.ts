/** Brands and product groups the sandbox sells, with realistic Vietnamese retail prices (VND). */

/** The sandbox's category slugs, as used in every skin's category filters (see ROUTES.md). */
export const CATEGORIES = [
  'fashion',
  'shoes-bags',
  'cosmetics',
  'helmets',
  'chargers',
  'milk-supplements',
  'household',
  'electronics',
  'books',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const HIGH_RISK: ReadonlySet<Category> = new Set(['fashion', 'shoes-bags', 'cosmetics', 'helmets', 'chargers', 'milk-supplements']);

/** Vietnamese display names of the categories (Tiki/Sendo/TikTok show names, not slugs). */
export const CATEGORY_NAMES: Record<Category, string> = {
  fashion: 'Thời trang',
  'shoes-bags': 'Giày dép & Túi xách',
  cosmetics: 'Mỹ phẩm & Nước hoa',
  helmets: 'Mũ bảo hiểm',
  chargers: 'Sạc & Cáp',
  'milk-supplements': 'Sữa bột & Thực phẩm chức năng',
  household: 'Nhà cửa & Đời sống',
  electronics: 'Điện tử',
  books: 'Sách',
};

export interface Product {
  /** Title stem, with the brand in it exactly once as `brand` spells it. */
  name: string;
  brand: string;
  category: Category;
  /** Typical official retail price in VND. */
  retail: number;
  /** Brands that counterfeiters copy; unbranded or low-value goods are not. */
  copied: boolean;
}

const p = (name: string, brand: string, category: Category, retail: number, copied = true): Product => ({
  name,
  brand,
  category,
  retail,
  copied,
});

export const PRODUCTS: readonly Product[] = [
  p('Áo thun Nike Sportswear Club', 'Nike', 'fashion', 750_000),
  p('Áo khoác Adidas Essentials 3 Sọc', 'Adidas', 'fashion', 1_400_000),
  p('Áo polo Lacoste Classic Fit', 'Lacoste', 'fashion', 2_650_000),
  p("Quần jean Levi's 511 Slim", "Levi's", 'fashion', 1_800_000),
  p('Áo sơ mi Gucci họa tiết GG', 'Gucci', 'fashion', 19_500_000),
  p('Áo thun Uniqlo U Crew Neck', 'Uniqlo', 'fashion', 390_000, false),
  p("Giày Nike Air Force 1 '07", 'Nike', 'shoes-bags', 2_930_000),
  p('Giày Adidas Ultraboost Light', 'Adidas', 'shoes-bags', 4_200_000),
  p('Giày Converse Chuck Taylor All Star', 'Converse', 'shoes-bags', 1_600_000),
  p('Túi Gucci GG Marmont Mini', 'Gucci', 'shoes-bags', 52_000_000),
  p('Túi Louis Vuitton Neverfull MM', 'Louis Vuitton', 'shoes-bags', 48_500_000),
  p('Túi Chanel Classic Flap', 'Chanel', 'shoes-bags', 230_000_000),
  p('Ví Coach Long Zip', 'Coach', 'shoes-bags', 4_900_000),
  p('Nước hoa Chanel No.5 EDP 100ml', 'Chanel', 'cosmetics', 4_500_000),
  p('Nước hoa Dior Sauvage EDT 100ml', 'Dior', 'cosmetics', 3_200_000),
  p('Son MAC Matte Lipstick Ruby Woo', 'MAC', 'cosmetics', 590_000),
  p('Kem chống nắng La Roche-Posay Anthelios 50ml', 'La Roche-Posay', 'cosmetics', 495_000),
  p('Serum Estée Lauder Advanced Night Repair 50ml', 'Estée Lauder', 'cosmetics', 3_300_000),
  p('Sữa rửa mặt Cetaphil Gentle 500ml', 'Cetaphil', 'cosmetics', 385_000),
  p('Mũ bảo hiểm Royal M139 3/4', 'Royal', 'helmets', 450_000),
  p('Mũ bảo hiểm Andes 3/4 đầu', 'Andes', 'helmets', 350_000),
  p('Mũ bảo hiểm AGV K1 Fullface', 'AGV', 'helmets', 6_500_000),
  p('Mũ bảo hiểm Asia MT-105 nửa đầu', 'Asia', 'helmets', 280_000),
  p('Mũ bảo hiểm Napoli N120 nửa đầu', 'Napoli', 'helmets', 172_000),
  p('Củ sạc Apple 20W USB-C', 'Apple', 'chargers', 550_000),
  p('Cáp Apple USB-C to Lightning 1m', 'Apple', 'chargers', 490_000),
  p('Sạc nhanh Samsung 25W Type-C', 'Samsung', 'chargers', 390_000),
  p('Sạc dự phòng Anker PowerCore 10000mAh', 'Anker', 'chargers', 650_000),
  p('Cáp Anker PowerLine III USB-C 1.8m', 'Anker', 'chargers', 290_000),
  p('Sữa bột Similac Eye-Q 4 1.7kg', 'Similac', 'milk-supplements', 820_000),
  p('Sữa bột Enfamil A+ số 1 830g', 'Enfamil', 'milk-supplements', 585_000),
  p('Sữa Aptamil Úc số 1 900g', 'Aptamil', 'milk-supplements', 750_000),
  p('Sữa Ensure Gold hương vani 850g', 'Ensure', 'milk-supplements', 860_000),
  p('Viên uống dầu cá Blackmores Fish Oil 1000mg 400 viên', 'Blackmores', 'milk-supplements', 560_000),
  p('Vitamin tổng hợp Centrum Adults 100 viên', 'Centrum', 'milk-supplements', 620_000),
  p('Nồi cơm điện Sunhouse 1.8L SHD8602', 'Sunhouse', 'household', 690_000, false),
  p('Chảo chống dính Lock&Lock 26cm', 'Lock&Lock', 'household', 420_000, false),
  p('Bình giữ nhiệt Lock&Lock 500ml', 'Lock&Lock', 'household', 350_000, false),
  p('Quạt đứng Điện Cơ Thống Nhất 16 inch', 'Thống Nhất', 'household', 560_000, false),
  p('Tai nghe Sony WH-1000XM5', 'Sony', 'electronics', 7_990_000),
  p('Chuột không dây Logitech M331 Silent', 'Logitech', 'electronics', 350_000, false),
  p('Loa Bluetooth JBL Flip 6', 'JBL', 'electronics', 2_690_000),
  p('Sách Nhà Giả Kim - Paulo Coelho', 'Nhã Nam', 'books', 79_000, false),
  p('Sách Đắc Nhân Tâm (bìa cứng)', 'First News', 'books', 86_000, false),
];

export const COPIED_PRODUCTS = PRODUCTS.filter((x) => x.copied && HIGH_RISK.has(x.category));

/** Compatibility accessories: a brand name that names the device, not the maker. */
export const COMPATIBILITY_TITLES: readonly { title: string; category: Category; retail: number; device: string }[] = [
  { title: 'Ốp lưng cho iPhone 15 Pro Max silicon chống sốc', category: 'electronics', retail: 59_000, device: 'iPhone' },
  { title: 'Sạc cho Samsung Galaxy 25W cổng Type-C', category: 'chargers', retail: 89_000, device: 'Samsung' },
  { title: 'Dây đeo cho Apple Watch 41mm vải dù', category: 'fashion', retail: 75_000, device: 'Apple Watch' },
  { title: 'Miếng dán cường lực cho iPhone 14', category: 'electronics', retail: 35_000, device: 'iPhone' },
  { title: 'Hộp đựng giày tương thích giày Nike size lớn', category: 'household', retail: 45_000, device: 'Nike' },
  { title: 'Cáp sạc cho Samsung Galaxy S23 dài 1m', category: 'chargers', retail: 49_000, device: 'Samsung' },
];

/** Cheap, unbranded, honest goods. */
export const CHEAP_HONEST_TITLES: readonly { title: string; category: Category; retail: number }[] = [
  { title: 'Áo thun cotton trơn unisex form rộng', category: 'fashion', retail: 69_000 },
  { title: 'Dép quai ngang nam nữ đế êm', category: 'shoes-bags', retail: 39_000 },
  { title: 'Túi vải canvas đeo vai in chữ', category: 'shoes-bags', retail: 55_000 },
  { title: 'Mũ bảo hiểm nửa đầu trẻ em có tem CR', category: 'helmets', retail: 95_000 },
  { title: 'Cáp sạc Type-C bọc dù 1m không thương hiệu', category: 'chargers', retail: 29_000 },
  { title: 'Khăn mặt cotton 30x50cm', category: 'household', retail: 15_000 },
  { title: 'Son dưỡng môi thiên nhiên handmade', category: 'cosmetics', retail: 45_000 },
  { title: 'Bột ngũ cốc dinh dưỡng 500g', category: 'milk-supplements', retail: 89_000 },
  { title: 'Vở kẻ ngang 200 trang', category: 'books', retail: 18_000 },
];
