import { BlockList, isIP } from 'node:net';
import dns from 'node:dns';

/**
 * SSRF guard. A crawl follows URLs that marketplaces (or hostile pages) hand it, so every hop is
 * checked: the URL's scheme, the host name, and every address the name resolves to. Private,
 * loopback, link-local and cloud-metadata addresses are refused unless the host is allowlisted
 * (config `allowHosts`, or the sandbox host the caller passes explicitly).
 */

export class SsrfError extends Error {
  readonly url: string;
  constructor(url: string, reason: string) {
    super(`refused to fetch ${url}: ${reason} (allowlist the host with RADAR_ALLOW_HOSTS if this is intended)`);
    this.name = 'SsrfError';
    this.url = url;
  }
}

const FORBIDDEN_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified ("this network") address'],
  ['10.0.0.0', 8, 'private address (10/8)'],
  ['100.64.0.0', 10, 'carrier-grade NAT address (100.64/10, includes cloud metadata)'],
  ['127.0.0.0', 8, 'loopback address'],
  ['169.254.0.0', 16, 'link-local address (169.254/16, includes cloud metadata)'],
  ['172.16.0.0', 12, 'private address (172.16/12)'],
  ['192.0.0.0', 24, 'IETF protocol assignment (192.0.0/24)'],
  ['192.0.2.0', 24, 'documentation address (192.0.2/24)'],
  ['192.88.99.0', 24, '6to4 relay anycast address (192.88.99/24)'],
  ['192.168.0.0', 16, 'private address (192.168/16)'],
  ['198.18.0.0', 15, 'benchmarking network (198.18/15)'],
  ['198.51.100.0', 24, 'documentation address (198.51.100/24)'],
  ['203.0.113.0', 24, 'documentation address (203.0.113/24)'],
  ['224.0.0.0', 4, 'multicast address'],
  ['240.0.0.0', 4, 'reserved address (240/4, includes broadcast)'],
];

const FORBIDDEN_V6: [string, number, string][] = [
  ['::', 128, 'unspecified address'],
  ['::1', 128, 'loopback address'],
  ['::', 96, 'IPv4-compatible address (::/96)'],
  ['::ffff:0:0', 96, 'IPv4-mapped address (::ffff:0:0/96)'],
  ['64:ff9b:1::', 48, 'local-use NAT64 address (64:ff9b:1::/48)'],
  ['100::', 64, 'discard-only address (100::/64)'],
  ['2001::', 32, 'Teredo tunnel address (2001::/32)'],
  ['2001:db8::', 32, 'documentation address (2001:db8::/32)'],
  ['fc00::', 7, 'unique-local address (fc00::/7, includes cloud metadata)'],
  ['fe80::', 10, 'link-local address (fe80::/10)'],
  ['fec0::', 10, 'site-local address (fec0::/10)'],
  ['ff00::', 8, 'multicast address'],
];

/** Names that resolve to metadata services inside clouds, refused before any DNS lookup. */
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

const lists = FORBIDDEN_V4.map(([net, prefix, reason]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, 'ipv4');
  return { list, reason, family: 'ipv4' };
}).concat(
  FORBIDDEN_V6.map(([net, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv6');
    return { list, reason, family: 'ipv6' };
  }),
);

/**
 * The dotted-quad form of an IPv4 address written the way inet_aton (and so curl, browsers'
 * URL parsers and many libraries) accepts it: `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`.
 * Null when the text is not such a number.
 */
export function legacyIpv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((part) => part === '')) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
    else if (/^0[0-7]+$/.test(part)) value = Number.parseInt(part.slice(1), 8);
    else if (/^(0|[1-9][0-9]*)$/.test(part)) value = Number(part);
    else return null;
    if (!Number.isFinite(value)) return null;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((value) => value > 255) || last >= 256 ** (4 - values.length)) return null;
  let number = last;
  values.forEach((value, index) => (number += value * 256 ** (3 - index)));
  return [number >>> 24, (number >>> 16) & 255, (number >>> 8) & 255, number & 255].join('.');
}

/** The eight 16-bit groups of an IPv6 address (embedded dotted quad allowed), or null. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const bytes = quad[1]!.split('.').map(Number);
    text = `${text.slice(0, -quad[1]!.length)}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined && missing !== 0) return null;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const quadOf = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join('.');

/**
 * The IPv4 address an IPv6 address carries and delivers to (IPv4-mapped and -translated,
 * IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16), or null.
 */
