import type { CompiledCatalog } from '../catalog.ts';

/**
 * Word sense for brand names that are also ordinary words: a "Puma" figurine, "Mango" dried fruit,
 * a "Jaguar" wildlife book, "Apple" cider vinegar, "Omega 3" fish oil. Such a mention counts only
 * when the product context supports it: the listing's category, or the brand's product words
 * (its catalogue product words, its reference-price keywords, its categories' words) in the title.
 */
export const COMMON_WORD_ALIASES = new Set([
  'apple',
  'puma',
  'mango',
  'jaguar',
  'coach',
  'pandora',
  'supreme',
  'royal',
  'galaxy',
  'ensure',
  'shell',
  'dove',
  'polo',
  'guess',
  'fossil',
  'omega',
  'jordan',
  'crocs',
  'vans',
  'converse',
  'kelly',
  'birkin',
  'tide',
  'camel',
  'lotus',
  'orchid',
  'bobby',
  'nan',
  'classic',
  'basic',
  'original',
  'kenzo',
  'mac',
  'lv',
  'ck',
  'nb',
  'armani',
  'esse',
  'honda',
]);

/** Words a marketplace category or a title uses for the brand's catalogue categories. */
const CATEGORY_WORDS: Record<string, string[]> = {
  fashion: ['thoi trang', 'quan ao', 'ao', 'quan', 'vay', 'dam', 'hoodie', 'jacket', 'so mi', 'blazer', 'polo', 'tee'],
  'shoes bags': ['giay', 'dep', 'sneaker', 'tui', 'vi', 'balo', 'bag', 'wallet', 'that lung'],
  'shoes-bags': ['giay', 'dep', 'sneaker', 'tui', 'vi', 'balo', 'bag', 'wallet', 'that lung'],
  cosmetics: ['sac dep', 'my pham', 'nuoc hoa', 'perfume', 'cham soc da', 'son', 'kem', 'serum', 'edp', 'edt'],
  electronics: ['dien thoai', 'may tinh', 'dien tu', 'tai nghe', 'loa', 'am thanh', 'smartphone', 'laptop', 'tablet'],
  chargers: ['sac', 'cap', 'adapter', 'charger', 'cu sac'],
  watches: ['dong ho', 'watch', 'automatic'],
  jewellery: ['trang suc', 'vong', 'lac', 'nhan', 'bong tai', 'day chuyen', 'charm'],
  milk: ['sua', 'sua bot', 'sua cong thuc'],
  baby: ['bim', 'ta', 'me be'],
  spirits: ['ruou', 'whisky', 'cognac', 'vodka'],
  tobacco: ['thuoc la', 'cay', 'goi'],
  auto: ['nhot', 'dau nhot', 'xe may', 'o to'],
  helmets: ['mu bao hiem', 'non bao hiem', 'mu', 'non', 'helmet'],
  medicine: ['thuoc', 'vien', 'vitamin', 'suc khoe'],
};

/** Padded category words of each brand, built once per compiled catalogue. */
const supportCache = new WeakMap<CompiledCatalog, Map<number, string[]>>();

function supportWords(catalog: CompiledCatalog, brand: number): string[] {
  let byBrand = supportCache.get(catalog);
  if (byBrand === undefined) supportCache.set(catalog, (byBrand = new Map<number, string[]>()));
  let words = byBrand.get(brand);
  if (words === undefined) {
    const compiled = catalog.brands[brand]!;
    const set = new Set(compiled.productWords);
    for (const category of compiled.categories) for (const word of CATEGORY_WORDS[category] ?? []) set.add(` ${word} `);
    words = [...set];
    byBrand.set(brand, words);
  }
  return words;
}

/** The alias as written needs context: it is an ordinary word, or the brand is marked `common_word`. */
export function needsSupport(catalog: CompiledCatalog, brand: number, aliasText: string): boolean {
  if (COMMON_WORD_ALIASES.has(aliasText)) return true;
  const compiled = catalog.brands[brand]!;
  if (!compiled.commonWord || aliasText.indexOf(' ') >= 0) return false;
  return aliasText === compiled.name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The title (" token token " form) or the folded category names one of the brand's product words.
 * `spacedTokens` must start and end with a space.
 */
export function contextSupports(catalog: CompiledCatalog, brand: number, spacedTokens: string, foldedCategory: string | null): boolean {
  const words = supportWords(catalog, brand);
  for (const word of words) {
    if (spacedTokens.includes(word)) return true;
  }
  if (foldedCategory) {
    const spacedCategory = ` ${foldedCategory.replace(/[^a-z0-9]+/g, ' ').trim()} `;
    for (const word of words) if (spacedCategory.includes(word)) return true;
  }
  return false;
}
