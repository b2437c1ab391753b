/**
 * Recoding between a string's UTF-8 bytes held one byte per character (a "latin1" string: what
 * score-file reads and writes, see `forEachLine` and the output writer) and ordinary text. The fast
 * path goes through one scratch buffer and keeps ASCII as it is; the `…Reference` functions are the
 * definitions, which the property tests compare against.
 */

const scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * `text` written as bytes in one encoding and read back in the other: through the scratch buffer
 * when it surely fits (UTF-8 takes at most 3 bytes per UTF-16 unit), else through a new Buffer.
 */
export function recode(text: string, from: 'latin1' | 'utf8', to: 'latin1' | 'utf8'): string {
  if (text.length * 3 > scratch.length) return Buffer.from(text, from).toString(to);
  return scratch.toString(to, 0, scratch.write(text, 0, from));
}

/** What `recode` means. */
export function recodeReference(text: string, from: 'latin1' | 'utf8', to: 'latin1' | 'utf8'): string {
  return Buffer.from(text, from).toString(to);
}

/** Index of the first character at or above 0x80, or the length when there is none. */
function asciiPrefix(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) < 0x80) i++;
  return i;
}

/** The UTF-8 text that a latin1 string's bytes hold; ASCII comes back as it is, without a copy. */
export function utf8FromLatin1(bytes: string): string {
  return asciiPrefix(bytes) === bytes.length ? bytes : recode(bytes, 'latin1', 'utf8');
}

/** What `utf8FromLatin1` means: invalid sequences become U+FFFD as Buffer#toString makes them. */
export function utf8FromLatin1Reference(bytes: string): string {
  return recodeReference(bytes, 'latin1', 'utf8');
}

/** The UTF-8 bytes of `text` as a latin1 string; ASCII comes back as it is, without a copy. */
export function latin1FromUtf8(text: string): string {
  return asciiPrefix(text) === text.length ? text : recode(text, 'utf8', 'latin1');
}

/** What `latin1FromUtf8` means: lone surrogates become U+FFFD's bytes as Buffer.from makes them. */
export function latin1FromUtf8Reference(text: string): string {
  return recodeReference(text, 'utf8', 'latin1');
}
