/**
 * The parts of an HTTP request the sandbox routes on, read without the cost of a WHATWG `URL` (and of
 * `req.headers`, which Node builds lazily) for the shapes crawlers send. Anything unusual (dot segments,
 * absolute-form targets, characters `URL` would re-encode) goes through `new URL`, so the result is always
 * what `new URL(target, "http://" + host)` gives.
 */

/** Path and query of a request target. */
export interface RequestTarget {
  /** The path as `URL.pathname` gives it. */
  pathname: string;
  /** The parsed query, or null when there is none (saves an allocation on detail pages). */
  query: URLSearchParams | null;
}

/** Origin-form paths that `URL` keeps byte for byte: no "//" start (that would be a host), no encoding needed. */
const PLAIN_PATH = /^\/(?!\/)[\w\-.~%/+,;=:@!$&'()*]*$/u;
/** "/." and "%2e" may be dot segments, which `URL` resolves. */
const MAYBE_DOT_SEGMENT = /\/\.|%2e/iu;
/** Printable ASCII without "#": `URLSearchParams` decodes these exactly as it would after `URL` re-encoded them. */
const PLAIN_QUERY = /^[!"$-~]*$/u;

export function parseTarget(raw: string, host: string): RequestTarget {
  const mark = raw.indexOf('?');
  const path = mark < 0 ? raw : raw.slice(0, mark);
  const query = mark < 0 ? '' : raw.slice(mark + 1);
  if (PLAIN_PATH.test(path) && !MAYBE_DOT_SEGMENT.test(path) && (mark < 0 || PLAIN_QUERY.test(query))) {
    // The constructor drops one leading "?"; giving it the mark keeps a query that itself starts with "?".
    return { pathname: path, query: query === '' ? null : new URLSearchParams(`?${query}`) };
  }
  const url = new URL(raw, `http://${host}`);
  return { pathname: url.pathname, query: url.search === '' ? null : url.searchParams };
}

/** The two request headers the sandbox reads. */
export interface SandboxHeaders {
  /** First Host header, as `req.headers.host` keeps it. */
  host: string | undefined;
  /** `x-sandbox-epoch`, repeated values joined with ", " as `req.headers` joins them. */
  epoch: string | undefined;
}

/** Reads Host and x-sandbox-epoch from `req.rawHeaders` (name, value, name, value, …). */
export function sandboxHeaders(rawHeaders: readonly string[]): SandboxHeaders {
  let host: string | undefined;
  let epoch: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 4 && host === undefined && name.toLowerCase() === 'host') host = rawHeaders[i + 1]!;
    else if (name.length === 15 && name.toLowerCase() === 'x-sandbox-epoch')
      epoch = epoch === undefined ? rawHeaders[i + 1]! : `${epoch}, ${rawHeaders[i + 1]!}`;
  }
  return { host, epoch };
}
