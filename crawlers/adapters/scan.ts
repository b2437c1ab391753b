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
