/**
 * Fault injection. A fault is forced per request with `?__fault=KIND`, or drawn from a profile,
 * deterministically from the seed, the request path and how many times that path was requested.
 */
import { hash32, hashString } from './rng.ts';

// '503' and 'empty' (an app shell that never renders) are only ever forced; no profile draws them.
export const FAULT_KINDS = ['429', '500', 'slow', 'block', 'truncate', 'malformed', 'gate', 'poison', '503', 'empty'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const FAULT_PROFILES = ['none', 'default', 'hostile'] as const;
export type FaultProfile = (typeof FAULT_PROFILES)[number];

interface ProfileSpec {
  rates: Partial<Record<FaultKind, number>>;
  /** Attempts (0-based) from which a path is always served cleanly; null = never guaranteed. */
  cleanFromAttempt: number | null;
}

/**
 * `default` has only transient faults, and the third request for any path always succeeds, so a crawler
 * that retries collects everything. `hostile` adds blocks, gates, broken bodies and poisoned prices with
 * no guarantee.
 */
export const PROFILES: Record<FaultProfile, ProfileSpec> = {
  none: { rates: {}, cleanFromAttempt: 0 },
  default: { rates: { '429': 0.02, '500': 0.02, slow: 0.01 }, cleanFromAttempt: 2 },
  hostile: {
    rates: { '429': 0.05, '500': 0.05, slow: 0.02, block: 0.04, gate: 0.03, truncate: 0.02, malformed: 0.02, poison: 0.03 },
    cleanFromAttempt: null,
  },
};

/** How long a `slow` response waits, in ms. */
export const SLOW_MS = 800;
/** The Retry-After seconds a 429 carries. */
export const RETRY_AFTER_S = 1;

export class FaultPlanner {
  private readonly attempts = new Map<string, number>();
  readonly counts: Record<string, number> = {};
  /** False when the profile never draws a fault (`none`): only forced faults happen, and no key is needed. */
  readonly draws: boolean;

  constructor(
    private readonly seed: number,
    private readonly profile: FaultProfile,
  ) {
    this.draws = PROFILES[profile].cleanFromAttempt !== 0;
  }

  /** The fault for this request, or null. Counts every fault served. */
  decide(pathAndQuery: string, forced: string | null): FaultKind | null {
    let fault: FaultKind | null = null;
    if (forced !== null && (FAULT_KINDS as readonly string[]).includes(forced)) fault = forced as FaultKind;
    else if (forced === null) fault = this.draw(pathAndQuery);
    if (fault) this.counts[fault] = (this.counts[fault] ?? 0) + 1;
    return fault;
  }

  private draw(pathAndQuery: string): FaultKind | null {
    const spec = PROFILES[this.profile];
    if (spec.cleanFromAttempt === 0) return null;
    const attempt = this.attempts.get(pathAndQuery) ?? 0;
    // Bounded memory on huge crawls: forgetting attempts only makes faults slightly more likely to repeat.
    if (this.attempts.size >= 1_000_000) this.attempts.clear();
    this.attempts.set(pathAndQuery, attempt + 1);
    if (spec.cleanFromAttempt !== null && attempt >= spec.cleanFromAttempt) return null;
    let roll = hash32(this.seed, hashString(pathAndQuery), attempt) / 4294967296;
    for (const kind of FAULT_KINDS) {
      const rate = spec.rates[kind] ?? 0;
      if (roll < rate) return kind;
      roll -= rate;
    }
    return null;
  }
}
