import type { Reason } from '../../src/core/domain/reasons.ts';
import { aliasPrefixes, typoBrand, type CompiledCatalog } from '../catalog.ts';
import { SCORING_CONFIG } from '../config.ts';
import { makeReason } from '../reason.ts';
import { foldText, tokenize, unLeet } from '../text/normalize.ts';
import type { LexiconHit } from './lexicon.ts';
import { contextSupports, needsSupport } from './sense.ts';

/** How a brand was written: plainly, or disguised to slip past keyword filters. */
export type BrandForm = 'plain' | 'spacing' | 'leet' | 'homoglyph' | 'zero_width' | 'typo';

export interface BrandMention {
  brand: number;
  form: BrandForm;
  /** The words as they appear in the folded text. */
  text: string;
  /** Token position. */
  position: number;
  /** "cho iPhone", "ốp lưng iPhone": names the brand the product fits, not the product's own brand. */
  compatibility: boolean;
  /** "dáng Gucci", "kiểu Chanel", "inspired by Dior". */
  lookalike: boolean;
}

const COMPAT_BEFORE = new Set(['cho', 'for', 'fit', 'vua', 'with', 'fits']);
const COMPAT_BEFORE_PAIRS = new Set([
  'danh cho',
  'dung cho',
  'tuong thich',
  'phu hop',
  'compatible with',
  'thay the',
  'lap cho',
  'lap vua',
]);
/**
 * Words that may stand between a compatibility marker and the brand it names: the kind of device
 * ("phù hợp máy hút bụi Dyson", "cho đồng hồ Casio", "dùng cho giày Nike"). Anything else breaks
 * the reading, so "nước hoa cho nam Dior" stays Dior's own product.
 */
const COMPAT_GAP = new Set([
  'may',
  'hut',
  'bui',
  'dong',
  'ho',
  'dien',
  'thoai',
  'tai',
  'nghe',
  'xe',
  'loa',
  'giay',
  'tablet',
  'laptop',
  'tinh',
  'robot',
  'camera',
  'oto',
  'o',
  'to',
  'the',
  'series',
  'cac',
  'moi',
  'all',
  'chuot',
  'ban',
  'phim',
  'ga',
  'tay',
  'so',
  'dep',
  'smartwatch',
  'watch',
  'phone',
  'mat',
  'kinh',
  'day',
  'voi',
  'va',
  'hang',
  'dong',
  'model',
  'doi',
  'tv',
  'tivi',
  'remote',
  'loc',
  'khong',
  'khi',
]);
/** Second words of the pairs: a pair is built only when the word could end one. */
const COMPAT_PAIR_ENDS = new Set([...COMPAT_BEFORE_PAIRS].map((pair) => pair.slice(pair.lastIndexOf(' ') + 1)));
/** How many gap words a compatibility marker may reach over. */
const COMPAT_REACH = 4;
/** A mention this close after a compatibility mention continues its model name ("cho Xiaomi Redmi Buds"). */
const CONTINUATION_GAP = 2;
const LOOKALIKE_BEFORE = new Set(['dang', 'kieu', 'style', 'giong', 'nhu']);
const LOOKALIKE_BEFORE_PAIRS = new Set(['phong cach', 'inspired by', 'lay cam', 'cam hung', 'y tuong']);
/** Has a digit, "@" or "$" and a letter: the shape of leetspeak ("n1ke"). One pass instead of two regexes per word. */
function hasLeetAndLetter(token: string): boolean {
  let leet = false;
  let letter = false;
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code >= 97 && code <= 122) letter = true;
    else if ((code >= 48 && code <= 57) || code === 64 || code === 36 || code === 33 || code === 124 || code === 0x20ac) leet = true;
    if (leet && letter) return true;
  }
  return false;
}

/** What the catalogue says of one title token: everything `findBrandTokens` asks of a lone token. */
interface TokenFacts {
  /** Longest multi-token alias starting with this token, or 0. */
  phraseLength: number;
  /** Brand whose single-token alias this is, or -1. */
  exact: number;
  /** A proper prefix of a single-token alias ("gu" of "gucci"): may start a split brand. */
  aliasPrefix: boolean;
  /** Brand named once leetspeak is undone ("n1ke"), exactly or one typo away, or -1. */
  leet: number;
  /** Brand one typo away, or -1. */
  typo: number;
  /** Longest multi-token alias starting with this token once leetspeak is undone ("est€e"), or 0. */
  leetPhraseLength: number;
}