export function embeddedIpv4(address: string): { ipv4: string; form: string } | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return { ipv4: quadOf(g[6]!, g[7]!), form: 'IPv4-mapped' };
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return { ipv4: quadOf(g[6]!, g[7]!), form: 'IPv4-translated' };
  if (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)) return { ipv4: quadOf(g[6]!, g[7]!), form: 'IPv4-compatible' };
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return { ipv4: quadOf(g[6]!, g[7]!), form: 'NAT64' };
  if (g[0] === 0x2002) return { ipv4: quadOf(g[1]!, g[2]!), form: '6to4' };
  return null;
}

/**
 * Why an IP address must not be fetched, or null when it is a public address.
 * Anything that is not an IP literal is refused too: the caller resolved it, so it must be one.
 * Every encoding is judged by where it delivers: inet_aton forms (`2130706433`, `0x7f.1`) as the
 * IPv4 address they name, and IPv6 carrying an IPv4 address (IPv4-mapped, NAT64, 6to4, …) by that
 * address as well as by the IPv6 ranges.
 */
export function forbiddenAddressReason(address: string): string | null {
  let bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(bare) === 0) bare = legacyIpv4(bare) ?? bare;
  const family = isIP(bare);
  if (family === 0) return `not an IP address: ${JSON.stringify(address.slice(0, 80))}`;
  if (family === 6) {
    const embedded = embeddedIpv4(bare);
    if (embedded) {
      const inner = forbiddenAddressReason(embedded.ipv4);
      if (inner) return `${embedded.form} form of ${embedded.ipv4}, a ${inner}`;
    }
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  // A BlockList also matches IPv4 addresses against IPv6 rules (as ::ffff:a.b.c.d): only same-family rules apply.
  for (const { list, reason, family: ruleFamily } of lists) {
    if (ruleFamily === type && list.check(bare, type)) return reason;
  }
  return null;
}

/** Normalises a host for allowlist comparison: lower case, no brackets, no trailing dot. */
function normaliseHost(host: string): string {
  let out = host.trim().toLowerCase();
  if (out.startsWith('[') && out.endsWith(']')) out = out.slice(1, -1);
  if (out.endsWith('.')) out = out.slice(0, -1);
  return out;
}

/**
 * True when `host` (optionally with `port`) is on the allowlist. Entries are `host` (any port)
 * or `host:port`; IPv6 entries may be bracketed (`[::1]:8080`).
 */
export function isAllowlisted(host: string, port: string | number | undefined, allowHosts: readonly string[]): boolean {
  const wanted = normaliseHost(host);
  const portText = port === undefined || port === '' ? undefined : String(port);
  for (const entry of allowHosts) {
    const parsed = splitHostPort(entry);
    if (parsed.host !== wanted) continue;
    if (parsed.port === undefined || parsed.port === portText) return true;
  }
  return false;
}

function splitHostPort(entry: string): { host: string; port?: string } {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: normaliseHost(bracketed[1]!), port: bracketed[2] };
  const colonCount = (text.match(/:/g) ?? []).length;
  if (colonCount === 1) {
    const [host, port] = text.split(':');
    if (/^\d+$/.test(port ?? '')) return { host: normaliseHost(host!), port };
  }
  return { host: normaliseHost(text) };
}

/** The effective port of a URL (explicit, or the scheme's default). */
function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** Resolves a host name to every address it has. */
export type Resolver = (host: string) => Promise<string[]>;

export interface UrlGuardOptions {
  /** Hosts (`host` or `host:port`) allowed even though they resolve to private addresses. */
  allowHosts: readonly string[];
  /** DNS resolution; injectable so the guard is tested without a resolver. Returns every address. @default the system resolver */
  resolve?: Resolver;
}

/** Options of {@link createDnsCache}. */
export interface DnsCacheOptions {
  /** How long an answer is reused (ms). Failures are not cached. */
  ttlMs: number;
  /** The resolver asked on a miss. @default the system resolver, every address */
  resolve?: Resolver;
  /** Clock, injectable for tests. @default Date.now */
  now?: () => number;
  /** Most names kept, so the cache cannot grow without bound; the oldest is dropped beyond it. @default 1000 */
  maxEntries?: number;
}

/**
 * A resolver that reuses answers for `ttlMs`: a worker fetching one page per job would otherwise
 * ask DNS for the same marketplace host on every job. Kept short, so a host that moves is
 * followed within seconds; concurrent misses for one name share a single lookup. Used for both the
 * pre-request check and the connect-time lookup, so the two see the same addresses.
 */
