import type { NetworkLink, NetworkShop, ProvinceWeekCount } from '../../../core/db/stores/console-leads.ts';
import type { LeadStats } from '../../../leads/stats.ts';
import { html, jsonIsland, type SafeHtml } from '../html.ts';
import { linkKindLabel, t, type Lang } from '../i18n.ts';
import { PROVINCES, type Province } from '../provinces.ts';
import { csrfField, type PageUser } from './layout.ts';
import { displayText } from '../../../core/display.ts';

/** Strong links identify the same operator; a shared name alone is only a hint. */
export const LINK_STRENGTH: Record<NetworkLink['kind'], 'strong' | 'medium' | 'weak'> = {
  phone: 'strong',
  tax_code: 'strong',
  address: 'medium',
  name: 'weak',
};

export function networkPage(
  lang: Lang,
  networkId: number,
  info: Record<string, unknown>,
  shops: NetworkShop[],
  links: NetworkLink[],
): SafeHtml {
  const elements = [
    ...shops.map((s) => ({ data: { id: `s${s.id}`, label: `${s.name}\n${s.marketplace}`, marketplace: s.marketplace, lead: s.lead_id } })),
    ...links.map((l, i) => ({
      data: {
        id: `e${i}`,
        source: `s${l.a}`,
        target: `s${l.b}`,
        kind: l.kind,
        label: linkKindLabel(lang, l.kind),
        strength: LINK_STRENGTH[l.kind],
      },
    })),
  ];
  const marketplaces = [...new Set(shops.map((s) => s.marketplace))];
  return html`<p><a href="/leads?network=${networkId}">← ${t(lang, 'queue')}</a></p>
<h1>${t(lang, 'network')} #${networkId} <small>${displayText(info.network_key)}</small></h1>
<p>${t(lang, 'graphHelp')}</p>
<p>${t(lang, 'marketplace')}: ${marketplaces.map((m) => html`<span class="tag mp-${m}">${m}</span> `)}</p>
<div id="graph" class="graph" role="img" aria-label="${t(lang, 'network')} #${networkId}: ${shops.length} ${t(lang, 'shop')}, ${links.length} ${t(lang, 'links')}"></div>
${jsonIsland('graph-data', elements)}
<h2>${t(lang, 'links')}</h2>
<table><thead><tr><th scope="col">${t(lang, 'shop')}</th><th scope="col">${t(lang, 'shop')}</th><th scope="col">${t(lang, 'kind')}</th><th scope="col">${t(lang, 'strength')}</th></tr></thead>
<tbody>${links.map((l) => {
    const a = shops.find((s) => s.id === l.a);
    const b = shops.find((s) => s.id === l.b);
    return html`<tr><td>${a?.name} (${a?.marketplace})</td><td>${b?.name} (${b?.marketplace})</td><td>${linkKindLabel(lang, l.kind)}</td><td>${t(lang, LINK_STRENGTH[l.kind])}</td></tr>`;
  })}</tbody></table>`;
}

export interface OverviewView {
  lang: Lang;
  perWeek: ProvinceWeekCount[];
  perProvince: { province_code: number | null; leads: number; open: number }[];
  stats: LeadStats;
}

export function overviewPage(v: OverviewView): SafeHtml {
  const { lang } = v;
  const byCode = new Map(v.perProvince.map((p) => [p.province_code, p]));
  const max = Math.max(1, ...v.perProvince.map((p) => p.open));
  const weeks = [...new Set(v.perWeek.map((r) => r.week))].sort();
  const provinces = [...new Set(v.perWeek.map((r) => r.province_name ?? t(lang, 'unknownProvince')))];
  const cell = (province: string, week: string) =>
    v.perWeek
      .filter((r) => (r.province_name ?? t(lang, 'unknownProvince')) === province && r.week === week)
      .reduce((n, r) => n + r.leads, 0);
  const weekTotals = weeks.map((w) => v.perWeek.filter((r) => r.week === w).reduce((n, r) => n + r.leads, 0));
  const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
  return html`<h1>${t(lang, 'overview')}</h1>
<section aria-labelledby="tiles-heading"><h2 id="tiles-heading">${t(lang, 'tileGrid')}</h2>
<div class="tiles" role="list">${PROVINCES.map((p: Province) => {
    const c = byCode.get(p.code);
    const level = c ? Math.ceil((c.open / max) * 4) : 0;
    return html`<a role="listitem" class="tile l${level}" style="grid-row:${p.row + 1};grid-column:${p.col + 1}" href="/leads?province=${p.code}" title="${p.name}">
      <span class="tname">${p.short}</span><span class="tcount">${c ? c.open : 0}</span></a>`;
  })}</div>
${byCode.has(null) ? html`<p>${t(lang, 'unknownProvince')}: ${byCode.get(null)!.open}</p>` : ''}
</section>
<section aria-labelledby="week-heading"><h2 id="week-heading">${t(lang, 'perWeek')}</h2>
<div id="week-chart" class="chart" role="img" aria-label="${t(lang, 'perWeek')}"></div>
${jsonIsland('week-data', { weeks, totals: weekTotals, label: t(lang, 'leadsCount') })}
</section>
<section aria-labelledby="kpi-heading"><h2 id="kpi-heading">${t(lang, 'confirmedShare')}</h2>
<div id="kpi-chart" class="chart" role="img" aria-label="${t(lang, 'confirmedShare')}"></div>
${jsonIsland('kpi-data', { versions: v.stats.byScoringVersion.map((s) => s.group), shares: v.stats.byScoringVersion.map((s) => (s.confirmedShare === null ? null : Math.round(s.confirmedShare * 1000) / 10)), label: t(lang, 'share') })}
<table id="kpi"><thead><tr><th scope="col">${t(lang, 'scoringVersion')}</th><th scope="col">${t(lang, 'confirmed')}</th><th scope="col">${t(lang, 'dismissed')}</th><th scope="col">${t(lang, 'open')}</th><th scope="col">${t(lang, 'share')}</th></tr></thead>
<tbody>${[...v.stats.byScoringVersion, v.stats.total].map((s) => html`<tr><td>${s.group === 'all' ? t(lang, 'total') : s.group}</td><td class="num">${s.confirmed}</td><td class="num">${s.dismissed}</td><td class="num">${s.open}</td><td class="num">${pct(s.confirmedShare)}</td></tr>`)}</tbody></table>
</section>
<section aria-labelledby="pw-heading"><h2 id="pw-heading">${t(lang, 'perProvinceWeek')}</h2>
<div class="table-wrap"><table id="per-province-week"><thead><tr><th scope="col">${t(lang, 'province')}</th>${weeks.map((w) => html`<th scope="col">${w}</th>`)}</tr></thead>
<tbody>${provinces.map((p) => html`<tr><th scope="row">${p}</th>${weeks.map((w) => html`<td class="num">${cell(p, w)}</td>`)}</tr>`)}</tbody></table></div>
</section>`;
}

