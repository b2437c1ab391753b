import { MARKETPLACES, type Marketplace } from '../../core/domain/records.ts';

/**
 * Queue layout. Fetch has one queue per marketplace so a per-marketplace request rate
 * (BullMQ's global rate limit is per queue) applies to the whole fleet, not to each worker.
 */
export const STAGES = ['discover', 'fetch', 'score', 'evidence', 'export', 'alerts'] as const;
export type Stage = (typeof STAGES)[number];

/** Default key prefix in Redis; tests and side-by-side deployments pick their own. */
export const DEFAULT_PREFIX = 'radar';

export function fetchQueueName(marketplace: Marketplace): string {
  return `fetch-${marketplace}`;
}

/** Every queue a worker can consume, in a stable order. */
export function allQueueNames(): string[] {
  return ['discover', ...MARKETPLACES.map(fetchQueueName), 'score', 'evidence', 'export', 'alerts'];
}

/**
 * Expands `--queues` values: a stage name (`fetch` = every fetch queue) or an exact queue name.
 * Throws with the list of valid names on a typo.
 */
export function resolveQueueNames(requested: readonly string[] | undefined): string[] {
  const all = allQueueNames();
  if (!requested || requested.length === 0) return all;
  const out = new Set<string>();
  for (const raw of requested) {
    const name = raw.trim();
    if (!name) continue;
    if (name === 'fetch') MARKETPLACES.forEach((m) => out.add(fetchQueueName(m)));
    else if (all.includes(name)) out.add(name);
    else throw new Error(`unknown queue "${name}"; choose from: fetch, ${all.join(', ')}`);
  }
  return [...out];
}
