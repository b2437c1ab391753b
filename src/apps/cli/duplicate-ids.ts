import { Transform } from 'node:stream';

/**
 * Passes score-file output through unchanged while noting each line's `"id"` (lines begin
 * `{"id":<json>,"marketplace"`), so the command can report ids that occur more than once.
 */
export class DuplicateIds extends Transform {
  private readonly seen = new Set<string>();
  private carry = '';
  count = 0;
  readonly examples: string[] = [];

  override _transform(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    done: (error?: Error | null, data?: Buffer | string) => void,
  ): void {
    const text = this.carry + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    const lines = text.split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) this.note(line);
    done(null, chunk);
  }

  override _flush(done: (error?: Error | null) => void): void {
    if (this.carry) this.note(this.carry);
    done();
  }

  private note(line: string): void {
    const match = /^\{"id":(.*?),"marketplace"/.exec(line);
    if (!match) return;
    const id = match[1]!;
    if (this.seen.has(id)) {
      this.count += 1;
      if (this.examples.length < 3) this.examples.push(Buffer.from(id, 'latin1').toString('utf8'));
    } else this.seen.add(id);
  }
}