export interface ExportsView {
  lang: Lang;
  user: PageUser;
  week: string;
  provinces: { code: number | null; name: string; rows: number }[];
}

export function exportsPage(v: ExportsView): SafeHtml {
  const { lang } = v;
  const link = (code: number | null, format: 'csv' | 'xlsx') =>
    `/exports/download?week=${encodeURIComponent(v.week)}&province=${code ?? 'all'}&format=${format}`;
  return html`<h1>${t(lang, 'exports')}</h1>
<section aria-labelledby="weekly-heading"><h2 id="weekly-heading">${t(lang, 'thisWeekExports')} — ${v.week}</h2>
<form method="get" action="/exports" class="inline"><label>${t(lang, 'isoWeek')} <input name="week" value="${v.week}" pattern="\\d{4}-?W\\d{1,2}"></label> <button type="submit">${t(lang, 'apply')}</button></form>
<p>${t(lang, 'exportsHelp')}</p>
<table id="exports"><thead><tr><th scope="col">${t(lang, 'province')}</th><th scope="col">${t(lang, 'leadsCount')}</th><th scope="col">CSV</th><th scope="col">XLSX</th></tr></thead>
<tbody>${v.provinces.map(
    (p) => html`<tr><th scope="row">${p.name}</th><td class="num">${p.rows}</td>
    <td><a href="${link(p.code, 'csv')}" download>${t(lang, 'download')} CSV<span class="sr-only"> ${p.name}</span></a></td>
    <td><a href="${link(p.code, 'xlsx')}" download data-province="${p.code ?? 'all'}">${t(lang, 'download')} XLSX<span class="sr-only"> ${p.name}</span></a></td></tr>`,
  )}</tbody></table></section>
<section aria-labelledby="packs-heading"><h2 id="packs-heading">${t(lang, 'packs')}</h2>
<p>${t(lang, 'packsHelp')}</p>
<form method="post" action="/exports/pack" class="inline">${csrfField(v.user)}<label>${t(lang, 'leadId')} <input name="lead" type="number" min="1" required></label> <button type="submit">${t(lang, 'download')}</button></form>
</section>`;
}

export function loginPage(lang: Lang, csrf: string, error: string | null, name = ''): SafeHtml {
  return html`<h1>${t(lang, 'login')}</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login" class="login">
  <input type="hidden" name="_csrf" value="${csrf}">
  <label>${t(lang, 'username')}<input name="name" id="login-name" autocomplete="username" required value="${name}"></label>
  <label>${t(lang, 'password')}<input name="password" id="login-password" type="password" autocomplete="current-password" required></label>
  <button type="submit" id="login-submit">${t(lang, 'login')}</button>
</form>`;
}

export function changePasswordPage(lang: Lang, user: PageUser, error: string | null): SafeHtml {
  return html`<h1>${t(lang, 'changePassword')}</h1>
<p>${t(lang, 'mustChange')}</p>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/password" class="login">${csrfField(user)}
  <label>${t(lang, 'newPassword')}<input name="password" id="new-password" type="password" autocomplete="new-password" minlength="10" required></label>
  <button type="submit">${t(lang, 'save')}</button>
</form>`;
}

export function messagePage(lang: Lang, heading: string, text: string): SafeHtml {
  return html`<h1>${heading}</h1><p>${text}</p><p><a href="/leads">${t(lang, 'back')}</a></p>`;
}
