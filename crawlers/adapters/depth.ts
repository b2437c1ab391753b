/**
 * Bounded nesting for outside data. `JSON.parse` copes with any depth, but everything after it that
 * recurses (JSON.stringify when a record's `raw` is stored, zod, cheerio text walks) overflows the
 * stack on an item nested 100,000 deep, and one such item used to fail the whole page and its batch.
 */

/** Deeper items are refused one by one; real marketplace items stay well under 20 levels. */
export const MAX_NESTING = 64;

/**
 * True when `value` nests arrays/objects deeper than `max` levels. Iterative (an explicit stack),
 * stops at the first too-deep path, and visits each container once, so hostile input costs O(size).
 */
export function nestedDeeperThan(value: unknown, max: number = MAX_NESTING): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: [unknown, number][] = [[value, 1]];
  const seen = new Set<object>();
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    if (depth > max) return true;
    seen.add(node);
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Reference implementation (recursive) used as the test oracle for {@link nestedDeeperThan}. */
export function depthOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + children.reduce<number>((deepest, child) => Math.max(deepest, depthOf(child)), 0);
}
