import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MarketplaceSchema } from '../src/core/domain/records.ts';
import { inferPriceGroup, PRICE_GROUP_NAMES, type PriceGroup } from './signals/price-groups.ts';
import { COMMON_WORD_ALIASES } from './signals/sense.ts';
import { foldKey, tokenize } from './text/normalize.ts';

/** One product group's retail price for a brand: `match` is keywords separated by "|" (any may match the title). */
export const ReferencePriceSchema = z
  .object({
    match: z.string().min(1).max(300),
    min_vnd: z.number().int().positive(),
    typical_vnd: z.number().int().positive(),
    /**
     * Product group with its own price floor (see `PRICE_GROUPS` in signals/price-groups.ts):
     * consumables and regulated goods, luxury. Inferred from the brand's categories when absent.
     */
    group: z.enum(PRICE_GROUP_NAMES).optional(),
    /** Pack size the price is for ("900g", "500ml", "1l"): a listing of another size is compared pro rata. */
    size: z
      .string()
      .regex(/^\d+(?:[.,]\d+)?\s*(?:ml|l|g|kg)$/i, 'size must look like 900g, 500ml, 1l or 2kg')
      .optional(),
  })
  .refine((row) => row.typical_vnd >= row.min_vnd, { message: 'typical_vnd must be at least min_vnd' });

export const CatalogBrandSchema = z.object({
  name: z.string().min(1).max(200),
  aliases: z.array(z.string().min(1).max(200)).default([]),
  categories: z.array(z.string().min(1).max(100)).default([]),
  /** Premium brands count towards "a non-official shop selling many premium brands". */
  premium: z.boolean().default(true),
  /**
   * The brand's name is also an ordinary word ("Apple", "Puma", "Mango", "Jaguar"): a mention needs
   * support from the product context. A built-in list covers the usual ones (see signals/sense.ts).
   */
  common_word: z.boolean().optional(),
  /** Product words that support a mention of a common-word brand, besides its reference-price keywords. */
  product_words: z.array(z.string().min(1).max(100)).default([]),
  official_shops: z.array(z.object({ marketplace: MarketplaceSchema, shop_id: z.coerce.string().min(1) })).default([]),
  reference_prices: z.array(ReferencePriceSchema).default([]),
});

export const CatalogFileSchema = z.object({ brands: z.array(CatalogBrandSchema) });
export type CatalogBrand = z.infer<typeof CatalogBrandSchema>;
export type CatalogFile = z.infer<typeof CatalogFileSchema>;

/** Reads a JSON or YAML catalogue and validates it; throws an Error naming the file and the bad field. */
export function loadCatalogFile(path: string): CatalogFile {
  const text = readFileSync(path, 'utf8');
  return parseCatalogText(text, path);
}

