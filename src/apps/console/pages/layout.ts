import { html, type SafeHtml } from '../html.ts';
import { roleLabel, t, type Lang } from '../i18n.ts';

export interface PageUser {
  name: string;
  role: string;
  csrf: string;
}

export interface LayoutInput {
  lang: Lang;
  title: string;
  user: PageUser | null;
  /** Path and query of this page, for the language toggle to come back to. */
  here: string;
  active?: 'queue' | 'overview' | 'exports' | 'networks';
  body: SafeHtml;
  flash?: string | null;
  /** Extra scripts (served from /assets) this page needs. */
  scripts?: string[];
}

export function layout(p: LayoutInput): SafeHtml {
  const nav = (key: 'queue' | 'overview' | 'exports', href: string) =>
    html`<a href="${href}" ${p.active === key ? html`aria-current="page"` : ''}>${t(p.lang, key)}</a>`;
  const otherLang: Lang = p.lang === 'vi' ? 'en' : 'vi';
  return html`<!doctype html>
<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>
<title>${p.title} · ${t(p.lang, 'appName')}</title>
<link rel="stylesheet" href="/assets/console.css">
<script src="/assets/htmx.min.js" defer></script>
${(p.scripts ?? []).map((s) => html`<script src="/assets/${s}" defer></script>`)}
<script src="/assets/console.js" defer></script>
</head>
<body${p.user ? html` hx-headers='${JSON.stringify({ 'X-CSRF-Token': p.user.csrf })}'` : ''}>
<a class="skip" href="#main">${t(p.lang, 'skip')}</a>
<header class="top">
  <span class="brand">${t(p.lang, 'appName')}</span>
  ${p.user ? html`<nav aria-label="${t(p.lang, 'appName')}">${nav('queue', '/leads')}${nav('overview', '/overview')}${nav('exports', '/exports')}</nav>` : ''}
  <div class="right">
    <a href="/lang/${otherLang}?back=${encodeURIComponent(p.here)}" lang="${otherLang}" id="lang-toggle">${t(p.lang, 'switchLang')}</a>
    ${
      p.user
        ? html`<span class="who">${t(p.lang, 'signedInAs')} <strong>${p.user.name}</strong> (${roleLabel(p.lang, p.user.role)})</span>
        <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${p.user.csrf}"><button type="submit">${t(p.lang, 'logout')}</button></form>`
        : ''
    }
  </div>
</header>
<main id="main">
${p.flash ? html`<p class="flash" role="status">${p.flash}</p>` : ''}
${p.body}
</main>
</body>
</html>`;
}

export function csrfField(user: PageUser): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${user.csrf}">`;
}
