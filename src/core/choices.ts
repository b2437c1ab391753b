/**
 * Resolving what a user typed for an enumerated option (a marketplace, a status, a province) to one of
 * its known values, and saying which values were meant when it matches none: a filter that matches
 * nothing must stop with a message, never run and print zero rows.
 */
import { UserError } from './errors.ts';

/** One value an option accepts, with every spelling that means it. */
export interface Choice<T> {
  value: T;
  /** How the value is shown in messages ("shopee", "Thành phố Hồ Chí Minh"). */
  label: string;
  /** Further spellings (abbreviations, former names, codes); matched after folding. */
  aliases?: readonly string[];
}

/** Case-, accent- and punctuation-insensitive form: "TP.HCM" → "tp hcm", "Đà Nẵng" → "da nang". */
export function foldChoice(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[đĐ]/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Damerau–Levenshtein (optimal string alignment) distance. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

function spellings<T>(choice: Choice<T>): string[] {
  return [choice.label, ...(choice.aliases ?? [])].map(foldChoice).filter((s) => s !== '');
}

/** The choice whose label or an alias folds to the same text as `input`, if exactly one does. */
export function exactChoice<T>(input: string, choices: readonly Choice<T>[]): Choice<T> | undefined {
  const key = foldChoice(input);
  if (key === '') return undefined;
  const hits = choices.filter((choice) => spellings(choice).includes(key));
  return hits.length === 1 ? hits[0] : undefined;
}

/**
 * The `count` choices closest to `input`: by edit distance to the nearest spelling, a spelling that
 * starts with or contains the input counting as close; ties keep the choices' order.
 */
export function closestChoices<T>(input: string, choices: readonly Choice<T>[], count = 3): Choice<T>[] {
  const key = foldChoice(input);
  const scored = choices.map((choice, order) => {
    let best = Number.POSITIVE_INFINITY;
    for (const spelling of spellings(choice)) {
      let distance = editDistance(key, spelling);
      if (key.length >= 2 && spelling.includes(key)) distance = Math.min(distance, spelling.startsWith(key) ? 0.5 : 1);
      // A long official name should not lose to a short one only because it has more letters to edit.
      const words = spelling.split(' ');
      for (let w = 0; w < words.length; w++) {
        const tail = words.slice(w).join(' ');
        if (tail !== spelling) distance = Math.min(distance, editDistance(key, tail) + 0.25);
      }
      best = Math.min(best, distance);
    }
    return { choice, best, order };
  });
  scored.sort((a, b) => a.best - b.best || a.order - b.order);
  // Only the near ones: within one edit of the best, so "shoppe" suggests shopee alone.
  const limit = scored.length > 0 ? scored[0]!.best + 1 : 0;
  return scored
    .filter((s) => s.best <= limit)
    .slice(0, count)
    .map((s) => s.choice);
}

/** Options of {@link resolveChoice}. */
export interface ResolveChoiceOptions {
  /**
   * How many close matches the error message names.
   * @default 3
   */
  suggestions?: number;
  /** Shown after the suggestions, e.g. "see radar leads list --help". Without it, the message ends with the suggestions. */
  hint?: string;
}

/**
 * The value `input` means for the option `flag` (e.g. "--marketplace"). Throws a one-line UserError
 * (exit 2) naming the closest choices when it means none of them.
 */
export function resolveChoice<T>(flag: string, input: string, choices: readonly Choice<T>[], options: ResolveChoiceOptions = {}): T {
  const hit = exactChoice(input, choices);
  if (hit) return hit.value;
  throw new UserError(unknownChoiceMessage(flag, input, choices, options));
}

/** `unknown --marketplace "shoppe"; did you mean shopee? (one of: shopee, lazada, …)` */
export function unknownChoiceMessage<T>(
  flag: string,
  input: string,
  choices: readonly Choice<T>[],
  options: ResolveChoiceOptions = {},
): string {
  const close = closestChoices(input, choices, options.suggestions ?? 3).map((c) => c.label);
  const all = choices.length <= 8 ? ` (one of: ${choices.map((c) => c.label).join(', ')})` : '';
  const hint = options.hint ? `; ${options.hint}` : '';
  return `unknown ${flag} "${input}"; did you mean ${close.join(' or ')}?${all}${hint}`;
}

/** Choices for a plain list of values whose labels are the values themselves. */
export function plainChoices<T extends string>(values: readonly T[], aliases: Partial<Record<T, readonly string[]>> = {}): Choice<T>[] {
  return values.map((value) => ({ value, label: value, aliases: aliases[value] ?? [] }));
}