/**
 * Title words repeat endlessly, and each asked four or five lookups of the catalogue: the facts of each
 * distinct token are worked out once and then found with one lookup. Keyed by the alias table, as
 * `extendCatalog` copies it when it adds brands.
 */
const tokenFactsCache = new WeakMap<Map<string, number>, Map<string, TokenFacts>>();
const MAX_CACHED_TOKENS = 100_000;

function tokenFactsOf(catalog: CompiledCatalog): Map<string, TokenFacts> {
  let cache = tokenFactsCache.get(catalog.tokenAliases);
  if (cache === undefined) tokenFactsCache.set(catalog.tokenAliases, (cache = new Map<string, TokenFacts>()));
  return cache;
}

/** `cache` is `tokenFactsOf(catalog)`, looked up once per title rather than once per token. */
function tokenFacts(catalog: CompiledCatalog, cache: Map<string, TokenFacts>, token: string): TokenFacts {
  let facts = cache.get(token);
  if (facts === undefined) {
    let leet = -1;
    let leetPhraseLength = 0;
    if (hasLeetAndLetter(token)) {
      const plain = unLeet(token);
      leet = catalog.tokenAliases.get(plain) ?? typoBrand(catalog, plain);
      leetPhraseLength = catalog.phraseStarts.get(plain) ?? 0;
    }
    facts = {
      phraseLength: catalog.phraseStarts.get(token) ?? 0,
      exact: catalog.tokenAliases.get(token) ?? -1,
      aliasPrefix: aliasPrefixes(catalog).has(token),
      leet,
      typo: typoBrand(catalog, token),
      leetPhraseLength,
    };
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
    cache.set(token, facts);
  }
  return facts;
}

/**
 * Finds catalogued brands in folded tokens: exact aliases and multi-word names, then the disguises
 * of the domain brief (letters spaced out "g u c c i", split "gu cci", leetspeak "n1ke", one typo
 * "adidass"). Homoglyph and zero-width disguises are found by `detectBrands` comparing against
 * a plain fold of the raw text.
 */
export function findBrandTokens(tokens: readonly string[], catalog: CompiledCatalog): BrandMention[] {
  const mentions: BrandMention[] = [];
  const n = tokens.length;
  const factsCache = tokenFactsOf(catalog);
  for (let i = 0; i < n; i++) {
    const token = tokens[i]!;
    const facts = tokenFacts(catalog, factsCache, token);
    if (facts.phraseLength > 0) {
      let matched = 0;
      for (let len = Math.min(facts.phraseLength, n - i); len >= 2; len--) {
        const phrase = tokens.slice(i, i + len).join(' ');
        const brand = catalog.phraseAliases.get(phrase);
        if (brand !== undefined) {
          mentions.push(mention(brand, 'plain', phrase, i));
          matched = len;
          break;
        }
      }
      if (matched) {
        i += matched - 1;
        continue;
      }
    }
    if (facts.exact >= 0) {
      mentions.push(mention(facts.exact, 'plain', token, i));
      continue;
    }
    // Letters spaced out or split: "g u c c i", "G.U.C.C.I", "gu cci".
    if (token.length <= 2 && i + 1 < n) {
      let j = i;
      let joined = '';
      while (j < n && tokens[j]!.length <= 2 && joined.length < 16) joined += tokens[j++];
      // Longest run first, then shorter ones: "c h @ n e l nu" is "chanel" followed by "nu".
      let found = false;
      for (let end = j; end - i >= 3 && !found; end--) {
        const run = end === j ? joined : tokens.slice(i, end).join('');
        const brand = catalog.tokenAliases.get(run) ?? catalog.tokenAliases.get(unLeet(run));
        if (brand !== undefined) {
          mentions.push(mention(brand, 'spacing', tokens.slice(i, end).join(' '), i));
          i = end - 1;
          found = true;
        }
      }
      if (found) continue;
    }
    if (i + 1 < n && facts.aliasPrefix) {
      const next = tokens[i + 1]!;
      const pair = token + next;
      if (pair.length >= 5 && token.length >= 2 && next.length >= 2 && !catalog.tokenAliases.has(next)) {
        const brand = catalog.tokenAliases.get(pair);
        if (brand !== undefined) {
          mentions.push(mention(brand, 'spacing', `${token} ${next}`, i));
          i++;
          continue;
        }
      }
    }
    if (facts.leet >= 0) {
      mentions.push(mention(facts.leet, 'leet', token, i));
      continue;
    }
    // A disguised first word of a multi-word name: "Est€e Lauder", "L0uis Vuitton".
    if (facts.leetPhraseLength > 0) {
      const plain = unLeet(token);
      let matched = 0;
      for (let len = Math.min(facts.leetPhraseLength, n - i); len >= 2; len--) {
        const phrase = `${plain} ${tokens
          .slice(i + 1, i + len)
          .map(unLeet)
          .join(' ')}`;
        const brand = catalog.phraseAliases.get(phrase);
        if (brand !== undefined) {
          mentions.push(mention(brand, 'leet', tokens.slice(i, i + len).join(' '), i));
          matched = len;
          break;
        }
      }
      if (matched) {
        i += matched - 1;
        continue;
      }
    }
    if (facts.typo >= 0) mentions.push(mention(facts.typo, 'typo', token, i));
  }
  for (const found of mentions) classifyContext(found, tokens);
  // "cho Xiaomi Redmi Buds", "cho giày Nike Adidas": a mention right after a compatibility one continues it.
  for (let k = 1; k < mentions.length; k++) {
    const before = mentions[k - 1]!;
    const found = mentions[k]!;
    if (before.compatibility && !found.compatibility && found.position - (before.position + mentionLength(before)) <= CONTINUATION_GAP)
      found.compatibility = true;
  }
  return mentions;
}

