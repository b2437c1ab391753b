import { z } from 'zod';
import { UserError } from '../../core/errors.ts';
import type { QueueCursor, QueueFilters, QueueSort } from '../../core/db/stores/console-leads.ts';
import { LEAD_STATUSES } from '../../leads/types.ts';
import { parseIsoWeek } from '../../leads/week.ts';
import { resolveProvince } from './provinces.ts';

const MARKETPLACES = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'web'] as const;
const empty = (v: unknown) => (v === '' ? undefined : v);
const str = z.preprocess(empty, z.string().trim().min(1).max(200).optional());
const score = z.preprocess(empty, z.coerce.number().int().min(0).max(100).optional());

/** The queue's URL query: every filter is a plain parameter, so a link can be shared. */
export const QueueQuerySchema = z.object({
  province: str,
  marketplace: z.preprocess(empty, z.enum(MARKETPLACES).optional()),
  brand: str,
  min: score,
  max: score,
  status: z.preprocess(empty, z.enum(LEAD_STATUSES).optional()),
  /** An analyst's name, or "-" for unassigned. */
  assignee: str,
  week: str,
  kind: z.preprocess(empty, z.enum(['listing', 'shop', 'network']).optional()),
  network: z.preprocess(empty, z.coerce.number().int().positive().optional()),
  source: str,
  sort: z.preprocess(empty, z.enum(['score', 'last_flagged']).default('score')),
  /** Keyset cursor "key~id" from the previous page. */
  after: str,
  limit: z.preprocess(empty, z.coerce.number().int().min(1).max(500).default(50)),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

export const QUEUE_PARAMS = [
  'province',
  'marketplace',
  'brand',
  'min',
  'max',
  'status',
  'assignee',
  'week',
  'kind',
  'network',
  'source',
  'sort',
] as const;

export interface ParsedQueue {
  query: QueueQuery;
  filters: QueueFilters;
  sort: QueueSort;
  after?: QueueCursor;
  limit: number;
}

export function parseQueueQuery(raw: Record<string, unknown>): ParsedQueue {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = QueueQuerySchema.safeParse(flat);
  if (!parsed.success) throw new UserError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const q = parsed.data;
  const filters: QueueFilters = {};
  if (q.province !== undefined) filters.provinceCode = resolveProvince(q.province).code;
  if (q.marketplace !== undefined) filters.marketplace = q.marketplace;
  if (q.brand !== undefined) filters.brand = q.brand;
  if (q.min !== undefined) filters.minScore = q.min;
  if (q.max !== undefined) filters.maxScore = q.max;
  if (q.status !== undefined) filters.status = q.status;
  if (q.assignee !== undefined) filters.assignee = q.assignee === '-' ? '' : q.assignee;
  if (q.week !== undefined) {
    const w = parseIsoWeek(q.week);
    filters.week = { start: w.start, end: w.end };
  }
  if (q.kind !== undefined) filters.kind = q.kind;
  if (q.network !== undefined) filters.networkId = q.network;
  if (q.source !== undefined) filters.provinceSource = q.source;
  return { query: q, filters, sort: q.sort, after: q.after === undefined ? undefined : parseCursor(q.after, q.sort), limit: q.limit };
}

export function encodeCursor(cursor: QueueCursor): string {
  return `${cursor.key}~${cursor.id}`;
}

function parseCursor(text: string, sort: QueueSort): QueueCursor {
  const match = /^(.+)~(\d+)$/.exec(text);
  const key = match?.[1];
  const ok = match && (sort === 'score' ? /^\d{1,3}$/.test(key!) : !Number.isNaN(Date.parse(key!)));
  if (!ok) throw new UserError(`"after" must be a cursor from the previous page, got "${text}"`);
  return { key: sort === 'score' ? Number(key) : key!, id: Number(match[2]) };
}

/** The query string for the same filters (no cursor), with changes. */
export function queueHref(q: QueueQuery, changes: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const name of QUEUE_PARAMS) {
    const value = name in changes ? changes[name] : q[name];
    if (value !== undefined && value !== '' && !(name === 'sort' && value === 'score')) params.set(name, String(value));
  }
  for (const [name, value] of Object.entries(changes)) {
    if (!(QUEUE_PARAMS as readonly string[]).includes(name) && value !== undefined) params.set(name, value);
  }
  const s = params.toString();
  return s ? `/leads?${s}` : '/leads';
}
