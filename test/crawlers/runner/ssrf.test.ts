import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkUrl, checkUrlSyntax, forbiddenAddressReason, isAllowlisted } from '../../../crawlers/runner/ssrf.ts';

describe('forbiddenAddressReason', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.1.2', /loopback/],
    ['10.1.2.3', /10\/8/],
    ['172.16.0.1', /172\.16\/12/],
    ['172.31.255.255', /172\.16\/12/],
    ['192.168.1.1', /192\.168/],
    ['169.254.169.254', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['100.100.100.200', /carrier-grade/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fc00::1', /unique-local/],
    ['fd00:ec2::254', /unique-local/],
    ['fe80::1', /link-local/],
    ['::ffff:10.0.0.1', /10\/8/],
    ['::ffff:127.0.0.1', /loopback/],
    ['[::1]', /loopback/],
  ])('refuses %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toMatch(reason);
  });

  it.each(['8.8.8.8', '172.32.0.1', '172.15.255.255', '1.1.1.1', '2001:4860:4860::8888', '103.1.2.3'])('allows public %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });

  it('never throws and refuses anything that is not an IP', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const reason = forbiddenAddressReason(text);
        expect(reason === null || typeof reason === 'string').toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const [a, b] = ip.split('.').map(Number) as [number, number];
        const privateV4 =
          a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
        if (privateV4) expect(forbiddenAddressReason(ip)).not.toBeNull();
      }),
    );
  });
});

describe('checkUrl', () => {
  const publicDns = async () => ['93.184.216.34'];

  it('refuses non-http schemes, metadata names and localhost', async () => {
    for (const url of [
      'file:///etc/passwd',
      'gopher://x/',
      'http://metadata.google.internal/computeMetadata/v1/',
      'http://localhost:8080/',
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      const verdict = await checkUrl(url, { allowHosts: [], resolve: publicDns });
      expect(verdict.ok, url).toBe(false);
    }
  });

  it('refuses a public name that resolves to a private address (any of its addresses)', async () => {
    const verdict = await checkUrl('https://evil.example/', { allowHosts: [], resolve: async () => ['93.184.216.34', '10.0.0.5'] });
    expect(verdict).toMatchObject({ ok: false });
    if (!verdict.ok) expect(verdict.reason).toMatch(/10\.0\.0\.5/);
  });

  it('allows a public name resolving to public addresses', async () => {
    expect((await checkUrl('https://tiki.vn/api/v2/products', { allowHosts: [], resolve: publicDns })).ok).toBe(true);
  });

  it('lets allowlisted hosts through, with or without a port', async () => {
    expect((await checkUrl('http://127.0.0.1:4123/tiki', { allowHosts: ['127.0.0.1:4123'] })).ok).toBe(true);
    expect((await checkUrl('http://127.0.0.1:9999/tiki', { allowHosts: ['127.0.0.1:4123'] })).ok).toBe(false);
    expect((await checkUrl('http://127.0.0.1:9999/', { allowHosts: ['127.0.0.1'] })).ok).toBe(true);
    expect((await checkUrl('http://[::1]:80/', { allowHosts: ['[::1]'] })).ok).toBe(true);
    expect(isAllowlisted('SANDBOX.local.', '80', ['sandbox.local'])).toBe(true);
  });

  it('reports a DNS failure as a refusal, not a throw', async () => {
    const verdict = await checkUrl('https://nowhere.example/', {
      allowHosts: [],
      resolve: async () => Promise.reject(new Error('ENOTFOUND')),
    });
    expect(verdict.ok).toBe(false);
  });

  it('never throws on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.webUrl()), async (text) => {
        const verdict = await checkUrl(text, { allowHosts: [], resolve: publicDns });
        expect(typeof verdict.ok).toBe('boolean');
        expect(typeof checkUrlSyntax(text, []).ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });
});
