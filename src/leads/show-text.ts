import { cellText } from './format.ts';
import { renderTable, type TableOptions } from './table.ts';
import type { LeadDetails } from './show.ts';

const section = (title: string, body: string) => `\n== ${title} ==\n${body}`;

function records(rows: Record<string, unknown>[], columns: string[], options: TableOptions): string {
  if (rows.length === 0) return '(none)\n';
  return renderTable(
    columns,
    rows.map((row) => columns.map((c) => row[c])),
    options,
  );
}

/**
 * `radar leads show` as text: the lead, why, what, who, the evidence and the history. Tables fit
 * `options.width` (or show whole values with `full`); times follow `options.zone`.
 */
export function renderLeadDetails(details: LeadDetails, options: TableOptions = {}): string {
  const time = (value: unknown) => cellText(value, options);
  const lead = details.lead;
  const reasons = Array.isArray(lead.reasons) ? lead.reasons : [];
  const head = [
    `Lead #${lead.id} (${lead.kind})  score ${cellText(lead.score)}  status ${cellText(lead.status)}  assignee ${cellText(lead.assignee) || '–'}`,
    `scoring ${cellText(lead.scoring_version)}  ${lead.province_name ? `province ${cellText(lead.province_name)}${lead.province_source ? ` (from ${cellText(lead.province_source)})` : ''}` : `routed to the national committee (${cellText(lead.province_source) || 'none'})`}`,
    `first flagged ${time(lead.first_flagged_at)}  last flagged ${time(lead.last_flagged_at)}`,
  ].join('\n');
  const reasonText = reasons.length
    ? renderTable(
        ['weight', 'code', 'reason', 'lý do', 'detail'],
        reasons.map((r) => [r.weight, r.code, r.en, r.vi, r.detail]),
        options.width === undefined ? { ...options, maxColumnWidth: 60 } : options,
      )
    : '(none)\n';
  const network = details.network
    ? renderTable(
        ['id', 'key', 'shops', 'marketplaces', 'links'],
        [
          [
            details.network.id,
            details.network.network_key,
            details.network.shop_count,
            details.network.marketplaces,
            details.network.link_kinds,
          ],
        ],
        options,
      )
    : '(not part of a network)\n';
  const evidence = details.evidence.length
    ? renderTable(
        ['id', 'captured', 'http', 'url', 'files'],
        details.evidence.map((e) => [
          e.id,
          e.captured_at,
          e.http_status ?? '',
          e.url,
          Array.isArray(e.files) ? e.files.length : cellText(e.files),
        ]),
        options,
      )
    : details.captureFailures.length
      ? `no valid evidence: ${details.captureFailures.length} failed capture(s), latest: ${details.captureFailures[0]!.reason}\n${renderTable(
          ['failed capture', 'at (VN)', 'http', 'url', 'reason'],
          details.captureFailures.slice(0, 10).map((f) => [f.id, f.captured_at_local, f.http_status ?? '', f.url, f.reason]),
          { maxColumnWidth: 70 },
        )}`
      : '(no evidence captured yet; run `radar leads capture ID`)\n';
  return [
    head,
    section('Reasons', reasonText),
    section('Listings', records(details.listings, ['id', 'marketplace', 'title', 'brand', 'price_vnd', 'status', 'url'], options)),
    section(
      'Shops',
      records(
        details.shops,
        ['id', 'marketplace', 'name', 'raw_address', 'province_name', 'ward_name', 'address_quality', 'phone_e164'],
        options,
      ),
    ),
    section('Network', network),
    section('Evidence', evidence),
    section('History', records(details.events, ['at', 'actor', 'event', 'from_status', 'to_status', 'note'], options)),
  ].join('\n');
}
