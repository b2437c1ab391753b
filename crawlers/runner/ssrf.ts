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
  ['192.168.0.0', 16, 'private address (192.168/16)'],
  ['198.18.0.0', 15, 'benchmarking network (198.18/15)'],
  ['224.0.0.0', 4, 'multicast address'],
  ['240.0.0.0', 4, 'reserved address (240/4, includes broadcast)'],
];

const FORBIDDEN_V6: [string, number, string][] = [
  ['::', 128, 'unspecified address'],
  ['::1', 128, 'loopback address'],
  ['fc00::', 7, 'unique-local address (fc00::/7, includes cloud metadata)'],
  ['fe80::', 10, 'link-local address (fe80::/10)'],
  ['ff00::', 8, 'multicast address'],
];

/** Names that resolve to metadata services inside clouds, refused before any DNS lookup. */
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

const lists = FORBIDDEN_V4.map(([net, prefix, reason]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, 'ipv4');
  return { list, reason };
}).concat(
  FORBIDDEN_V6.map(([net, prefix, reason]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv6');
    return { list, reason };
  }),
);

/**
 * Why an IP address must not be fetched, or null when it is a public address.
 * Anything that is not an IP literal is refused too: the caller resolved it, so it must be one.
 * IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged by its IPv4 part.
 */
export function forbiddenAddressReason(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  if (family === 0) return `not an IP address: ${JSON.stringify(address.slice(0, 80))}`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, reason } of lists) {
    if (list.check(bare, type)) return reason;
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
  /** DNS resolution; injectable so the guard is tested without a resolver. Returns every address. */
  resolve?: Resolver;
}

/** Options of {@link createDnsCache}. */
export interface DnsCacheOptions {
  /** How long an answer is reused (ms). Failures are not cached. */
  ttlMs: number;
  /** The resolver asked on a miss. Default: the system resolver, every address. */
  resolve?: Resolver;
  /** Clock, injectable for tests. */
  now?: () => number;
  /** Most names kept; the oldest is dropped beyond it. Default 1000. */
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
  if (isIP(host) !== 0) {
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
  const lookupAll = (hostname: string, options: dns.LookupOptions, done: (error: NodeJS.ErrnoException | null, list: dns.LookupAddress[]) => void): void => {
    if (!resolve) {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => done(error, (addresses ?? []) as dns.LookupAddress[]));
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
          if (reason) return callback(Object.assign(new SsrfError(`http://${hostname}/`, `${hostname} resolves to ${entry.address}, a ${reason}`), { code: 'ESSRF' }), '');
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} resolves to no address`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}
