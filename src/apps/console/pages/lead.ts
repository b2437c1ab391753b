import type { NetworkLink, NetworkShop } from '../../../core/db/stores/console-leads.ts';
import type { Reason } from '../../../core/domain/reasons.ts';
import type { LeadDetails } from '../../../leads/show.ts';
import { REVIEW_STATUSES } from '../../../leads/status.ts';
import { html, type SafeHtml } from '../html.ts';
import { addressQualityLabel, eventLabel, formatDate, formatVnd, kindLabel, linkKindLabel, statusLabel, t, type Lang } from '../i18n.ts';
import { csrfField, type PageUser } from './layout.ts';
import { displayText } from '../../../core/display.ts';

/** One evidence file with the result of re-hashing it on disk. */
export interface CheckedFile {
  index: number;
  kind: string;
  path: string;
  contentType: string | null;
  bytes: number | null;
  state: 'verified' | 'mismatch' | 'missing' | 'no-hash';
}

export interface CheckedEvidence {
  id: number;
  url: string;
  capturedAt: Date;
  files: CheckedFile[];
  screenshot: CheckedFile | null;
}

export interface LeadView {
  lang: Lang;
  user: PageUser;
  canAct: boolean;
  details: LeadDetails;
  referencePrice: number | null;
  evidence: CheckedEvidence[];
  network: { shops: NetworkShop[]; links: NetworkLink[] } | null;
}

