/**
 * Phrases that say "this is not an address" (placeholders) or "this shop ships from abroad" (overseas),
 * matched on the ASCII word sequence so diacritics, case and punctuation do not matter.
 */

const PLACEHOLDER_PHRASES = [
  'toan quoc',
  'hang order',
  'order',
  'oder',
  'hang oder',
  'kho quang chau',
  'kho trung quoc',
  'lien he',
  'inbox',
  'ib',
  'zalo',
  'ship cod',
  'cod',
  'giao hang toan quoc',
  'freeship',
  'dang cap nhat',
  'chua cap nhat',
  'khong co',
  'khong ro',
  'none',
  'null',
  'undefined',
  'xxx',
  'nhan tin',
  'facebook',
  'messenger',
  'xem mo ta',
];

/** Country words: never a Vietnamese place, so they win over any province found elsewhere in the text. */
const FOREIGN_COUNTRIES = [
  'nuoc ngoai',
  'quoc te',
  'trung quoc',
  'china',
  'hong kong',
  'hongkong',
  'dai loan',
  'taiwan',
  'han quoc',
  'korea',
  'nhat ban',
  'japan',
  'thai lan',
  'thailand',
  'singapore',
  'malaysia',
  'indonesia',
  'campuchia',
  'cambodia',
  'usa',
  'hoa ky',
  'united states',
  'overseas',
  'cross border',
  'hang quoc te',
  'prc',
];

/** Foreign cities that share spellings with Vietnamese communes ("Xã Quảng Châu"): overseas only when no Vietnamese unit resolved. */
const FOREIGN_CITIES = [
  'quang chau',
  'guangzhou',
  'shenzhen',
  'tham quyen',
  'nghia o',
  'yiwu',
  'thuong hai',
  'shanghai',
  'bac kinh',
  'beijing',
  'dong quan',
  'dongguan',
  'phat son',
  'foshan',
  'ha khau',
  'hekou',
  'bang tuong',
  'pingxiang',
  'quang tay',
  'guangxi',
  'quang dong',
  'guangdong',
  'chiet giang',
  'zhejiang',
  'seoul',
  'tokyo',
  'osaka',
  'bangkok',
];

const VIETNAM_ONLY = ['viet nam', 'vietnam', 'vn', 'vietnamese'];
const VIETNAM_ONLY_MAX_WORDS = Math.max(...VIETNAM_ONLY.map((phrase) => phrase.split(' ').length));

type Category = 'placeholder' | 'country' | 'city';

/** All phrases in one map, scanned once per address: this runs for every listing the scorer sees. */
const PHRASES = new Map<string, Category>();
for (const phrase of FOREIGN_CITIES) PHRASES.set(phrase, 'city');
for (const phrase of PLACEHOLDER_PHRASES) PHRASES.set(phrase, 'placeholder');
for (const phrase of FOREIGN_COUNTRIES) PHRASES.set(phrase, 'country');
const MAX_PHRASE_WORDS = Math.max(...[...PHRASES.keys()].map((p) => p.split(' ').length));

/** The first placeholder phrase, foreign country and foreign city found as whole words, or null each. */
export interface PhraseHits {
  placeholder: string | null;
  country: string | null;
  city: string | null;
}

/** First words of all phrases: most address words start none, and need no n-gram joins. */
const FIRST_WORDS = new Set([...PHRASES.keys()].map((p) => p.split(' ')[0]!));

export function findPhrases(words: readonly string[]): PhraseHits {
  const hits: PhraseHits = { placeholder: null, country: null, city: null };
  for (let i = 0; i < words.length; i++) {
    if (!FIRST_WORDS.has(words[i]!)) continue;
    let candidate = '';
    for (let n = 0; n < MAX_PHRASE_WORDS && i + n < words.length; n++) {
      candidate = n === 0 ? words[i]! : `${candidate} ${words[i + n]!}`;
      const category = PHRASES.get(candidate);
      if (category !== undefined && hits[category] === null) hits[category] = candidate;
    }
  }
  return hits;
}

export function findForeignCountry(words: readonly string[]): string | null {
  return findPhrases(words).country;
}

export function findForeignCity(words: readonly string[]): string | null {
  return findPhrases(words).city;
}

const VIETNAM_WORDS = new Set(['vietnam', 'vn', 'vietnamese']);

/** "Việt Nam", "VN": the country alone, which locates nothing. */
export function isVietnamWord(word: string): boolean {
  return VIETNAM_WORDS.has(word);
}

export function isOnlyVietnam(words: readonly string[]): boolean {
  // Addresses longer than every VIETNAM_ONLY phrase need no join.
  if (words.length > VIETNAM_ONLY_MAX_WORDS) return false;
  return VIETNAM_ONLY.includes(words.join(' '));
}
