import {
  newLeadsInWindow,
  relistingsInWindow,
  watchChangesInWindow,
  type DigestLead,
  type DigestWatchChange,
  type DigestWindow,
} from '../../core/db/stores/alerts.ts';
import type { Queryable } from '../../core/db/types.ts';
import { hcmLocalTime } from '../week.ts';

/** What one recipient is told: new leads at or above their threshold, sellers who came back, and watched changes. */
export interface Digest {
  /** `radar-digest/1`: receivers check this before reading the rest. */
  schema: 'radar-digest/1';
  province_code: number | null;
  since: string;
  until: string;
  min_score: number;
  new_leads: DigestLead[];
  relistings: DigestLead[];
  watch_changes: DigestWatchChange[];
  /** True for `radar alerts test`: a sample, not real leads. */
  test?: boolean;
}

export async function buildDigest(db: Queryable, window: DigestWindow): Promise<Digest> {
  const [newLeads, relistings, watchChanges] = await Promise.all([
    newLeadsInWindow(db, window),
    relistingsInWindow(db, window),
    watchChangesInWindow(db, window),
  ]);
  return {
    schema: 'radar-digest/1',
    province_code: window.provinceCode,
    since: window.since.toISOString(),
    until: window.until.toISOString(),
    min_score: window.minScore,
    new_leads: newLeads,
    relistings,
    watch_changes: watchChanges,
  };
}

export function isEmptyDigest(digest: Digest): boolean {
  return digest.new_leads.length === 0 && digest.relistings.length === 0 && digest.watch_changes.length === 0;
}

export function sampleDigest(now: Date): Digest {
  return {
    schema: 'radar-digest/1',
    province_code: 79,
    since: new Date(now.getTime() - 86_400_000).toISOString(),
    until: now.toISOString(),
    min_score: 80,
    new_leads: [
      {
        lead_id: 0,
        kind: 'listing',
        score: 92,
        province_name: 'Thành phố Hồ Chí Minh',
        top_reasons: 'Sample reason (test)',
        url: 'https://example.invalid/listing',
        subject: 'Tin mẫu / Sample listing',
        relisting: null,
      },
    ],
    relistings: [],
    watch_changes: [],
    test: true,
  };
}

const line = (lead: DigestLead) =>
  `- [${lead.score}] ${lead.subject ?? `lead ${lead.lead_id}`} — ${lead.province_name ?? 'chưa rõ tỉnh / no province'}\n  ${lead.url ?? ''}\n  ${lead.top_reasons ?? ''}`;

/** Plain-text email body, Vietnamese first; times in Asia/Ho_Chi_Minh. */
export function digestText(digest: Digest): string {
  const parts = [
    `${digest.test ? '[THỬ / TEST] ' : ''}Bản tin counterfeit-radar / counterfeit-radar digest`,
    `Từ / From ${hcmLocalTime(new Date(digest.since))} đến / to ${hcmLocalTime(new Date(digest.until))} (giờ Việt Nam)`,
    '',
    `Lead mới từ ${digest.min_score} điểm / New leads scoring ${digest.min_score}+: ${digest.new_leads.length}`,
    ...digest.new_leads.map(line),
    '',
    `Người bán tái xuất / Repeat offenders: ${digest.relistings.length}`,
    ...digest.relistings.map((lead) => `${line(lead)}\n  ${lead.relisting ?? ''}`),
    '',
    `Thay đổi trong danh sách theo dõi / Watchlist changes: ${digest.watch_changes.length}`,
    ...digest.watch_changes.map(
      (c) =>
        `- ${c.kind} ${c.value}: ${c.change}${c.old_value !== null || c.new_value !== null ? ` (${c.old_value ?? '—'} → ${c.new_value ?? '—'})` : ''} ${c.url ?? ''}`,
    ),
  ];
  return `${parts.join('\n')}\n`;
}

export function digestSubject(digest: Digest, provinceName: string | null): string {
  const where = provinceName ?? (digest.province_code === null ? 'toàn quốc' : `tỉnh ${digest.province_code}`);
  return `${digest.test ? '[THỬ] ' : ''}counterfeit-radar: ${digest.new_leads.length} lead mới, ${digest.relistings.length} tái xuất — ${where}`;
}
