// robots.txt per RFC 9309: rules when the file is read, allow on a 4xx, full disallow when it is
// unreachable (5xx, 429, network error), and one file per origin the crawl touches.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetcher, type OwnedPageFetcher } from '../../../crawlers/runner/http-fetch.ts';
import { loadRobots, robotsFromContent, RobotsPolicy, type RobotsGate } from '../../../crawlers/runner/robots.ts';
import { json, startToyServer, type ToyServer } from './toy.ts';

let server: ToyServer;
let fetcher: OwnedPageFetcher;
let closedPort: number;

beforeAll(async () => {
  server = await startToyServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/rules/robots.txt')
      return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private\n');
    if (path === '/gone/robots.txt') return json(res, 404, {});
    if (path === '/forbidden/robots.txt') return json(res, 403, {});
    if (path === '/broken/robots.txt') return json(res, 503, {});
    if (path === '/busy/robots.txt') return json(res, 429, {});
    if (path === '/escape/robots.txt')
      return void res.writeHead(302, { location: `http://127.0.0.2:${new URL(server.url).port}/robots.txt` }).end();
    if (path === '/robots.txt') return void res.writeHead(200).end('User-agent: *\nDisallow: /\n');
    json(res, 404, {});
  });
  fetcher = createHttpFetcher({ allowHosts: [server.host], maxRedirects: 2, timeoutMs: 5_000 });
  // A port nothing listens on: a connection there is refused.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});
afterAll(async () => {
  fetcher?.destroy();
  await server?.close();
});

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    log: { warn: (message: string) => void lines.push(`warn ${message}`), info: (message: string) => void lines.push(`info ${message}`) },
  };
}

describe('loadRobots (RFC 9309 section 2.3.1)', () => {
  it('applies the rules of a file that was read', async () => {
    const gate = await loadRobots(`${server.url}/rules/robots.txt`, fetcher, recorder().log);
    expect(gate.status).toBe('read');
    expect(gate.isAllowed(`${server.url}/private/1`)).toBe(false);
    expect(gate.isAllowed(`${server.url}/item/1`)).toBe(true);
  });

  it.each([404, 403])('allows everything when robots.txt answers %i (unavailable), and says so', async (status) => {
    const { lines, log } = recorder();
    const gate = await loadRobots(`${server.url}/${status === 404 ? 'gone' : 'forbidden'}/robots.txt`, fetcher, log);
    expect(gate.status).toBe('unavailable');
    expect(gate.isAllowed(`${server.url}/anything`)).toBe(true);
    expect(lines.join('\n')).toMatch(new RegExp(`info robots.txt at .* answered HTTP ${status}: no rules`));
  });

  it.each([
    ['a 5xx', '/broken/robots.txt'],
    ['a 429', '/busy/robots.txt'],
  ])('disallows everything when robots.txt answers %s (unreachable), and warns', async (_name, path) => {
    const { lines, log } = recorder();
    const gate = await loadRobots(`${server.url}${path}`, fetcher, log);
    expect(gate.status).toBe('unreachable');
    expect(gate.isAllowed(`${server.url}/item/1`)).toBe(false);
    expect(lines.join('\n')).toMatch(/warn robots\.txt at .* is unreachable .*RFC 9309/);
  });

  it('disallows everything when the server cannot be reached at all', async () => {
    const unreachable = createHttpFetcher({ allowHosts: [`127.0.0.1:${closedPort}`], timeoutMs: 5_000 });
    try {
      const gate = await loadRobots(`http://127.0.0.1:${closedPort}/robots.txt`, unreachable, recorder().log);
      expect(gate.status).toBe('unreachable');
      expect(gate.isAllowed(`http://127.0.0.1:${closedPort}/`)).toBe(false);
    } finally {
      unreachable.destroy();
    }
  });

  it('leaves a host the SSRF guard refuses to the guard, but disallows when only a redirect hop was refused', async () => {
    const refused = await loadRobots(`http://127.0.0.3:${new URL(server.url).port}/robots.txt`, fetcher, recorder().log);
    expect(refused.status).toBe('refused');
    const hop = await loadRobots(`${server.url}/escape/robots.txt`, fetcher, recorder().log);
    expect(hop.status).toBe('unreachable');
    expect(hop.isAllowed(`${server.url}/item/1`)).toBe(false);
  });
});