function mention(brand: number, form: BrandForm, text: string, position: number): BrandMention {
  return { brand, form, text, position, compatibility: false, lookalike: false };
}

function classifyContext(found: BrandMention, tokens: readonly string[]): void {
  const p = found.position;
  const prev = p > 0 ? tokens[p - 1]! : '';
  const prevPair = p > 1 ? `${tokens[p - 2]} ${prev}` : '';
  if (compatibilityBefore(tokens, p)) found.compatibility = true;
  if (LOOKALIKE_BEFORE.has(prev) || LOOKALIKE_BEFORE_PAIRS.has(prevPair)) found.lookalike = true;
}

/** A compatibility marker right before position p, or before it across a few device words. */
function compatibilityBefore(tokens: readonly string[], p: number): boolean {
  for (let end = p, gap = 0; end > 0 && gap <= COMPAT_REACH; end--, gap++) {
    const one = tokens[end - 1]!;
    if (COMPAT_BEFORE.has(one)) return true;
    if (end > 1 && COMPAT_PAIR_ENDS.has(one) && COMPAT_BEFORE_PAIRS.has(`${tokens[end - 2]} ${one}`)) return true;
    if (!COMPAT_GAP.has(one) && !isModelToken(one)) return false;
  }
  return false;
}

/** Model numbers and sizes between a marker and a brand ("cho V11 Dyson" is rare; "cho 2 Casio" rarer). */
function isModelToken(token: string): boolean {
  const code = token.charCodeAt(0);
  return code >= 48 && code <= 57;
}

/** Token length of a mention's text. */
function mentionLength(found: BrandMention): number {
  let n = 1;
  for (let i = 0; i < found.text.length; i++) if (found.text.charCodeAt(i) === 32) n++;
  return n;
}

const ZERO_WIDTH_OR_LOOKALIKE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u180E\u0370-\u03FF\u0400-\u052F]/g;

/**
 * All brand mentions of a folded text. When the raw text used zero-width characters or
 * Cyrillic/Greek look-alikes, a brand found only after undoing them is marked as disguised.
 */
export function detectBrands(
  raw: string,
  folded: { tokens: readonly string[]; zeroWidth: boolean; lookalikes: boolean },
  catalog: CompiledCatalog,
  accessoryAt: number,
  category: string | null = null,
): BrandMention[] {
  let mentions = findBrandTokens(folded.tokens, catalog);
  if (mentions.length > 0) mentions = withSupport(mentions, folded.tokens, catalog, category);
  if ((folded.zeroWidth || folded.lookalikes) && mentions.length > 0) {
    const plainText = foldText(raw.replace(ZERO_WIDTH_OR_LOOKALIKE, ' ')).text;
    const plainBrands = new Set(
      findBrandTokens(tokenize(plainText), catalog)
        .filter((m) => m.form === 'plain')
        .map((m) => m.brand),
    );
    for (const found of mentions) {
      if (found.form === 'plain' && !plainBrands.has(found.brand)) found.form = folded.lookalikes ? 'homoglyph' : 'zero_width';
    }
  }
  // "ốp lưng iPhone": an accessory word before the brand makes every later mention compatibility.
  if (accessoryAt >= 0) for (const found of mentions) if (found.position >= accessoryAt) found.compatibility = true;
  return mentions;
}

