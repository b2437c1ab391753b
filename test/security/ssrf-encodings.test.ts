// Issue 16, low: IPv6 forms passed the guard: [::127.0.0.1], [64:ff9b::7f00:1], [2002:7f00:1::].
// Every encoded form of a private, loopback or link-local address is refused, before any connection.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkUrl, embeddedIpv4, forbiddenAddressReason, guardedLookup, legacyIpv4 } from '../../crawlers/runner/ssrf.ts';

const noDns = async (host: string): Promise<string[]> => {
  throw new Error(`the guard must not resolve ${host} to judge a literal`);
};

const REFUSED: [string, string][] = [
  ['loopback', 'http://127.0.0.1/'],
  ['loopback, other port', 'http://127.0.0.1:5432/'],
  ['loopback, trailing dot', 'http://127.0.0.1./'],
  ['decimal IPv4', 'http://2130706433/'],
  ['hex IPv4', 'http://0x7f000001/'],
  ['hex dotted IPv4', 'http://0x7f.0.0.1/'],
  ['octal IPv4', 'http://0177.0.0.1/'],
  ['short IPv4', 'http://127.1/'],
  ['zero host', 'http://0/'],
  ['unspecified', 'http://0.0.0.0/'],
  ['private 10/8', 'http://10.1.2.3/'],
  ['private 172.16/12', 'http://172.16.0.1/'],
  ['private 192.168/16', 'http://192.168.1.1/'],
  ['CGNAT', 'http://100.64.0.1/'],
  ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
  ['cloud metadata, decimal', 'http://2852039166/'],
  ['IPv6 loopback', 'http://[::1]/'],
  ['IPv6 unspecified', 'http://[::]/'],
  ['IPv4-compatible loopback', 'http://[::127.0.0.1]/'],
  ['IPv4-compatible loopback, hex', 'http://[::7f00:1]/'],
  ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/'],
  ['IPv4-mapped loopback, hex', 'http://[::ffff:7f00:1]/'],
  ['IPv4-mapped, long form', 'http://[0:0:0:0:0:ffff:7f00:1]/'],
  ['IPv4-translated metadata', 'http://[::ffff:0:a9fe:a9fe]/'],
  ['NAT64 loopback', 'http://[64:ff9b::7f00:1]/'],
  ['NAT64 loopback, dotted', 'http://[64:ff9b::127.0.0.1]/'],
  ['NAT64 private', 'http://[64:ff9b::a00:1]/'],
  ['local-use NAT64', 'http://[64:ff9b:1::a00:1]/'],
  ['6to4 loopback', 'http://[2002:7f00:1::]/'],
  ['6to4 private', 'http://[2002:c0a8:101::1]/'],
  ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/'],
  ['IPv6 link-local', 'http://[fe80::1]/'],
  ['IPv6 unique-local', 'http://[fd00::1]/'],
  ['AWS IPv6 metadata', 'http://[fd00:ec2::254]/'],
  ['IPv6 site-local', 'http://[fec0::1]/'],
  ['IPv6 multicast', 'http://[ff02::1]/'],
  ['localhost', 'http://localhost/'],
  ['localhost, upper case with dot', 'http://LOCALHOST./'],
  ['subdomain of localhost', 'http://x.localhost/'],
  ['metadata name', 'http://metadata.google.internal/'],
  ['credentials in URL', 'http://user:pass@127.0.0.1/'],
  ['not http', 'file:///etc/passwd'],
  ['websocket scheme', 'ws://127.0.0.1:9/'],
];

describe('every encoded private, loopback and link-local address is refused', () => {
  it.each(REFUSED)('%s: %s', async (_form, url) => {
    const verdict = await checkUrl(url, { allowHosts: [], resolve: noDns });
    expect(verdict.ok).toBe(false);
  });

  it.each([['::ffff:127.0.0.1'], ['::ffff:7f00:1'], ['64:ff9b::7f00:1'], ['2002:7f00:1::'], ['::127.0.0.1'], ['::ffff:0:7f00:1']])(
    'a DNS answer of %s is refused at connect time',
    async (answer) => {
      const lookup = guardedLookup([], async () => [answer]);
      const error = await new Promise<Error | null>((resolve) => lookup('rebind.example', {}, (err) => resolve(err)));
      expect(error?.message).toMatch(/resolves to/);
    },
  );

  it.each([['http://8.8.8.8/'], ['http://[2606:4700::1111]/'], ['http://[64:ff9b::808:808]/'], ['http://[2002:808:808::1]/']])(
    'public addresses still pass: %s',
    async (url) => {
      expect((await checkUrl(url, { allowHosts: [], resolve: noDns })).ok).toBe(true);
    },
  );

  it('an allowlisted host:port does not open other ports of that host', async () => {
    expect((await checkUrl('http://127.0.0.1:4100/', { allowHosts: ['127.0.0.1:4100'], resolve: noDns })).ok).toBe(true);
    expect((await checkUrl('http://127.0.0.1:4101/', { allowHosts: ['127.0.0.1:4100'], resolve: noDns })).ok).toBe(false);
    expect((await checkUrl('http://[::ffff:127.0.0.1]:4100/', { allowHosts: ['127.0.0.1:4100'], resolve: noDns })).ok).toBe(false);
  });

  it('inet_aton forms decode to the address they name (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        const quad = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
        expect(legacyIpv4(String(n))).toBe(quad);
        expect(legacyIpv4(`0x${n.toString(16)}`)).toBe(quad);
        expect(
          legacyIpv4(
            quad
              .split('.')
              .map((b) => `0${Number(b).toString(8)}`)
              .join('.'),
          ),
        ).toBe(quad);
        // URL parsing agrees, so a guard looking at the parsed host sees the same address.
        expect(new URL(`http://${n}/`).hostname).toBe(quad);
      }),
    );
  });

  it('IPv4 carried in IPv6 is judged by that IPv4 address (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom('10.0.0.1', '127.0.0.1', '169.254.169.254', '192.168.0.9', '172.20.1.1', '100.100.1.1'), (ipv4) => {
        const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
        const hi = ((a << 8) | b).toString(16);
        const lo = ((c << 8) | d).toString(16);
        for (const v6 of [`::ffff:${ipv4}`, `::${ipv4}`, `64:ff9b::${hi}:${lo}`, `2002:${hi}:${lo}::1`]) {
          expect(embeddedIpv4(v6)?.ipv4).toBe(ipv4);
          expect(forbiddenAddressReason(v6)).not.toBeNull();
        }
      }),
    );
  });
});
