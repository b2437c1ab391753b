import type { Reason } from '../../src/core/domain/reasons.ts';
import { SCORING_CONFIG } from '../config.ts';
import { makeReason } from '../reason.ts';

/** What a lexicon term says about a listing. */
export type LexiconKind = 'fullbox' | 'fake' | 'fake_with_brand' | 'laundering' | 'smuggling' | 'claim' | 'used' | 'decant' | 'accessory';

interface Term {
  kind: LexiconKind;
  /** Regex source over folded text (lower case, no diacritics, single spaces). */
  pattern: string;
}

/**
 * The lexicon of the domain brief §5, written over folded text, so "Hàng Nhái", "hang nhai" and
 * "HÀNG NHÁI" are the same term. Ambiguous words ("F1" seeds, "loại 1" fruit, "AAA" batteries,
 * "copy" paper, "viên nhai" chewable tablets) are `fake_with_brand`: they count only next to a brand.
 */
const TERMS: Term[] = [
  { kind: 'fullbox', pattern: 'full ?box,? full ?tag|fullbox fulltag' },
  {
    kind: 'fake',
    pattern:
      'hang fake|fake|super ?fake|sieu fake|replica|rep ?1 ?: ?1|rep 1 1|hang rep|like ?auth|like au|hang nhai|do nhai|sieu cap|hang sieu cap|hang f1|hang loai 1|hang l1|fake loai 1|tuong tu auth|mirror quality|hang copy|copy 1 ?: ?1|1 ?: ?1 auth',
  },
  { kind: 'fake_with_brand', pattern: 'rep|sf|1 ?: ?1|f1|loai 1|l1|copy|mirror|aaa|oem|tuong tu|nhai|dupe|inspired by' },
  {
    kind: 'laundering',
    pattern:
      'vnxk|hang vnxk|xuat du|hang xuat du|hang quang chau|quang chau|qc cao cap|hang qc|gia xuong|tan xuong|khong tem|khong hop|hang tuon xuong',
  },
  {
    kind: 'smuggling',
    pattern:
      'xach tay|hang xach tay|(?:hang )?noi dia (?:trung|nhat|thai|han|trung quoc|uc|my|phap|duc|anh|hong kong|dai loan|singapore)|(?:nhat|uc|my|phap|duc|han) noi dia|khong hoa don|hang bai|hang tuon|tuon hang|hang lau|hang nhap lau',
  },
  {
    kind: 'claim',
    pattern:
      'chinh hang|hang chinh hang|auth|authentic|check code|bao hanh chinh hang|real 100|100% auth|hang hieu chinh hang|fullbox chinh hang',
  },
  {
    kind: 'used',
    pattern:
      'like new|likenew|da qua su dung|qua su dung|2hand|2 hand|2nd hand|second ?hand|pre ?owned|hang cu|do cu|used|new 9\\d%|9\\d% new|hang luot|may luot|cu [5-9]\\d ?%|luot 9\\d ?%|da dung vai lan|da dung \\d+ lan|da qua dung|da su dung|dung vai lan|moi dung \\d+ lan|do si|si tuyen|ky gui|hang ky gui|thanh ly do cu',
  },
  { kind: 'decant', pattern: 'chiet|chiet ?\\d+ ?ml|decant|tester|mini ?size|sample' },
  {
    kind: 'accessory',
    pattern:
      'op lung|op dien thoai|op|bao da|bao dung|tui dung|hop dung|cuong luc|kinh cuong luc|mieng dan|dan man hinh|dan camera|dan skin|day deo|day dong ho|vo bao|vo boc|boc|tui chong soc|nut tai|num tai|mut tai|dem tai|lot giay|day giay|gia do|de sac|bumper|bo loc|loi loc|loc hepa|choi lan|dau hut|moc khoa|linh kien|danh cho|dung cho|tuong thich|compatible|thay the cho|thay the|sac cho|cap cho',
  },
];

/**
 * One precompiled scan for every term; capture group k + 1 holds a match of `TERMS[k]`. Plain groups,
 * not named ones: a named match also builds a `groups` object on every hit.
 */
const LEXICON = new RegExp(`(?<![a-z0-9])(?:${TERMS.map((term) => `(${term.pattern})`).join('|')})(?![a-z0-9])`, 'g');
if (new RegExp(`${LEXICON.source}|`).exec('')!.length !== TERMS.length + 1) throw new Error('lexicon patterns must use (?:…) groups only');