/**
 * Drops mentions of brand names that are ordinary words ("Puma" figurine, "Mango" dried fruit)
 * when nothing in the product context supports the brand reading (see signals/sense.ts).
 */
function withSupport(
  mentions: BrandMention[],
  tokens: readonly string[],
  catalog: CompiledCatalog,
  category: string | null,
): BrandMention[] {
  let kept: BrandMention[] | null = null;
  let spaced: string | null = null;
  for (let k = 0; k < mentions.length; k++) {
    const found = mentions[k]!;
    if (found.form === 'plain' && needsSupport(catalog, found.brand, found.text)) {
      spaced ??= ` ${tokens.join(' ')} `;
      if (!contextSupports(catalog, found.brand, spaced, category === null ? null : foldText(category).text)) {
        kept ??= mentions.slice(0, k);
        continue;
      }
    }
    if (kept) kept.push(found);
  }
  return kept ?? mentions;
}

/** Token index of the first accessory/compatibility hit, or -1. */
export function accessoryTokenIndex(folded: string, hits: readonly LexiconHit[]): number {
  for (const hit of hits) {
    if (hit.kind === 'accessory') return tokenize(folded.slice(0, hit.index)).length;
  }
  return -1;
}

const FORM_TEXT: Record<Exclude<BrandForm, 'plain'>, { en: string; vi: string }> = {
  spacing: { en: 'Brand name spaced out or split to dodge filters', vi: 'Tên thương hiệu bị tách chữ để né bộ lọc' },
  leet: { en: 'Brand name written with digits or symbols for letters', vi: 'Tên thương hiệu viết bằng số/ký tự thay chữ' },
  homoglyph: { en: 'Brand name uses look-alike foreign letters', vi: 'Tên thương hiệu dùng chữ cái nước ngoài trông giống' },
  zero_width: { en: 'Brand name hides invisible characters', vi: 'Tên thương hiệu chứa ký tự ẩn' },
  typo: { en: 'Brand name deliberately misspelled', vi: 'Tên thương hiệu bị viết sai cố ý' },
};

export interface BrandContext {
  catalog: CompiledCatalog;
  mentions: readonly BrandMention[];
  /** The brand field as the listing states it, resolved against the catalogue (-1 if none). */
  statedBrand: number;
  statedBrandText: string | null;
  /** The shop is official or an authorised seller of the listing's brand. */
  trustedSeller: boolean;
  /** Claim terms ("chính hãng", "auth") in the title. */
  claims: readonly string[];
  /** The price is below the catalogue reference (set by the price signal). */
  priceBelowReference: boolean;
  /** "like new", second-hand: claims of authenticity are normal there. */
  used: boolean;
  /** The title as written, for invisible-character and mixed-script checks (null skips them). */
  rawTitle: string | null;
}

const NO_BRAND = new Set([
  'nobrand',
  'no brand',
  'oem',
  'khong thuong hieu',
  'khong co thuong hieu',
  'generic',
  'none',
  'khac',
  'other',
  'no',
  'n a',
  'hang viet nam',
]);

/** "No Brand", "OEM", "Không thương hiệu": the seller says there is no brand. */
export function isNoBrand(stated: string | null): boolean {
  if (!stated) return false;
  return NO_BRAND.has(tokenize(foldText(stated).text).join(' '));
}

const INVISIBLE_IN_WORD = /[\p{L}\p{N}][\u200B-\u200D\u2060\uFEFF\u00AD\u180E]+[\p{L}\p{N}]/u;
const MIXED_SCRIPT_WORD = /\p{Script=Latin}[\u0370-\u03FF\u0400-\u052F]|[\u0370-\u03FF\u0400-\u052F]\p{Script=Latin}/u;

/**
 * Invisible characters inside a word, or Cyrillic/Greek letters mixed into a Latin word: nobody
 * types these by accident; they exist to slip a name past keyword filters, catalogued brand or not.
 */
