import type { QueuePage } from '../../../core/db/stores/console-leads.ts';
import { LEAD_STATUSES } from '../../../leads/types.ts';
import { REVIEW_STATUSES } from '../../../leads/status.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatDate, formatVnd, kindLabel, PROVINCE_SOURCES, provinceSourceLabel, statusLabel, t, type Lang } from '../i18n.ts';
import type { Province } from '../provinces.ts';
import { encodeCursor, queueHref, type QueueQuery } from '../queue.ts';
import { csrfField, type PageUser } from './layout.ts';

export interface QueueView {
  lang: Lang;
  user: PageUser;
  canAct: boolean;
  query: QueueQuery;
  page: QueuePage;
  provinces: readonly Province[];
  assignees: string[];
  hasProvinceSource: boolean;
}

const MARKETPLACES = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'web'];

function select(
  lang: Lang,
  name: string,
  label: string,
  value: string | undefined,
  options: [string, string][],
  anyLabel = t(lang, 'any'),
): SafeHtml {
  return html`<label>${label}<select name="${name}" id="f-${name}">
    <option value="">${anyLabel}</option>
    ${options.map(([v, l]) => html`<option value="${v}" ${v === value ? html`selected` : ''}>${l}</option>`)}
  </select></label>`;
}

export function queueFilters(v: QueueView): SafeHtml {
  const { lang, query: q } = v;
  return html`<form class="filters" method="get" action="/leads" hx-get="/leads" hx-target="#queue-results" hx-select="#queue-results" hx-swap="outerHTML" hx-push-url="true" hx-trigger="change, submit">
  <fieldset><legend>${t(lang, 'filters')}</legend>
  ${select(
    lang,
    'province',
    t(lang, 'province'),
    q.province === undefined
      ? undefined
      : String(v.provinces.find((p) => String(p.code) === q.province || p.name === q.province)?.code ?? q.province),
    v.provinces.map((p) => [String(p.code), p.name]),
    t(lang, 'allProvinces'),
  )}
  ${select(
    lang,
    'marketplace',
    t(lang, 'marketplace'),
    q.marketplace,
    MARKETPLACES.map((m) => [m, m]),
  )}
  <label>${t(lang, 'brand')}<input name="brand" id="f-brand" value="${q.brand ?? ''}" autocomplete="off"></label>
  <label>${t(lang, 'minScore')}<input name="min" id="f-min" type="number" min="0" max="100" value="${q.min ?? ''}"></label>
  <label>${t(lang, 'maxScore')}<input name="max" id="f-max" type="number" min="0" max="100" value="${q.max ?? ''}"></label>
  ${select(
    lang,
    'status',
    t(lang, 'status'),
    q.status,
    LEAD_STATUSES.map((s) => [s, statusLabel(lang, s)]),
  )}
  ${select(lang, 'assignee', t(lang, 'assignee'), q.assignee, [['-', t(lang, 'unassigned')], ...v.assignees.map((a): [string, string] => [a, a])])}
  <label>${t(lang, 'isoWeek')}<input name="week" id="f-week" placeholder="2026-W48" pattern="\\d{4}-?W\\d{1,2}" value="${q.week ?? ''}"></label>
  ${select(
    lang,
    'kind',
    t(lang, 'kind'),
    q.kind,
    ['listing', 'shop', 'network'].map((k) => [k, kindLabel(lang, k)]),
  )}
  <label>${t(lang, 'network')}<input name="network" id="f-network" type="number" min="1" value="${q.network ?? ''}"></label>
  ${
    v.hasProvinceSource
      ? select(
          lang,
          'source',
          t(lang, 'provinceSource'),
          q.source,
          PROVINCE_SOURCES.map((s) => [s, provinceSourceLabel(lang, s)]),
        )
      : ''
  }
  ${select(
    lang,
    'sort',
    t(lang, 'sort'),
    q.sort,
    [
      ['score', t(lang, 'sortScore')],
      ['last_flagged', t(lang, 'sortLast')],
    ],
    t(lang, 'sortScore'),
  )}
  <div class="buttons"><button type="submit">${t(lang, 'apply')}</button> <a href="/leads">${t(lang, 'clear')}</a></div>
  </fieldset>
</form>`;
}