/** Words before "xách tay" that make it a handbag ("túi xách tay"), not hand-carried goods. */
const BAG_BEFORE_XACH_TAY = /(?:tui|cap|gio|vi|balo|ba lo) $/;
/** Words before "nhai" that make it chewable ("viên nhai", "kẹo nhai"). */
const CHEW_BEFORE_NHAI = /(?:vien|keo|nhai|de) $/;

/**
 * Denials just before a term: "không fake", "shop không kinh doanh hàng nhái", "đây không phải hàng
 * rep", "cam kết không hàng nhái", "no fake, no rep", "phân biệt hàng thật hàng rep", "đền gấp đôi
 * nếu phát hiện hàng fake": honest sellers deny, they do not offer. Only filler words may stand
 * between the denial and the term, so "không lo bong keo, rep 1:1" still counts.
 */
const NEGATION_BEFORE =
  /(?:^|[^a-z0-9])(?:khong|ko|k|kg|khg|hok|chang|chu khong|no|not|never|say no to|noi khong voi|cam ket khong|tu choi|chong|tranh mua|tranh|anti|phan biet|phan biet hang that(?: va| voi)?|neu phat hien|phat hien|den gap doi neu|den x2 neu|hoan tien(?: \d+ ?%)? neu) (?:(?:kinh doanh|ban|phai|co|nhan|dung|sell|sale|la|hang|do|san pham|sp|mat hang|cac|loai|mua|phat hien|gia|va|voi) )*$/;
/** How far back a denial is looked for. */
const NEGATION_WINDOW = 48;
const DENIABLE = new Set<LexiconKind>(['fake', 'fake_with_brand', 'laundering', 'smuggling', 'fullbox', 'used']);

export interface LexiconHit {
  kind: LexiconKind;
  /** The matched words, as folded. */
  term: string;
  /** Offset in the folded text. */
  index: number;
}

/** Finds lexicon terms in folded text; never throws. */
export function scanLexicon(folded: string): LexiconHit[] {
  const hits: LexiconHit[] = [];
  LEXICON.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = LEXICON.exec(folded)) !== null) {
    let kind: LexiconKind | undefined;
    for (let k = 0; k < TERMS.length; k++) {
      if (match[k + 1] !== undefined) {
        kind = TERMS[k]!.kind;
        break;
      }
    }
    if (!kind) continue;
    const before = folded.slice(Math.max(0, match.index - 6), match.index);
    const term = match[0];
    if (kind === 'smuggling' && term.startsWith('xach tay') && BAG_BEFORE_XACH_TAY.test(before)) continue;
    if (term === 'nhai' && CHEW_BEFORE_NHAI.test(before)) continue;
    if (kind === 'claim' && /like $/.test(before)) continue;
    if (
      DENIABLE.has(kind) &&
      match.index > 0 &&
      NEGATION_BEFORE.test(folded.slice(Math.max(0, match.index - NEGATION_WINDOW), match.index))
    )
      continue;
    hits.push({ kind, term, index: match.index });
  }
  return hits;
}

export interface LexiconContext {
  /** The listing names a catalogued brand (not just "for iPhone"). */
  brandMentioned: boolean;
}

const TEXTS: Record<'fake' | 'laundering' | 'smuggling', { code: string; en: string; vi: string }> = {
  fake: { code: 'lexicon.counterfeit', en: 'Title uses counterfeit slang', vi: 'Tiêu đề dùng từ lóng chỉ hàng giả' },
  laundering: {
    code: 'lexicon.laundering',
    en: 'Title uses a laundering label (export surplus, Guangzhou goods, factory price)',
    vi: 'Tiêu đề dùng nhãn "rửa" nguồn gốc (VNXK, hàng Quảng Châu, giá xưởng)',
  },
  smuggling: {
    code: 'lexicon.smuggling',
    en: 'Title suggests smuggled or grey-import goods',
    vi: 'Tiêu đề gợi ý hàng lậu hoặc xách tay không chính ngạch',
  },
};

/** Kinds that make a lexicon reason (`fake_with_brand` only next to a brand). */
const COUNTED_KINDS = new Set<LexiconKind>(['fake', 'fake_with_brand', 'laundering', 'fullbox', 'smuggling']);

