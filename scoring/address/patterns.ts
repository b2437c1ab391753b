/**
 * Phrases that say "this is not an address" (placeholders) or "this shop ships from abroad" (overseas),
 * matched on the ASCII word sequence so diacritics, case and punctuation do not matter.
 */

const PLACEHOLDER_PHRASES = [
  'toan quoc', 'hang order', 'order', 'oder', 'hang oder', 'kho quang chau', 'kho trung quoc', 'lien he', 'inbox', 'ib',
  'zalo', 'ship cod', 'cod', 'giao hang toan quoc', 'freeship', 'dang cap nhat', 'chua cap nhat', 'khong co', 'khong ro',
  'none', 'null', 'undefined', 'xxx', 'nhan tin', 'facebook', 'messenger', 'xem mo ta',
];

/** Country words: never a Vietnamese place, so they win over any province found elsewhere in the text. */
const FOREIGN_COUNTRIES = [
  'nuoc ngoai', 'quoc te', 'trung quoc', 'china', 'hong kong', 'hongkong', 'dai loan', 'taiwan', 'han quoc', 'korea',
  'nhat ban', 'japan', 'thai lan', 'thailand', 'singapore', 'malaysia', 'indonesia', 'campuchia', 'cambodia',
  'usa', 'hoa ky', 'united states', 'overseas', 'cross border', 'hang quoc te', 'prc',
];

/** Foreign cities that share spellings with Vietnamese communes ("Xã Quảng Châu"): overseas only when no Vietnamese unit resolved. */
const FOREIGN_CITIES = [
  'quang chau', 'guangzhou', 'shenzhen', 'tham quyen', 'nghia o', 'yiwu', 'thuong hai', 'shanghai', 'bac kinh', 'beijing',
  'dong quan', 'dongguan', 'phat son', 'foshan', 'ha khau', 'hekou', 'bang tuong', 'pingxiang', 'quang tay', 'guangxi',
  'quang dong', 'guangdong', 'chiet giang', 'zhejiang', 'seoul', 'tokyo', 'osaka', 'bangkok',
];

const VIETNAM_ONLY = ['viet nam', 'vietnam', 'vn', 'vietnamese'];

function phraseSet(list: readonly string[]): Map<number, Set<string>> {
  const byLength = new Map<number, Set<string>>();
  for (const phrase of list) {
    const n = phrase.split(' ').length;
    const set = byLength.get(n) ?? new Set<string>();
    set.add(phrase);
    byLength.set(n, set);
  }
  return byLength;
}

const placeholders = phraseSet(PLACEHOLDER_PHRASES);
const countries = phraseSet(FOREIGN_COUNTRIES);
const cities = phraseSet(FOREIGN_CITIES);
const vietnam = phraseSet(VIETNAM_ONLY);

/** First phrase of `sets` found as whole words in `words`, or null. */
function findPhrase(words: readonly string[], sets: Map<number, Set<string>>): string | null {
  for (let i = 0; i < words.length; i++) {
    for (const [n, set] of sets) {
      if (i + n > words.length) continue;
      const candidate = n === 1 ? words[i]! : words.slice(i, i + n).join(' ');
      if (set.has(candidate)) return candidate;
    }
  }
  return null;
}

export function findPlaceholder(words: readonly string[]): string | null {
  return findPhrase(words, placeholders);
}

export function findForeignCountry(words: readonly string[]): string | null {
  return findPhrase(words, countries);
}

export function findForeignCity(words: readonly string[]): string | null {
  return findPhrase(words, cities);
}

/** "Việt Nam", "VN": the country alone, which locates nothing. */
export function isVietnamWord(word: string): boolean {
  return vietnam.get(1)!.has(word);
}

export function isOnlyVietnam(words: readonly string[]): boolean {
  const joined = words.join(' ');
  return VIETNAM_ONLY.includes(joined);
}
