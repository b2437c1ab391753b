import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/core/log/logger.ts';
import { redactSecrets, redactUrlCredentials } from '../../src/core/log/redact.ts';

describe('redaction', () => {
  it('masks passwords in URLs and keeps the rest', () => {
    expect(redactUrlCredentials('connect postgres://radar:s3cret@db:5432/radar now')).toBe(
      'connect postgres://radar:***@db:5432/radar now',
    );
    expect(redactUrlCredentials('redis://:pw@cache:6379')).toBe('redis://:***@cache:6379');
  });

  it('masks values under secret-looking keys, deeply', () => {
    const out = redactSecrets({ a: { token: 'abc', nested: ['http://u:p@h/'] }, password: 'x', plain: 1 });
    expect(out).toEqual({ a: { token: '[redacted]', nested: ['http://u:***@h/'] }, password: '[redacted]', plain: 1 });
  });

  it('never throws and never lets a URL password through', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^[a-zA-Z0-9]{6,12}$/), (noise, password) => {
        const text = `${noise} postgres://user:${password}@host/db ${noise}`;
        expect(redactUrlCredentials(text)).not.toContain(`:${password}@`);
      }),
    );
  });

  it('applies to real log lines', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ pretty: false, destination: sink });
    log.info({ databaseUrl: 'postgres://radar:hunter2@db/radar', dashboardToken: 'tok-123' }, 'opening postgres://radar:hunter2@db/radar');
    const text = lines.join('');
    expect(text).toContain('"msg":"opening postgres://radar:***@db/radar"');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('tok-123');
  });
});