export function obfuscationReason(raw: string): Reason | null {
  const invisible = INVISIBLE_IN_WORD.exec(raw);
  if (invisible) {
    return makeReason(
      'text.obfuscated.zero_width',
      SCORING_CONFIG.brand.obfuscatedText,
      `hidden character inside "${visible(raw, invisible.index)}"`,
      FORM_TEXT.zero_width.en,
      FORM_TEXT.zero_width.vi,
    );
  }
  const mixed = MIXED_SCRIPT_WORD.exec(raw);
  if (mixed) {
    return makeReason(
      'text.obfuscated.homoglyph',
      SCORING_CONFIG.brand.obfuscatedText,
      `look-alike letters in "${visible(raw, mixed.index)}"`,
      FORM_TEXT.homoglyph.en,
      FORM_TEXT.homoglyph.vi,
    );
  }
  return null;
}

function visible(raw: string, index: number): string {
  const start = raw.lastIndexOf(' ', index) + 1;
  const end = raw.indexOf(' ', index + 1);
  return raw.slice(start, end < 0 ? undefined : end).replace(/[\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/g, '\u2423');
}

/** Brand-misuse reasons: disguised spellings, look-alike wording, stated ≠ title brand, unauthorised claims. */
export function brandReasons(ctx: BrandContext): Reason[] {
  if (ctx.mentions.length === 0 && ctx.rawTitle === null) return [];
  const cfg = SCORING_CONFIG.brand;
  const reasons: Reason[] = [];
  const own = ctx.mentions.filter((m) => !m.compatibility);
  const disguised = own.find((m) => m.form !== 'plain');
  if (!disguised && ctx.rawTitle !== null) {
    const obfuscated = obfuscationReason(ctx.rawTitle);
    if (obfuscated) reasons.push(obfuscated);
  }
  if (disguised && disguised.form !== 'plain') {
    const name = ctx.catalog.brands[disguised.brand]!.name;
    const text = FORM_TEXT[disguised.form];
    reasons.push(makeReason(`brand.disguised.${disguised.form}`, cfg.disguised, `"${disguised.text}" → ${name}`, text.en, text.vi));
  }
  const lookalike = own.find((m) => m.lookalike);
  if (lookalike) {
    const name = ctx.catalog.brands[lookalike.brand]!.name;
    reasons.push(
      makeReason(
        'brand.lookalike',
        cfg.lookalike,
        `"${lookalike.text}" (${name})`,
        'Sold as looking like a brand ("dáng", "kiểu", "inspired by")',
        'Bán như hàng "dáng/kiểu" thương hiệu',
      ),
    );
  }
  const statedNoBrand = ctx.statedBrand < 0 && isNoBrand(ctx.statedBrandText);
  // "No Brand" on an accessory for a brand is what an honest seller writes; a shop's own small brand
  // borrowed from another listing is not evidence against the stated one.
  const compatibleReading = statedNoBrand && ctx.mentions.some((m) => m.compatibility);
  if (
    (ctx.statedBrand >= 0 || statedNoBrand) &&
    !compatibleReading &&
    own.length > 0 &&
    !own.some((m) => m.brand === ctx.statedBrand) &&
    !ctx.catalog.brands[own[0]!.brand]!.borrowed
  ) {
    const titleBrand = ctx.catalog.brands[own[0]!.brand]!.name;
    reasons.push(
      makeReason(
        'brand.stated_mismatch',
        cfg.statedMismatch,
        `stated "${ctx.statedBrandText}", title says ${titleBrand}`,
        'Stated brand differs from the brand in the title',
        'Thương hiệu khai báo khác thương hiệu trong tiêu đề',
      ),
    );
  }
  if (ctx.claims.length > 0 && !ctx.trustedSeller && !ctx.used && (own.length > 0 || ctx.statedBrand >= 0)) {
    const weight = cfg.unauthorisedClaim + (ctx.priceBelowReference ? cfg.unauthorisedClaimLowPrice : 0);
    reasons.push(
      makeReason(
        'brand.unauthorised_claim',
        weight,
        ctx.claims.map((c) => `"${c}"`).join(', '),
        'Claims genuine goods but is not an official or authorised seller',
        'Tự nhận "chính hãng" nhưng không phải shop chính hãng/đại lý ủy quyền',
      ),
    );
  }
  return reasons;
}