/** Reasons from lexicon hits: the strongest kind counts fully, each further distinct term adds a little. */
export function lexiconReasons(hits: readonly LexiconHit[], context: LexiconContext): Reason[] {
  // Most titles hit nothing that counts here (a "chính hãng" claim is the brand signal's business).
  if (!hits.some((hit) => COUNTED_KINDS.has(hit.kind))) return [];
  const cfg = SCORING_CONFIG.lexicon;
  const byKind: Record<'fake' | 'laundering' | 'smuggling', string[]> = { fake: [], laundering: [], smuggling: [] };
  for (const hit of hits) {
    if (hit.kind === 'fake') byKind.fake.push(hit.term);
    else if (hit.kind === 'fake_with_brand' && context.brandMentioned) byKind.fake.push(hit.term);
    else if (hit.kind === 'laundering' || hit.kind === 'fullbox') byKind.laundering.push(hit.term);
    else if (hit.kind === 'smuggling') byKind.smuggling.push(hit.term);
  }
  const reasons: Reason[] = [];
  let distinctTerms = 0;
  for (const kind of ['fake', 'laundering', 'smuggling'] as const) {
    if (byKind[kind].length === 0) continue;
    const terms = [...new Set(byKind[kind])];
    distinctTerms += terms.length;
    const strongFake = byKind.fake.length > 0 && hits.some((hit) => hit.kind === 'fake');
    const onlyFullBox = kind === 'laundering' && !hits.some((hit) => hit.kind === 'laundering');
    const weight =
      kind === 'fake'
        ? strongFake
          ? cfg.fake
          : cfg.fakeWithBrand
        : kind === 'laundering'
          ? onlyFullBox
            ? cfg.fullBox
            : cfg.laundering
          : cfg.smuggling;
    const text = TEXTS[kind];
    reasons.push(makeReason(text.code, weight, terms.map((term) => `"${term}"`).join(', '), text.en, text.vi));
  }
  if (reasons.length > 0 && distinctTerms > 1) {
    const extra = Math.min(cfg.extraCap, (distinctTerms - 1) * cfg.extraTerm);
    reasons.push(
      makeReason(
        'lexicon.many_terms',
        extra,
        `${distinctTerms} distinct terms`,
        'Several counterfeit or smuggling terms together',
        'Nhiều từ chỉ hàng giả/hàng lậu cùng lúc',
      ),
    );
  }
  return reasons;
}

/**
 * Description evidence has its own, lower weights: sellers paste boilerplate there, and a buyer
 * reads the title first. Only kinds the title does not already show count, and the reason says
 * the evidence is in the description.
 */
export const DESCRIPTION_WEIGHTS = { fake: 45, laundering: 38, smuggling: 40 } as const;

const DESCRIPTION_TEXTS: Record<'fake' | 'laundering' | 'smuggling', { code: string; en: string; vi: string }> = {
  fake: {
    code: 'description.counterfeit',
    en: 'Description (not the title) uses counterfeit slang',
    vi: 'Mô tả (không phải tiêu đề) dùng từ lóng chỉ hàng giả',
  },
  laundering: {
    code: 'description.laundering',
    en: 'Description (not the title) uses a laundering label',
    vi: 'Mô tả (không phải tiêu đề) dùng nhãn "rửa" nguồn gốc',
  },
  smuggling: {
    code: 'description.smuggling',
    en: 'Description (not the title) suggests smuggled or grey-import goods',
    vi: 'Mô tả (không phải tiêu đề) gợi ý hàng lậu/xách tay',
  },
};

/** The strongest description-only lexicon reason, or null. */
export function descriptionReasons(
  descriptionHits: readonly LexiconHit[],
  titleHits: readonly LexiconHit[],
  context: LexiconContext,
): Reason | null {
  if (descriptionHits.length === 0) return null;
  const inTitle = new Set<string>();
  for (const hit of titleHits) inTitle.add(hit.kind === 'fake_with_brand' ? 'fake' : hit.kind === 'fullbox' ? 'laundering' : hit.kind);
  let best: 'fake' | 'laundering' | 'smuggling' | null = null;
  const terms: string[] = [];
  for (const hit of descriptionHits) {
    let kind: 'fake' | 'laundering' | 'smuggling' | null = null;
    if (hit.kind === 'fake' || (hit.kind === 'fake_with_brand' && context.brandMentioned)) kind = 'fake';
    else if (hit.kind === 'laundering') kind = 'laundering';
    else if (hit.kind === 'smuggling') kind = 'smuggling';
    if (kind === null || inTitle.has(kind)) continue;
    if (best === null || DESCRIPTION_WEIGHTS[kind] > DESCRIPTION_WEIGHTS[best]) best = kind;
    if (terms.length < 4 && !terms.includes(hit.term)) terms.push(hit.term);
  }
  if (best === null) return null;
  const text = DESCRIPTION_TEXTS[best];
  return makeReason(
    text.code,
    DESCRIPTION_WEIGHTS[best],
    `in the description: ${terms.map((term) => `"${term}"`).join(', ')}`,
    text.en,
    text.vi,
  );
}
