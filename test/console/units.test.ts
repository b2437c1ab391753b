import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { escapeHtml, html, jsonIsland } from '../../src/apps/console/html.ts';
import { formatDate, LABEL_TABLES } from '../../src/apps/console/i18n.ts';
import { generatePassword, hashPassword, verifyPassword } from '../../src/apps/console/passwords.ts';
import { PROVINCES, resolveProvince } from '../../src/apps/console/provinces.ts';
import { encodeCursor, parseQueueQuery, QUEUE_PARAMS, queueHref } from '../../src/apps/console/queue.ts';
import { LEAD_STATUSES } from '../../src/leads/types.ts';

describe('labels', () => {
  it('has every label, status, kind and event in Vietnamese and English', () => {
    for (const [table, entries] of Object.entries(LABEL_TABLES)) {
      for (const [key, pair] of Object.entries(entries as Record<string, readonly [string, string]>)) {
        expect(pair, `${table}.${key}`).toHaveLength(2);
        expect(pair[0].trim(), `${table}.${key} vi`).not.toBe('');
        expect(pair[1].trim(), `${table}.${key} en`).not.toBe('');
      }
    }
    for (const status of LEAD_STATUSES) expect(Object.keys(LABEL_TABLES.STATUS)).toContain(status);
  });

  it('shows dates in Asia/Ho_Chi_Minh', () => {
    const instant = new Date('2026-11-30T18:30:00Z');
    expect(formatDate('vi', instant)).toMatch(/01\/12\/2026|1\/12\/26/);
    expect(formatDate('en', instant)).toContain('1 Dec 2026');
    expect(formatDate('en', instant)).toContain('01:30');
  });
});

describe('html', () => {
  it('escapes every interpolated string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const out = html`<p title="${text}">${text}</p>`.toString();
        const inner = out.slice('<p title="'.length, -'</p>'.length);
        expect(inner.replace('">', '')).not.toMatch(/[<>"']/);
        expect(
          escapeHtml(text)
            .replaceAll('&lt;', '<')
            .replaceAll('&gt;', '>')
            .replaceAll('&quot;', '"')
            .replaceAll('&#39;', "'")
            .replaceAll('&amp;', '&'),
        ).toBe(text);
      }),
    );
  });

  it('keeps JSON islands from closing their script tag', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = jsonIsland('x', { value, evil: '</script><script>alert(1)</script>' }).toString();
        expect(out.match(/<\/script>/g)).toHaveLength(1);
        const json = out.slice(out.indexOf('>') + 1, out.lastIndexOf('</script>'));
        expect(JSON.parse(json).evil).toBe('</script><script>alert(1)</script>');
      }),
    );
  });
});

describe('queue query', () => {
  it('accepts any query string or answers with a UserError (never a crash)', () => {
    const key = fc.constantFrom(...QUEUE_PARAMS, 'after', 'limit', 'other');
    fc.assert(
      fc.property(fc.dictionary(key, fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))), (query) => {
        try {
          const parsed = parseQueueQuery(query);
          expect(parsed.limit).toBeGreaterThan(0);
          expect(parsed.limit).toBeLessThanOrEqual(500);
        } catch (error) {
          expect(error).toBeInstanceOf(UserError);
        }
      }),
    );
  });

  it('round-trips keyset cursors and keeps filters in the link', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 2 ** 40 }), (score, id) => {
        expect(parseQueueQuery({ after: encodeCursor({ key: score, id }) }).after).toEqual({ key: score, id });
      }),
    );
    const at = '2026-11-30T18:30:00.000Z';
    expect(parseQueueQuery({ sort: 'last_flagged', after: encodeCursor({ key: at, id: 9 }) }).after).toEqual({ key: at, id: 9 });
    const parsed = parseQueueQuery({ province: 'hcm', brand: 'Nike', min: '60', week: '2026-W48', assignee: '-' });
    expect(parsed.filters).toMatchObject({ provinceCode: 79, brand: 'Nike', minScore: 60, assignee: '' });
    expect(parsed.filters.week!.start.toISOString()).toBe('2026-11-22T17:00:00.000Z');
    const href = new URL(queueHref(parsed.query, { after: '60~3' }), 'http://x');
    expect(href.pathname).toBe('/leads');
    expect([...href.searchParams]).toEqual([
      ['province', 'hcm'],
      ['brand', 'Nike'],
      ['min', '60'],
      ['assignee', '-'],
      ['week', '2026-W48'],
      ['after', '60~3'],
    ]);
    expect(() => parseQueueQuery({ after: 'nonsense' })).toThrow(UserError);
    expect(() => parseQueueQuery({ status: 'deleted' })).toThrow(UserError);
  });
});

describe('provinces', () => {
  it('has the 34 provinces of the 2025 scheme, each on its own tile', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(new Set(PROVINCES.map((p) => `${p.row},${p.col}`)).size).toBe(34);
    for (const p of PROVINCES) expect(resolveProvince(String(p.code))).toBe(p);
    for (const p of PROVINCES) expect(resolveProvince(p.name)).toBe(p);
  });
  it('resolves names without accents and common abbreviations', () => {
    expect(resolveProvince('ha noi').code).toBe(1);
    expect(resolveProvince('TP.HCM').code).toBe(79);
    expect(resolveProvince('Thành phố Hồ Chí Minh').code).toBe(79);
    expect(resolveProvince('da nang').code).toBe(48);
    expect(() => resolveProvince('Atlantis')).toThrow(UserError);
    expect(() => resolveProvince('2')).toThrow(UserError);
  });
});

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'not a hash')).toBe(false);
    expect(generatePassword()).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  });
});