const str = (v: unknown) => (v === null || v === undefined ? null : displayText(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function priceLine(lang: Lang, price: number | null, reference: number | null): SafeHtml {
  if (price === null) return html`—`;
  if (!reference) return html`${formatVnd(price)}`;
  const pct = Math.round((price / reference) * 100);
  return html`${formatVnd(price)} · ${t(lang, 'reference')} ${formatVnd(reference)} (<strong>${pct}%</strong> ${t(lang, 'ofReference')})`;
}

function reasonsBlock(lang: Lang, reasons: Reason[]): SafeHtml {
  return html`<table class="reasons-table"><caption class="sr-only">${t(lang, 'reasons')}</caption>
  <thead><tr><th scope="col">Tiếng Việt</th><th scope="col">English</th><th scope="col">${t(lang, 'evidence')}</th><th scope="col">+</th></tr></thead>
  <tbody>${reasons.map(
    (r) =>
      html`<tr><td lang="vi">${r.vi}</td><td lang="en">${r.en}</td><td><q>${r.detail || '—'}</q></td><td class="num">${r.weight}</td></tr>`,
  )}</tbody></table>`;
}

function fileState(lang: Lang, state: CheckedFile['state']): SafeHtml {
  const label = {
    verified: t(lang, 'verified'),
    mismatch: t(lang, 'notVerified'),
    missing: t(lang, 'missingFile'),
    'no-hash': t(lang, 'noHash'),
  }[state];
  return html`<span class="state ${state}">${state === 'verified' ? '✔ ' : state === 'mismatch' ? '✘ ' : ''}${label}</span>`;
}

function evidenceBlock(lang: Lang, evidence: CheckedEvidence[], subject: string): SafeHtml {
  if (evidence.length === 0) return html`<p>${t(lang, 'noEvidence')}</p>`;
  return html`${evidence.map(
    (e) => html`<article class="evidence" id="evidence-${e.id}">
    <p>${t(lang, 'capturedAt')}: <time datetime="${e.capturedAt.toISOString()}">${formatDate(lang, e.capturedAt)}</time> · <a href="${e.url}" rel="noreferrer noopener" target="_blank">${e.url}</a></p>
    ${
      e.screenshot && e.screenshot.state !== 'missing'
        ? html`<figure><img class="screenshot" src="/evidence/${e.id}/${e.screenshot.index}" alt="${t(lang, 'screenshotOf')}: ${subject}" loading="lazy"><figcaption>${fileState(lang, e.screenshot.state)}</figcaption></figure>`
        : html`<p class="muted">${t(lang, 'noScreenshot')}</p>`
    }
    <table><caption>${t(lang, 'files')}</caption><thead><tr><th scope="col">${t(lang, 'kind')}</th><th scope="col">${t(lang, 'files')}</th><th scope="col">${t(lang, 'verification')}</th></tr></thead>
    <tbody>${e.files.map(
      (f) =>
        html`<tr><td>${f.kind}</td><td>${f.state === 'missing' ? f.path : html`<a href="/evidence/${e.id}/${f.index}" download>${f.path}</a>`} <small>${f.bytes ?? ''}</small></td><td>${fileState(lang, f.state)}</td></tr>`,
    )}</tbody></table>
  </article>`,
  )}`;
}

function networkBlock(lang: Lang, networkId: number, network: LeadView['network'], info: Record<string, unknown> | null): SafeHtml {
  if (!network) return html``;
  const names = new Map(network.shops.map((s) => [s.id, `${s.name} (${s.marketplace})`]));
  return html`<section aria-labelledby="network-heading"><h2 id="network-heading">${t(lang, 'network')} #${networkId} ${str(info?.network_key) ? html`<small>${str(info?.network_key)}</small>` : ''}</h2>
  <p><a href="/networks/${networkId}">${t(lang, 'viewGraph')}</a></p>
  <h3>${t(lang, 'members')} (${network.shops.length})</h3>
  <ul class="members">${network.shops.map((s) => html`<li>${s.name} · ${s.marketplace} · ${s.province_name ?? t(lang, 'unknownProvince')}${s.lead_id ? html` · <a href="/leads/${s.lead_id}">#${s.lead_id}</a>` : ''}</li>`)}</ul>
  <h3>${t(lang, 'links')} (${network.links.length})</h3>
  <ul class="links">${network.links.slice(0, 100).map((l) => html`<li>${names.get(l.a)} — ${names.get(l.b)}: ${linkKindLabel(lang, l.kind)}</li>`)}</ul>
  </section>`;
}

export function leadPage(v: LeadView): SafeHtml {
  const { lang, details } = v;
  const lead = details.lead;
  const listing =
    details.listings.find((l) => num(l.id) === num(lead.listing_id)) ?? (lead.kind === 'listing' ? details.listings[0] : undefined);
  const shop = details.shops.find((s) => num(s.id) === num(listing?.shop_id ?? lead.shop_id)) ?? details.shops[0];
  const subject = str(listing?.title) ?? str(shop?.name) ?? str(details.network?.network_key) ?? `#${lead.id}`;
  const networkId = num(lead.network_id) ?? num(shop?.network_id);
  const actions = v.canAct
    ? html`<section aria-labelledby="actions-heading" class="actions"><h2 id="actions-heading">${t(lang, 'actions')}</h2>
    <form method="post" action="/leads/${lead.id}/status" id="status-form">${csrfField(v.user)}
      <label>${t(lang, 'status')}<select name="status" id="status-select">${REVIEW_STATUSES.map((s) => html`<option value="${s}" ${s === lead.status ? html`selected` : ''}>${statusLabel(lang, s)}</option>`)}</select></label>
      <label>${t(lang, 'note')}<textarea name="note" id="status-note" rows="2"></textarea></label>
      <button type="submit">${t(lang, 'save')}</button></form>
    <form method="post" action="/leads/${lead.id}/assign" id="assign-form">${csrfField(v.user)}
      <label>${t(lang, 'assignTo')}<input name="assignee" id="assign-name" value="${str(lead.assignee) ?? v.user.name}"></label>
      <button type="submit">${t(lang, 'assign')}</button></form>
    <form method="post" action="/leads/${lead.id}/capture" id="capture-form">${csrfField(v.user)}<button type="submit">${t(lang, 'captureNow')}</button></form>
    <form method="post" action="/leads/${lead.id}/pack" id="pack-form">${csrfField(v.user)}<button type="submit">${t(lang, 'downloadPack')}</button></form>
    </section>`
    : html`<p class="muted">${t(lang, 'readOnly')}</p>`;
  return html`<p><a href="/leads">← ${t(lang, 'queue')}</a></p>
<h1><span class="score s${Math.floor(Number(lead.score) / 20)}">${Number(lead.score)}</span> ${subject}</h1>
<dl class="facts">
  <dt>${t(lang, 'kind')}</dt><dd>${kindLabel(lang, lead.kind)} #${lead.id}</dd>
  <dt>${t(lang, 'status')}</dt><dd id="lead-status">${statusLabel(lang, str(lead.status))}</dd>
  <dt>${t(lang, 'assignee')}</dt><dd id="lead-assignee">${str(lead.assignee) ?? '—'}</dd>
  <dt>${t(lang, 'scoringVersion')}</dt><dd>${str(lead.scoring_version)}</dd>
  <dt>${t(lang, 'firstFlagged')}</dt><dd>${formatDate(lang, lead.first_flagged_at as Date)}</dd>
  <dt>${t(lang, 'lastFlagged')}</dt><dd>${formatDate(lang, lead.last_flagged_at as Date)}</dd>
  ${
    listing
      ? html`<dt>${t(lang, 'price')}</dt><dd>${priceLine(lang, num(listing.price_vnd), v.referencePrice)}</dd>
  <dt>${t(lang, 'brand')}</dt><dd>${str(listing.brand) ?? '—'}</dd>
  <dt>${t(lang, 'marketplace')}</dt><dd>${str(listing.marketplace)} · <a href="${str(listing.url) ?? '#'}" rel="noreferrer noopener" target="_blank">${str(listing.url)}</a></dd>`
      : ''
  }
</dl>
${
  shop
    ? html`<section aria-labelledby="shop-heading"><h2 id="shop-heading">${t(lang, 'shop')}: ${str(shop.name)}</h2>
<dl class="facts">
  <dt>${t(lang, 'marketplace')}</dt><dd>${str(shop.marketplace)}${str(shop.url) ? html` · <a href="${str(shop.url)}" rel="noreferrer noopener" target="_blank">${str(shop.url)}</a>` : ''}</dd>
  <dt>${t(lang, 'address')}</dt><dd>${str(shop.raw_address) ?? '—'}</dd>
  <dt>${t(lang, 'ward')}</dt><dd>${str(shop.ward_name) ?? '—'}</dd>
  <dt>${t(lang, 'province')}</dt><dd id="shop-province">${str(shop.province_name) ?? str(lead.province_name) ?? t(lang, 'unknownProvince')}</dd>
  <dt>${t(lang, 'addressQuality')}</dt><dd>${addressQualityLabel(lang, str(shop.address_quality))}</dd>
  <dt>${t(lang, 'phone')}</dt><dd>${str(shop.phone_e164) ?? '—'}</dd>
  <dt>${t(lang, 'taxCode')}</dt><dd>${str(shop.tax_code) ?? '—'}</dd>
</dl></section>`
    : ''
}
${actions}
<section aria-labelledby="reasons-heading"><h2 id="reasons-heading">${t(lang, 'reasons')}</h2>${reasonsBlock(lang, lead.reasons)}</section>
<section aria-labelledby="evidence-heading"><h2 id="evidence-heading">${t(lang, 'evidence')}</h2>${evidenceBlock(lang, v.evidence, subject)}</section>
${networkId ? networkBlock(lang, networkId, v.network, details.network) : ''}
${
  lead.kind !== 'listing' && details.listings.length
    ? html`<section aria-labelledby="listings-heading"><h2 id="listings-heading">${t(lang, 'listings')}</h2>
<ul>${details.listings.map((l) => html`<li>${str(l.title)} · ${formatVnd(num(l.price_vnd))}</li>`)}</ul></section>`
    : ''
}
<section aria-labelledby="history-heading"><h2 id="history-heading">${t(lang, 'history')}</h2>
<table id="history"><caption class="sr-only">${t(lang, 'history')}</caption><thead><tr><th scope="col">${t(lang, 'at')}</th><th scope="col">${t(lang, 'event')}</th><th scope="col">${t(lang, 'actor')}</th><th scope="col">${t(lang, 'status')}</th><th scope="col">${t(lang, 'note')}</th></tr></thead>
<tbody>${[...details.events].reverse().map(
    (e) => html`<tr><td>${formatDate(lang, e.at as Date)}</td><td>${eventLabel(lang, str(e.event))}</td><td>${str(e.actor)}</td>
    <td>${e.to_status ? html`${statusLabel(lang, str(e.from_status))} → ${statusLabel(lang, str(e.to_status))}` : eventDetail(e.data)}</td><td>${str(e.note) ?? ''}</td></tr>`,
  )}</tbody></table></section>`;
}

function eventDetail(data: unknown): string {
  const d = (typeof data === 'string' ? JSON.parse(data) : data) as Record<string, unknown> | null;
  if (d && 'to' in d) return `→ ${displayText(d.to) || '—'}`;
  return '';
}