describe('robotsFromContent', () => {
  it('never throws on arbitrary files and URLs, and governs only its own origin', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.webUrl(), (content, url) => {
        const gate = robotsFromContent('https://shop.example/robots.txt', content);
        expect(typeof gate.isAllowed(url)).toBe('boolean');
        if (new URL(url).origin !== 'https://shop.example') expect(gate.isAllowed(url)).toBe(true);
      }),
    );
  });

  it('"Disallow: /" refuses every path of the origin, whatever else the file says', () => {
    fc.assert(
      fc.property(
        fc.webPath(),
        fc.array(fc.constantFrom('Crawl-delay: 1', 'Sitemap: /s.xml', 'User-agent: other', 'Disallow: /x'), { maxLength: 4 }),
        (path, extra) => {
          const gate = robotsFromContent('https://shop.example/robots.txt', ['User-agent: *', 'Disallow: /', ...extra].join('\n'));
          expect(gate.isAllowed(`https://shop.example${path.startsWith('/') ? path : `/${path}`}`)).toBe(false);
        },
      ),
    );
  });
});

describe('RobotsPolicy', () => {
  it('reads the base URL’s file for its origin and each other origin’s own file, once each', async () => {
    const loads: string[] = [];
    const policy = new RobotsPolicy({
      baseUrl: 'http://market.test/skin/',
      load: async (robotsUrl): Promise<RobotsGate> => {
        loads.push(robotsUrl);
        return robotsFromContent(
          robotsUrl,
          robotsUrl.includes('/skin/') ? 'User-agent: *\nDisallow: /cart\n' : 'User-agent: *\nDisallow: /\n',
        );
      },
    });
    const answers = await Promise.all([
      policy.allows(new URL('http://market.test/item/1')),
      policy.allows(new URL('http://market.test/cart/1')),
      policy.allows(new URL('http://cdn.test/img/1')),
      policy.allows(new URL('http://cdn.test/img/2')),
    ]);
    expect(answers).toEqual([true, false, false, false]);
    expect(loads).toEqual(['http://market.test/skin/robots.txt', 'http://cdn.test/robots.txt']);
    // Once loaded, the answer is synchronous.
    expect(policy.allows(new URL('http://market.test/item/2'))).toBe(true);
  });

  it('without a usable base URL (a crawl started from --url) reads every origin’s root file', async () => {
    const loads: string[] = [];
    const policy = new RobotsPolicy({
      baseUrl: '',
      load: async (robotsUrl) => (loads.push(robotsUrl), robotsFromContent(robotsUrl, 'User-agent: *\nDisallow: /\n')),
    });
    expect(await policy.allows(new URL('http://shop.test/p/1'))).toBe(false);
    expect(loads).toEqual(['http://shop.test/robots.txt']);
  });

  it('lists the files it could not read', async () => {
    const policy = new RobotsPolicy({ baseUrl: server.url, load: (robotsUrl) => loadRobots(robotsUrl, fetcher, recorder().log) });
    const other = new RobotsPolicy({
      baseUrl: `${server.url}/broken`,
      load: (robotsUrl) => loadRobots(robotsUrl, fetcher, recorder().log),
    });
    expect(await policy.allows(new URL(`${server.url}/item/1`))).toBe(false);
    expect(policy.unreachable).toEqual([]);
    expect(await other.allows(new URL(`${server.url}/item/1`))).toBe(false);
    expect(other.unreachable).toEqual([`${server.url}/broken/robots.txt`]);
  });
});
