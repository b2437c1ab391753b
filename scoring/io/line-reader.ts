/**
 * score-file's line reader: large reads, lines split on newline bytes, each run of whole lines
 * decoded once, instead of readline's per-line work. `linesReference` is what it means.
 */
import { open } from 'node:fs/promises';

/** Bytes read per chunk. */
const READ_CHUNK_BYTES = 4 << 20;

/**
 * Calls `onLine` for every line of a file, numbered from 1, with readline's line breaks
 * ("\n", "\r\n" and a lone "\r"; no empty line after a final break); returns how many lines there
 * were. Decodes each run of whole lines once: a newline byte never sits inside a UTF-8 sequence.
 * With `latin1`, lines come as one character per byte, undecoded (see `Latin1LineParser`).
 * @param encoding @default 'utf8'
 * @param chunkBytes bytes per read; a longer line grows the buffer. @default 4 MiB
 */
export async function forEachLine(
  path: string,
  onLine: (line: string, lineNumber: number) => void,
  encoding: 'utf8' | 'latin1' = 'utf8',
  chunkBytes = READ_CHUNK_BYTES,
): Promise<number> {
  const file = await open(path, 'r');
  let lineNumber = 0;
  const emit = (line: string): void => {
    if (line.indexOf('\r') < 0) {
      onLine(line, ++lineNumber);
      return;
    }
    const parts = line.split(/\r\n|\r/);
    // A trailing "\r" ends the line rather than starting an empty one.
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    for (const part of parts) onLine(part, ++lineNumber);
  };
  try {
    let buffer = Buffer.allocUnsafe(Math.max(1, chunkBytes));
    let carried = 0;
    for (;;) {
      if (carried === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const { bytesRead } = await file.read(buffer, carried, buffer.length - carried, null);
      const filled = carried + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) emit(buffer.toString(encoding, 0, filled));
        break;
      }
      const lastNewline = buffer.lastIndexOf(10, filled - 1);
      if (lastNewline < 0) {
        carried = filled;
        continue;
      }
      const text = buffer.toString(encoding, 0, lastNewline);
      let start = 0;
      for (;;) {
        const end = text.indexOf('\n', start);
        if (end < 0) break;
        emit(text.slice(start, end));
        start = end + 1;
      }
      emit(text.slice(start));
      carried = filled - lastNewline - 1;
      buffer.copy(buffer, 0, lastNewline + 1, filled);
    }
  } finally {
    await file.close();
  }
  return lineNumber;
}

/** The lines `forEachLine` gives for a whole file's bytes: decoded at once, split on every line break. */
export function linesReference(bytes: Buffer, encoding: 'utf8' | 'latin1' = 'utf8'): string[] {
  const lines = bytes.toString(encoding).split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