export function createDnsCache(options: DnsCacheOptions): Resolver {
  const resolve = options.resolve ?? resolveAll;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 1000;
  const answers = new Map<string, { addresses: Promise<string[]>; expiresAt: number }>();
  return (host) => {
    const key = normaliseHost(host);
    const hit = answers.get(key);
    if (hit && hit.expiresAt > now()) return hit.addresses;
    const addresses = resolve(key);
    answers.delete(key);
    if (answers.size >= maxEntries) answers.delete(answers.keys().next().value!);
    answers.set(key, { addresses, expiresAt: now() + options.ttlMs });
    addresses.catch(() => {
      if (answers.get(key)?.addresses === addresses) answers.delete(key);
    });
    return addresses;
  };
}

export type UrlVerdict = { ok: true; url: URL; allowlisted: boolean } | { ok: false; reason: string };

/** Checks a URL without resolving it: scheme, credentials, metadata names and IP literals. */
export function checkUrlSyntax(raw: string, allowHosts: readonly string[]): UrlVerdict & { needsDns?: boolean } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol} is not http(s)` };
  const host = normaliseHost(url.hostname);
  if (host === '') return { ok: false, reason: 'no host' };
  if (isAllowlisted(host, effectivePort(url), allowHosts) || isAllowlisted(host, url.port, allowHosts)) {
    return { ok: true, url, allowlisted: true };
  }
  if (METADATA_HOSTS.has(host)) return { ok: false, reason: 'cloud metadata host' };
  if (host === 'localhost' || host.endsWith('.localhost')) return { ok: false, reason: 'loopback host name' };
  if (isIP(host) !== 0 || legacyIpv4(host) !== null) {
    const reason = forbiddenAddressReason(host);
    return reason ? { ok: false, reason } : { ok: true, url, allowlisted: false };
  }
  return { ok: true, url, allowlisted: false, needsDns: true };
}

/**
 * Full check of one URL (call it for the first request and again for every redirect target):
 * syntax, allowlist, then every address the host resolves to must be public.
 */
export async function checkUrl(raw: string, options: UrlGuardOptions): Promise<UrlVerdict> {
  const verdict = checkUrlSyntax(raw, options.allowHosts);
  if (!verdict.ok || !verdict.needsDns) return verdict.ok ? { ok: true, url: verdict.url, allowlisted: verdict.allowlisted } : verdict;
  const resolve = options.resolve ?? resolveAll;
  let addresses: string[];
  try {
    addresses = await resolve(normaliseHost(verdict.url.hostname));
  } catch (error) {
    return { ok: false, reason: `DNS lookup failed: ${(error as Error).message}` };
  }
  if (addresses.length === 0) return { ok: false, reason: 'host resolves to no address' };
  for (const address of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) return { ok: false, reason: `${verdict.url.hostname} resolves to ${address}, a ${reason}` };
  }
  return { ok: true, url: verdict.url, allowlisted: false };
}

/** Throws SsrfError when `checkUrl` refuses the URL. */
export async function assertFetchable(raw: string, options: UrlGuardOptions): Promise<URL> {
  const verdict = await checkUrl(raw, options);
  if (!verdict.ok) throw new SsrfError(raw, verdict.reason);
  return verdict.url;
}

async function resolveAll(host: string): Promise<string[]> {
  const records = await dns.promises.lookup(host, { all: true, verbatim: true });
  return records.map((record) => record.address);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http(s) requests that refuses forbidden addresses at connect time, so a host
 * cannot pass `checkUrl` and then re-resolve to 127.0.0.1 (DNS rebinding). Allowlisted hosts pass.
 */
export function guardedLookup(allowHosts: readonly string[], resolve?: Resolver) {
  const lookupAll = (
    hostname: string,
    options: dns.LookupOptions,
    done: (error: NodeJS.ErrnoException | null, list: dns.LookupAddress[]) => void,
  ): void => {
    if (!resolve) {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => done(error, addresses ?? []));
      return;
    }
    resolve(hostname).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const list = addresses.map((address) => ({ address, family: isIP(address) })).filter((entry) => !family || entry.family === family);
        done(null, list);
      },
      (error: NodeJS.ErrnoException) => done(error, []),
    );
  };
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    lookupAll(hostname, options, (error, list) => {
      if (error) return callback(error, '');
      // The port is not known here; an entry for any port of this host lets its addresses through.
      if (!allowHosts.some((entry) => splitHostPort(entry).host === normaliseHost(hostname))) {
        for (const entry of list) {
          const reason = forbiddenAddressReason(entry.address);
          if (reason)
            return callback(
              Object.assign(new SsrfError(`http://${hostname}/`, `${hostname} resolves to ${entry.address}, a ${reason}`), {
                code: 'ESSRF',
              }),
              '',
            );
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}