export function queueResults(v: QueueView): SafeHtml {
  const { lang, page, query: q } = v;
  const rows = page.rows.map(
    (r) => html`<tr>
    ${v.canAct ? html`<td><input type="checkbox" name="ids" value="${r.id}" form="bulk" aria-label="${t(lang, 'select')} #${r.id}"></td>` : ''}
    <td><a href="/leads/${r.id}">#${r.id}</a></td>
    <td class="num"><span class="score s${Math.floor(r.score / 20)}">${r.score}</span></td>
    <td>${kindLabel(lang, r.kind)}</td>
    <td class="subject"><a href="/leads/${r.id}">${r.subject}</a>${r.brand ? html` <span class="tag">${r.brand}</span>` : ''}<br><small>${r.marketplace ?? ''} · ${r.shop_name ?? ''} · ${formatVnd(r.price_vnd)}</small></td>
    <td>${r.province_name ?? t(lang, 'unknownProvince')}${v.hasProvinceSource && r.province_source ? html`<br><small>${provinceSourceLabel(lang, r.province_source)}</small>` : ''}</td>
    <td><ul class="reasons">${(r.top ?? []).map((x) => html`<li lang="${lang}">${lang === 'vi' ? x.vi : x.en}</li>`)}</ul></td>
    <td>${statusLabel(lang, r.status)}</td>
    <td>${r.assignee ?? '—'}</td>
    <td>${r.network_id ? html`<a href="/networks/${r.network_id}">${r.network_id}</a>` : '—'}</td>
    <td><time datetime="${r.last_flagged_at.toISOString()}">${formatDate(lang, r.last_flagged_at)}</time></td>
  </tr>`,
  );
  return html`<section id="queue-results" aria-labelledby="queue-heading">
  <h2 id="queue-heading">${t(lang, 'leads')}: <span id="total" data-total="${page.total}">${t(lang, 'total')} ${page.total.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</span></h2>
  ${
    page.rows.length === 0
      ? html`<p>${t(lang, 'noLeads')}</p>`
      : html`<div class="table-wrap"><table class="queue">
    <caption class="sr-only">${t(lang, 'leads')}</caption>
    <thead><tr>
      ${v.canAct ? html`<th scope="col"><input type="checkbox" id="select-all" aria-label="${t(lang, 'selectAll')}"></th>` : ''}
      <th scope="col">#</th><th scope="col">${t(lang, 'score')}</th><th scope="col">${t(lang, 'kind')}</th><th scope="col">${t(lang, 'subject')}</th>
      <th scope="col">${t(lang, 'province')}</th><th scope="col">${t(lang, 'reasons')}</th><th scope="col">${t(lang, 'status')}</th>
      <th scope="col">${t(lang, 'assignee')}</th><th scope="col">${t(lang, 'network')}</th><th scope="col">${t(lang, 'lastFlagged')}</th>
    </tr></thead>
    <tbody>${rows}</tbody></table></div>`
  }
  <nav class="pager" aria-label="${t(lang, 'nextPage')}">
    ${q.after ? html`<a href="${queueHref(q)}">${t(lang, 'firstPage')}</a>` : ''}
    ${page.next ? html`<a id="next-page" href="${queueHref(q, { after: encodeCursor(page.next) })}">${t(lang, 'nextPage')} →</a>` : ''}
  </nav>
</section>`;
}

export function bulkForm(v: QueueView): SafeHtml {
  const { lang } = v;
  if (!v.canAct) return html``;
  return html`<form id="bulk" class="bulk" method="post" action="/leads/bulk">
  ${csrfField(v.user)}
  <input type="hidden" name="back" value="${queueHref(v.query)}">
  <fieldset><legend>${t(lang, 'bulkActions')}</legend>
  <label>${t(lang, 'action')}<select name="action" id="bulk-action">
    <option value="status">${t(lang, 'bulkSetStatus')}</option>
    <option value="assign">${t(lang, 'bulkAssign')}</option>
  </select></label>
  <label>${t(lang, 'status')}<select name="status" id="bulk-status">${REVIEW_STATUSES.map((s) => html`<option value="${s}">${statusLabel(lang, s)}</option>`)}</select></label>
  <label>${t(lang, 'assignTo')}<input name="assignee" id="bulk-assignee" value="${v.user.name}"></label>
  <label>${t(lang, 'note')}<input name="note" id="bulk-note"></label>
  <button type="submit" id="bulk-run">${t(lang, 'run')}</button>
  </fieldset>
</form>`;
}

export function queuePage(v: QueueView): SafeHtml {
  return html`<h1>${t(v.lang, 'queue')}</h1>${queueFilters(v)}${bulkForm(v)}${queueResults(v)}`;
}
