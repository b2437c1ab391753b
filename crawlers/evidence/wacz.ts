/**
 * One capture as a WACZ (Webrecorder's Web Archive Collection Zipped, 1.1.1 layout): the page load's
 * requests and responses as gzipped WARC records (written with webrecorder's warcio), a CDXJ index,
 * pages.jsonl and datapackage.json with every file's SHA-256, zipped with the WARC stored, not
 * deflated, so ReplayWeb.page can read records by range.
 */
import { createHash } from 'node:crypto';
import { WARCRecord, WARCSerializer, getSurt } from 'warcio';
import yazl from 'yazl';

export interface ArchivedExchange {
  url: string;
  method: string;
  requestHeaders: Record<string, string>;
  status: number;
  statusText: string;
  /** Response headers as the browser received them. */
  headers: Record<string, string>;
  /** The decoded response body (empty for redirects). */
  body: Buffer;
  at: Date;
}

export interface WaczInput {
  /** The page's URL after redirects. */
  pageUrl: string;
  title: string;
  capturedAt: Date;
  exchanges: readonly ArchivedExchange[];
  /** "counterfeit-radar/0.1.0+runner.1 (Chromium 131…)". */
  software: string;
  /** Visible text of the page, for ReplayWeb.page's search. */
  text?: string;
  /** Extra facts kept in warcinfo (operator, machine). */
  info?: Record<string, string>;
}

export const WARC_NAME = 'data.warc.gz';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** "20261201194501": the 14-digit timestamp of CDX lines. */
function ts14(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

// Bodies are stored decoded, so the encoding and length headers the server sent no longer describe them.
const DROP_HEADERS = new Set(['content-encoding', 'transfer-encoding', 'content-length', ':status']);

function responseHeaders(exchange: ArchivedExchange): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.headers)) {
    if (!DROP_HEADERS.has(name.toLowerCase())) out[name] = value.replace(/[\r\n]+/g, ' ');
  }
  out['Content-Length'] = String(exchange.body.length);
  return out;
}

function requestTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}` || '/';
}

async function* once(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

export interface WaczResult {
  wacz: Buffer;
  /** The datapackage.json resources, as written. */
  resources: { name: string; path: string; hash: string; bytes: number }[];
}

export async function buildWacz(input: WaczInput): Promise<WaczResult> {
  const chunks: Uint8Array[] = [];
  const cdx: string[] = [];
  let offset = 0;
  const push = (record: Uint8Array) => {
    chunks.push(record);
    offset += record.length;
  };
  const info = WARCRecord.createWARCInfo(
    { filename: WARC_NAME, warcVersion: 'WARC/1.1' },
    { software: input.software, format: 'WARC File Format 1.1', isPartOf: 'counterfeit-radar evidence', ...(input.info ?? {}) },
  );
  push(await WARCSerializer.serialize(info, { gzip: true }));

  for (const exchange of input.exchanges) {
    const date = exchange.at.toISOString();
    const response = WARCRecord.create(
      {
        url: exchange.url,
        date,
        type: 'response',
        warcVersion: 'WARC/1.1',
        statusline: `HTTP/1.1 ${exchange.status} ${exchange.statusText || 'OK'}`,
        httpHeaders: responseHeaders(exchange),
      },
      once(exchange.body),
    );
    const responseBytes = await WARCSerializer.serialize(response, { gzip: true });
    const responseId = response.warcHeaders.headers.get('WARC-Record-ID') ?? '';
    const payloadDigest = response.warcHeaders.headers.get('WARC-Payload-Digest') ?? `sha256:${sha256(exchange.body)}`;
    const responseOffset = offset;
    push(responseBytes);
    const mime = (Object.entries(exchange.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'application/octet-stream')
      .split(';')[0]!
      .trim();
    cdx.push(
      `${getSurt(exchange.url)} ${ts14(exchange.at)} ${JSON.stringify({
        url: exchange.url,
        mime,
        status: String(exchange.status),
        digest: payloadDigest,
        length: String(responseBytes.length),
        offset: String(responseOffset),
        filename: WARC_NAME,
      })}`,
    );
    const headers = { ...exchange.requestHeaders };
    const request = WARCRecord.create(
      {
        url: exchange.url,
        date,
        type: 'request',
        warcVersion: 'WARC/1.1',
        statusline: `${exchange.method} ${requestTarget(exchange.url)} HTTP/1.1`,
        httpHeaders: headers,
        warcHeaders: { 'WARC-Concurrent-To': responseId },
      },
      once(new Uint8Array()),
    );
    push(await WARCSerializer.serialize(request, { gzip: true }));
  }
  const warc = Buffer.concat(chunks);
  cdx.sort();
  const index = Buffer.from(cdx.length ? `${cdx.join('\n')}\n` : '');
  const ts = input.capturedAt.toISOString();
  const pageId = sha256(Buffer.from(`${input.pageUrl} ${ts}`)).slice(0, 16);
  const pages = Buffer.from(
    `${JSON.stringify({ format: 'json-pages-1.0', id: 'pages', title: 'All Pages' })}\n${JSON.stringify({ id: pageId, url: input.pageUrl, ts, title: input.title, ...(input.text ? { text: input.text.slice(0, 100_000) } : {}) })}\n`,
  );
  const files: [string, Buffer, boolean][] = [
    [`archive/${WARC_NAME}`, warc, false],
    ['indexes/index.cdx', index, true],
    ['pages/pages.jsonl', pages, true],
  ];
  const resources = files.map(([path, data]) => ({
    name: path.split('/').pop()!,
    path,
    hash: `sha256:${sha256(data)}`,
    bytes: data.length,
  }));
  const datapackage = Buffer.from(
    `${JSON.stringify(
      {
        profile: 'data-package',
        wacz_version: '1.1.1',
        title: input.title || input.pageUrl,
        description: `Capture of ${input.pageUrl} at ${ts}`,
        created: ts,
        modified: ts,
        software: input.software,
        mainPageUrl: input.pageUrl,
        mainPageDate: ts,
        resources,
      },
      null,
      2,
    )}\n`,
  );
  const digest = Buffer.from(`${JSON.stringify({ path: 'datapackage.json', hash: `sha256:${sha256(datapackage)}` }, null, 2)}\n`);

  const zip = new yazl.ZipFile();
  for (const [path, data, compress] of files) zip.addBuffer(data, path, { mtime: input.capturedAt, compress });
  zip.addBuffer(datapackage, 'datapackage.json', { mtime: input.capturedAt });
  zip.addBuffer(digest, 'datapackage-digest.json', { mtime: input.capturedAt });
  zip.end();
  const out: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => out.push(chunk));
    zip.outputStream.on('end', () => resolve());
    zip.outputStream.on('error', reject);
  });
  return { wacz: Buffer.concat(out), resources };
}
