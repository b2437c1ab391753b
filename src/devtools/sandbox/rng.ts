/**
 * Stateless hashing RNG: every value is a pure function of (seed, stream, index, salt), so any listing or
 * shop can be generated on its own, in any order, with O(1) memory.
 */

/** 32-bit mix (a murmur3 finaliser variant). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform 32-bit unsigned integer from any number of integer keys. */
export function hash32(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) {
    h = mix((h ^ (key | 0)) + 0x7f4a7c15 + ((key / 4294967296) | 0));
  }
  return h;
}

/** Hash of a string, for request paths and query text. */
export function hashString(text: string, seed = 0): number {
  let h = 0x811c9dc5 ^ seed;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return mix(h >>> 0);
}

/** A sequence of draws for one item: each call consumes the next sub-index. */
export class Draw {
  private n = 0;
  constructor(
    private readonly seed: number,
    private readonly stream: number,
    private readonly index: number,
  ) {}

  /** Uniform in [0, 1). */
  next(): number {
    return hash32(this.seed, this.stream, this.index, this.n++) / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}