export function parseCatalogText(text: string, source = 'catalogue'): CatalogFile {
  let data: unknown;
  try {
    data = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON or YAML: ${(error as Error).message}`, { cause: error });
  }
  const parsed = CatalogFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${source}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The default catalogue shipped with the repo. */
export const STARTER_CATALOG_PATH = new URL('../catalog/brands.starter.yaml', import.meta.url);

export function loadStarterCatalog(): CatalogFile {
  return parseCatalogText(readFileSync(STARTER_CATALOG_PATH, 'utf8'), 'catalog/brands.starter.yaml');
}

export interface CompiledReferencePrice {
  match: string;
  /** Folded keyword phrases padded with spaces (" air force 1 "), matched against " token token ". */
  keywords: string[];
  minVnd: number;
  typicalVnd: number;
  /** Product group (given or inferred), or null for ordinary goods. */
  group: PriceGroup | null;
  /** Pack size the price is for, in ml or g; null when not given. */
  sizeAmount: number | null;
  sizeUnit: 'ml' | 'g' | null;
  /** The keyword of `keywords` that matched a title (folded, unpadded); "*" for the fallback. */
  matched: string;
  /** The same row once per keyword, with `matched` set: returned by `matchReference` without allocating. */
  byKeyword: CompiledReferencePrice[];
}

export interface CompiledBrand {
  index: number;
  name: string;
  premium: boolean;
  categories: string[];
  /** In file order; `matchReference` picks the row whose matching keyword is longest. A "*" row is the brand-wide fallback. */
  referencePrices: CompiledReferencePrice[];
  fallbackPrice: CompiledReferencePrice | null;
  /** Added from a listing's `brand` field, not from the catalogue: no typo matching, no stated-brand mismatch. */
  borrowed: boolean;
  /** The brand's own name is an ordinary word (given or from the built-in list). */
  commonWord: boolean;
  /** Folded product words that support a mention (product_words and reference keywords), padded " w ". */
  productWords: string[];
}

/** The catalogue turned into lookup tables, built once per run. */
export interface CompiledCatalog {
  brands: CompiledBrand[];
  /** Single-token aliases, folded ("nike", "louisvuitton"). */
  tokenAliases: Map<string, number>;
  /** Multi-token aliases keyed by their tokens joined with a space ("louis vuitton"). */
  phraseAliases: Map<string, number>;
  /** First tokens of multi-token aliases, with the longest phrase length, to skip most n-gram joins. */
  phraseStarts: Map<string, number>;
  /** Every alias with one character deleted (and the alias itself), for one-typo matches. */
  typoAliases: Map<string, number>;
  /**
   * Official shops and authorised sellers: shop id → "brandIndex|marketplace" of each grant. Keyed by
   * the shop id alone because every listing asks, and most shops are in no grant at all.
   */
  authorised: Map<string, string[]>;
  /** Folded stated-brand text → brand. */
  byName: Map<string, number>;
  /** Raw stated-brand text → brand, filled as listings are scored. */
  statedCache: Map<string, number>;
}

/** Aliases shorter than this are matched only exactly: short words collide with ordinary text. */
const MIN_TYPO_TOKEN = 5;
/** Aliases this long take part in typo matching (a 5-letter token one letter off "nike" still counts). */
const MIN_TYPO_ALIAS = 4;
/** English and Vietnamese words one typo away from a brand that must not be read as that brand. */
const TYPO_STOPWORDS = new Set([
  'apply',
  'channel',
  'ankle',
  'protect',
  'ensue',
  'evans',
  'diora',
  'vanse',
  'vanity',
  'sample',
  'simple',
  'chance',
  'panda',
  'couch',
  'prado',
  'carrier',
  'berries',
  'hobby',
  'lobby',
  'motel',
  'manga',
  'tango',
  'chancel',
  'classy',
]);

export function compileCatalog(file: CatalogFile): CompiledCatalog {
  const compiled: CompiledCatalog = {
    brands: [],
    tokenAliases: new Map(),
    phraseAliases: new Map(),
    phraseStarts: new Map(),
    typoAliases: new Map(),
    authorised: new Map(),
    byName: new Map(),
    statedCache: new Map(),
  };
  file.brands.forEach((brand, index) => {
    const refs = brand.reference_prices.map((row) => compileReferenceRow(row, brand.categories));
    const specific = refs.filter((row) => row.keywords.length > 0);
    const productWords = new Set<string>();
    for (const word of brand.product_words) productWords.add(` ${tokenize(foldKey(word)).join(' ')} `);
    for (const row of specific) for (const keyword of row.keywords) productWords.add(keyword);
    compiled.brands.push({
      index,
      name: brand.name,
      premium: brand.premium,
      categories: brand.categories.map(foldKey),
      referencePrices: specific,
      fallbackPrice: refs.find((row) => row.keywords.length === 0) ?? null,
      borrowed: false,
      commonWord: brand.common_word ?? false,
      productWords: [...productWords].filter((word) => word.trim().length > 0),
    });
    // Ordinary words ("apple", "coach", "mango") get no typo neighbours: "couch" is not a disguised Coach.
    for (const alias of [brand.name, ...brand.aliases])
      addAlias(compiled, alias, index, !(brand.common_word ?? false) && !COMMON_WORD_ALIASES.has(tokenize(foldKey(alias)).join('')));
    for (const shop of brand.official_shops) {
      const grants = compiled.authorised.get(shop.shop_id);
      const grant = `${index}|${shop.marketplace}`;
      if (grants === undefined) compiled.authorised.set(shop.shop_id, [grant]);
      else grants.push(grant);
    }
  });
  return compiled;
}

function compileReferenceRow(row: z.infer<typeof ReferencePriceSchema>, categories: readonly string[]): CompiledReferencePrice {
  const keywords =
    row.match === '*'
      ? []
      : row.match
          .split('|')
          .map((kw) => tokenize(foldKey(kw)).join(' '))
          .filter((kw) => kw.length > 0)
          .map((kw) => ` ${kw} `);
  const size = row.size ? parseSize(row.size) : null;
  const compiled: CompiledReferencePrice = {
    match: row.match,
    keywords,
    minVnd: row.min_vnd,
    typicalVnd: row.typical_vnd,
    group: row.group ?? inferPriceGroup(categories, row.min_vnd),
    sizeAmount: size?.amount ?? null,
    sizeUnit: size?.unit ?? null,
    matched: '*',
    byKeyword: [],
  };
  compiled.byKeyword = keywords.map((keyword) => ({ ...compiled, matched: keyword.trim(), byKeyword: [] }));
  return compiled;
}

/** "900g" → 900 g, "1,5l" → 1500 ml; null if it is not a size. */
export function parseSize(text: string): { amount: number; unit: 'ml' | 'g' } | null {
  const m = /^(\d+(?:[.,]\d+)?)\s*(ml|l|g|kg)$/i.exec(text.trim());
  if (!m) return null;
  const value = Number(m[1]!.replace(',', '.'));
  const unit = m[2]!.toLowerCase();
  if (!(value > 0)) return null;
  return unit === 'l'
    ? { amount: value * 1000, unit: 'ml' }
    : unit === 'kg'
      ? { amount: value * 1000, unit: 'g' }
      : { amount: value, unit: unit as 'ml' | 'g' };
}

function setOnce(map: Map<string, number>, key: string, value: number): void {
  if (!map.has(key)) map.set(key, value);
}

/** One typo away from a catalogued alias (insert, delete, substitute or swap one letter), or -1. */
export function typoBrand(catalog: CompiledCatalog, token: string): number {
  if (token.length < MIN_TYPO_TOKEN || TYPO_STOPWORDS.has(token) || !/^[a-z]+$/.test(token)) return -1;
  const direct = catalog.typoAliases.get(token);
  if (direct !== undefined) return direct;
  for (let i = 0; i < token.length; i++) {
    const hit = catalog.typoAliases.get(token.slice(0, i) + token.slice(i + 1));
    if (hit !== undefined) return hit;
  }
  return -1;
}

/** The catalogued brand a stated brand field names ("Nike", "NIKE VN" is not guessed), or -1. */
export function statedBrand(catalog: CompiledCatalog, stated: string | null | undefined): number {
  if (!stated) return -1;
  // Stated brands repeat across thousands of listings: fold each distinct text once.
  const cached = catalog.statedCache.get(stated);
  if (cached !== undefined) return cached;
  const key = tokenize(foldKey(stated)).join('');
  const brand = key ? (catalog.byName.get(key) ?? -1) : -1;
  if (catalog.statedCache.size < 100_000) catalog.statedCache.set(stated, brand);
  return brand;
}

const aliasPrefixCache = new WeakMap<Map<string, number>, Set<string>>();

/**
 * Every proper prefix of a single-token alias ("gu", "guc", "gucc" for "gucci"): a split brand
 * ("gu cci") can only be an alias when its first part is one, so most word pairs are never joined.
 */
export function aliasPrefixes(catalog: CompiledCatalog): Set<string> {
  let prefixes = aliasPrefixCache.get(catalog.tokenAliases);
  if (prefixes === undefined) {
    prefixes = new Set();
    for (const alias of catalog.tokenAliases.keys()) for (let end = 1; end < alias.length; end++) prefixes.add(alias.slice(0, end));
    aliasPrefixCache.set(catalog.tokenAliases, prefixes);
  }
  return prefixes;
}

export function isAuthorised(catalog: CompiledCatalog, brandIndex: number, marketplace: string, shopId: string): boolean {
  const grants = catalog.authorised.get(shopId);
  return grants !== undefined && grants.includes(`${brandIndex}|${marketplace}`);
}

/** Stated-brand values that name no brand. */
const NOT_A_BRAND = /^(?:no ?brand|oem|generic|none|other|khac|khong( co)? thuong hieu|n ?a|no|hang viet nam|viet nam|vn)$/;

/**
 * Adds the brands listings state that the catalogue lacks, so disguised spellings of any stated
 * brand ("Co‍ach" for "Coach") are recognised. Added brands have no reference price and are not premium.
 */
export function extendCatalog(catalog: CompiledCatalog, statedBrands: Iterable<string | null>): CompiledCatalog {
  const extra: string[] = [];
  const seen = new Set<string>();
  const rawSeen = new Set<string>();
  for (const stated of statedBrands) {
    if (!stated || rawSeen.has(stated)) continue;
    rawSeen.add(stated);
    const tokens = tokenize(foldKey(stated));
    const joined = tokens.join('');
    if (joined.length < 3 || !/[a-z]/.test(joined) || seen.has(joined) || catalog.byName.has(joined) || NOT_A_BRAND.test(tokens.join(' ')))
      continue;
    seen.add(joined);
    extra.push(stated);
  }
  if (extra.length === 0) return catalog;
  const out: CompiledCatalog = {
    brands: [...catalog.brands],
    tokenAliases: new Map(catalog.tokenAliases),
    phraseAliases: new Map(catalog.phraseAliases),
    phraseStarts: new Map(catalog.phraseStarts),
    typoAliases: new Map(catalog.typoAliases),
    authorised: catalog.authorised,
    byName: new Map(catalog.byName),
    statedCache: new Map(),
  };
  for (const name of extra) {
    const index = out.brands.length;
    out.brands.push({
      index,
      name,
      premium: false,
      categories: [],
      referencePrices: [],
      fallbackPrice: null,
      borrowed: true,
      commonWord: false,
      productWords: [],
    });
    // A shop's own brand is often an ordinary word ("Basics", "Sweety"): exact matches only, no typos.
    addAlias(out, name, index, false);
  }
  return out;
}

function addAlias(compiled: CompiledCatalog, alias: string, index: number, typos = true): void {
  const tokens = tokenize(foldKey(alias));
  if (tokens.length === 0) return;
  const joined = tokens.join('');
  setOnce(compiled.tokenAliases, joined, index);
  setOnce(compiled.byName, joined, index);
  if (tokens.length > 1) {
    setOnce(compiled.phraseAliases, tokens.join(' '), index);
    const first = tokens[0]!;
    compiled.phraseStarts.set(first, Math.max(compiled.phraseStarts.get(first) ?? 0, tokens.length));
  }
  if (typos && joined.length >= MIN_TYPO_ALIAS && /^[a-z]+$/.test(joined)) {
    setOnce(compiled.typoAliases, joined, index);
    for (let i = 0; i < joined.length; i++) setOnce(compiled.typoAliases, joined.slice(0, i) + joined.slice(i + 1), index);
  }
}
