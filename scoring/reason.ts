import type { Reason } from '../src/domain/reasons.ts';

/** Builds a reason; weights are rounded so stored JSON stays readable. */
export function makeReason(code: string, weight: number, detail: string, en: string, vi: string): Reason {
  return { code, weight: Math.round(weight), detail, en, vi };
}

/** Strongest first (by absolute contribution to risk, negatives last), stable among equals. */
export function sortReasons(reasons: Reason[]): Reason[] {
  // Insertion sort: a listing has a handful of reasons, and this is called for every listing. It is
  // stable like Array.prototype.sort, so equal weights keep their order and the output is the same.
  for (let i = 1; i < reasons.length; i++) {
    const reason = reasons[i]!;
    let j = i - 1;
    while (j >= 0 && reasons[j]!.weight < reason.weight) {
      reasons[j + 1] = reasons[j]!;
      j--;
    }
    reasons[j + 1] = reason;
  }
  return reasons;
}

/** Clamps a raw points total to the 0–100 scale. */
export function clampScore(points: number): number {
  return points <= 0 ? 0 : points >= 100 ? 100 : Math.round(points);
}

/** "1.250.000 ₫" — Vietnamese grouping, as investigators read prices. */
export function formatVnd(vnd: number): string {
  const digits = Math.round(Math.abs(vnd)).toString();
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += '.';
    out += digits[i];
  }
  return `${vnd < 0 ? '-' : ''}${out} ₫`;
}
