/** One reason behind a score: what fired, how much it weighs, and the words that triggered it. */
export interface Reason {
  /** Stable machine code, e.g. "address.placeholder", "price.below_reference", "brand.slang". */
  code: string;
  /** Points this reason adds to (or, negative, removes from) the 0–100 score. */
  weight: number;
  /** The evidence text: matched words, the price against the reference, the address issue. */
  detail: string;
  /** Short explanation for investigators, in English. */
  en: string;
  /** The same explanation in Vietnamese. */
  vi: string;
}
