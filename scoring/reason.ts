import type { Reason } from '../src/core/domain/reasons.ts';
import { SCORING_CONFIG } from './config.ts';

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

/** Clamps a raw points total to the 0–100 scale (leads clamp stored scores; scoring uses `scoreFromEvidence`). */
export function clampScore(points: number): number {
  return points <= 0 ? 0 : points >= 100 ? 100 : Math.round(points);
}

/**
 * The calibrated score of a listing's evidence: its reasons' weights summed (negative weights count
 * against risk), read as a noisy-OR of per-reason likelihoods `1 − e^(−w/s)`, so the result is
 * `100 · (1 − e^(−E/s))`. The scale `s` puts 70 points of evidence at exactly 70, so the lead threshold
 * means what it meant when the sum was clamped; above it scores keep rising (146 points → 92, 244 → 98)
 * instead of all stopping at 100. 100 needs 308 points.
 */
export function scoreFromEvidence(evidence: number): number {
  return evidence <= 0 ? 0 : Math.round(100 * -Math.expm1(-evidence / EVIDENCE_SCALE));
}

/** Evidence points `s` at which the likelihood is 1 − 1/e: chosen so `scoreFromEvidence(70)` is 70. */
export const EVIDENCE_SCALE = SCORING_CONFIG.combination.anchorPoints / Math.log(1 / (1 - SCORING_CONFIG.combination.anchorPoints / 100));

/**
 * The signal family a reason belongs to. Families count as independent evidence: reasons within one
 * (several lexicon terms, a shop's address and identity facts) describe the same observation.
 */
export function signalFamily(code: string): string {
  const dot = code.indexOf('.');
  const head = dot < 0 ? code : code.slice(0, dot);
  // Address and identity facts are both the shop's profile (and share one cap).
  return head === 'address' || head === 'identity' ? 'shop' : head;
}

/** How many independent signal families carry positive evidence. */
export function independentSignals(reasons: readonly Reason[]): number {
  let count = 0;
  let seen = '';
  for (const reason of reasons) {
    if (reason.weight <= 0) continue;
    const family = signalFamily(reason.code);
    // A listing has a handful of families: a delimited string beats allocating a Set per listing.
    if (seen.includes(`|${family}|`)) continue;
    seen += `|${family}|`;
    count++;
  }
  return count;
}

/** A ranked lead's sort facts. */
export interface RankFacts {
  score: number;
  /** Independent signal families with positive evidence. */
  signals: number;
  /** Evidence points (sum of reason weights). */
  evidence: number;
}

/**
 * Ranking order of leads: higher score first; at equal score, more independent signals first (two
 * families agreeing beat one strong family, which a single false match can explain), then more evidence.
 * Returns 0 for a full tie; callers break it by id.
 */
export function compareRank(a: RankFacts, b: RankFacts): number {
  return b.score - a.score || b.signals - a.signals || b.evidence - a.evidence;
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
