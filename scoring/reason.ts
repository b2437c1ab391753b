import type { Reason } from '../src/core/domain/reasons.ts';

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
  // Groups of three from the right, the first group 1–3 digits: one slice per group, not per digit.
  let end = digits.length % 3 || 3;
  let out = digits.slice(0, end);
  for (; end < digits.length; end += 3) out += `.${digits.slice(end, end + 3)}`;
  return `${vnd < 0 ? '-' : ''}${out} ₫`;
}
