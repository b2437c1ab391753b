/** Deterministic, seeded splits for fitting: a stratified held-out set and k folds of the rest. */

/** mulberry32: a small seeded generator; the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export interface Split {
  /** Indices kept out of every fit, for the final before/after. */
  heldOut: number[];
  /** Indices the model is fitted on. */
  training: number[];
  /** `folds[k]`: the training indices validated in fold k (fitted on the other folds). */
  folds: number[][];
}

/**
 * Splits example indices by label (each class shuffled on its own, so every part has both classes
 * in the data's proportion): `heldOutShare` of each class held out, the rest dealt round-robin into `k` folds.
 */
export function stratifiedSplit(labels: readonly (0 | 1)[], options: { seed: number; k: number; heldOutShare: number }): Split {
  const random = seededRandom(options.seed);
  const heldOut: number[] = [];
  const training: number[] = [];
  const folds: number[][] = Array.from({ length: options.k }, () => []);
  let dealt = 0;
  for (const label of [1, 0] as const) {
    const members = shuffled(
      labels.flatMap((l, i) => (l === label ? [i] : [])),
      random,
    );
    const held = Math.round(members.length * options.heldOutShare);
    members.forEach((index, position) => {
      if (position < held) heldOut.push(index);
      else {
        training.push(index);
        folds[dealt++ % options.k]!.push(index);
      }
    });
  }
  const byIndex = (a: number, b: number) => a - b;
  return { heldOut: heldOut.sort(byIndex), training: training.sort(byIndex), folds: folds.map((f) => f.sort(byIndex)) };
}
