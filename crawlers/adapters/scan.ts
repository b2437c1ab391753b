/**
 * Text scanning for data embedded in HTML, without a DOM parse: pages are large and we only need
 * one object out of them.
 */

/**
 * The balanced `{…}` object starting at the first `{` at or after `from`, honouring JSON strings
 * and escapes, so braces inside strings ("{size: M}") do not end it early. Null when unbalanced.
 */
export function balancedObject(text: string, from: number, maxLength = 5_000_000): string | null {
  const start = text.indexOf('{', from);
  if (start < 0) return null;
  let depth = 0;
  let quote: string | null = null;
  const end = Math.min(text.length, start + maxLength);
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (quote !== null) {
      if (ch === 92 /* \ */) i++;
      else if (ch === quote.charCodeAt(0)) quote = null;
      continue;
    }
    if (ch === 34 /* " */ || ch === 39 /* ' */) quote = text[i]!;
    else if (ch === 123 /* { */) depth++;
    else if (ch === 125 /* } */) {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

/** The text content of `<script id="ID" …>…</script>`, or null. */
export function scriptById(html: string, id: string): string | null {
  const pattern = new RegExp(`<script[^>]*\\bid=["']?${id.replace(/[^\w-]/gu, '\\$&')}["']?[^>]*>`, 'iu');
  const match = pattern.exec(html);
  if (!match) return null;
  const start = match.index + match[0].length;
  const end = html.indexOf('</script>', start);
  return end < 0 ? null : html.slice(start, end);
}

export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype|<html|<head|<body|<div|<meta|<script|<title)/iu.test(body.slice(0, 1000));
}

export interface Anchor {
  href: string;
  rel: string | null;
  className: string | null;
}

const ANCHOR = /<a\b([^>]*)>/giu;
const ATTRIBUTE = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gu;

/** Every `<a href>` in the page with its rel and class: enough for link discovery, no DOM needed. */
export function anchors(html: string): Anchor[] {
  const found: Anchor[] = [];
  for (const match of html.matchAll(ANCHOR)) {
    const attributes: Record<string, string> = {};
    for (const attribute of match[1]!.matchAll(ATTRIBUTE))
      attributes[attribute[1]!.toLowerCase()] = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? '');
    if (attributes.href) found.push({ href: attributes.href, rel: attributes.rel ?? null, className: attributes.class ?? null });
  }
  return found;
}

/** `<link rel="next" href>` also counts as pagination on many shops. */
export function relNext(html: string): string | null {
  for (const match of html.matchAll(/<(?:a|link)\b([^>]*)>/giu)) {
    const attributes = match[1]!;
    if (!/\brel\s*=\s*["']?next\b/iu.test(attributes)) continue;
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/iu.exec(attributes);
    if (href) return decodeEntities(href[1] ?? href[2] ?? href[3] ?? '');
  }
  return null;
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/gu, '&')
    .replace(/&quot;/gu, '"')
    .replace(/&#39;|&apos;/gu, "'")
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&#(\d+);/gu, (_, code: string) => String.fromCodePoint(Number(code) % 0x110000));
}

/**
 * True when an HTML page was visibly cut off: it ends inside a tag or a comment, or a `<script>`
 * (where the embedded JSON lives) is never closed. A missing `</body>` or `</html>` proves nothing:
 * HTML5 makes both optional, many real pages omit them and a microdata fragment has neither. Bodies
 * cut cleanly between tags are the transport's to catch (Content-Length, the chunked terminator).
 */
export function truncatedHtml(body: string): boolean {
  if (!looksLikeHtml(body)) return false;
  const lower = body.toLowerCase();
  const lastOpen = lower.lastIndexOf('<');
  if (lastOpen >= 0 && lower.indexOf('>', lastOpen) < 0) return true;
  const comment = lower.lastIndexOf('<!--');
  if (comment >= 0 && lower.indexOf('-->', comment + 4) < 0) return true;
  return RAW_TEXT_ELEMENTS.some((name) => unclosed(lower, name));
}

/** Elements whose end tag HTML never lets a page omit: a page ending inside one was cut. */
const RAW_TEXT_ELEMENTS = ['script', 'style', 'textarea', 'title'] as const;

/** `<name …>` opened after the last `</name`: the page stops inside that element. */
function unclosed(lower: string, name: string): boolean {
  const lastClose = lower.lastIndexOf(`</${name}`);
  let open = lower.lastIndexOf(`<${name}`);
  // "<scripts>" or "<titlebar>" are other tags; the name must end at a space, "/" or ">".
  while (open > lastClose && !/[\s/>]/u.test(lower[open + name.length + 1] ?? '>'))
    open = open > 0 ? lower.lastIndexOf(`<${name}`, open - 1) : -1;
  return open > lastClose;
}

export const TRUNCATED_MESSAGE = 'truncated HTML page (it ends inside a tag, a comment or a script or style block); fetch it again';
