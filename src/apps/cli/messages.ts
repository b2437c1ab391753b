/** Longest piece of user input a message repeats. @default 200 */
export const MAX_ECHOED_INPUT = 200;

/**
 * Makes a message safe for a terminal: control characters (ESC, CR, BEL, C1 controls, bidi
 * overrides…) taken from input are shown escaped, and any single word or quoted piece longer than
 * {@link MAX_ECHOED_INPUT} characters is cut. `keepNewlines` keeps the message's own line breaks.
 */
export function safeMessage(text: string, options: { keepNewlines?: boolean } = {}): string {
  // eslint-disable-next-line no-control-regex -- control and bidi characters are exactly what this escapes.
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (char) => {
    if (char === '\n' && options.keepNewlines) return char;
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
  return escaped.replace(/"[^"]{201,}"|[^\s"]{201,}/gu, (piece) => {
    const quoted = piece.startsWith('"');
    const inner = quoted ? piece.slice(1, -1) : piece;
    const cut = `${[...inner].slice(0, MAX_ECHOED_INPUT).join('')}… (${inner.length} characters)`;
    return quoted ? `"${cut}"` : cut;
  });
}
